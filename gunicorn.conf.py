"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`; each can be set in the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One process per core, each with a few threads to overlap the waits on the database. More processes than cores
# only add context switches, and each process keeps its own cache of rendered calendar feeds, so every extra
# process builds every polled feed once more (measured in docs/benchmarks.md, "Load test").
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound, but rarely: a new worker costs about 1.5 s of
# CPU to import the app and starts with an empty feed cache (at 5,000 requests a busy worker was replaced every
# minute). 100,000 requests is an hour or more of a busy day.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100000))
max_requests_jitter = max_requests // 10
accesslog = None  # the app logs every request itself, with a request id (app/observability.py)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
