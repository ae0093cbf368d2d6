"""Real Celery for tests: Redis on a spare database, a database shared with a worker subprocess, and that worker.

Every wait has a timeout, and the worker's whole process group is killed when the test ends, pass or fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.postgres import ADMIN_URL, scratch_database

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")  # a spare database, flushed


def require_redis() -> str:
    """Return the test broker URL with its database emptied; skip the test, saying why, where Redis does not answer."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
        client.flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error.__class__.__name__}")
    finally:
        client.close()
    return REDIS_URL


def flush_redis() -> None:
    """Empty the test broker database (tasks a killed worker left unacknowledged)."""
    import redis

    with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5) as client:
        client.flushdb()


def postgres_reachable() -> bool:
    """Tell whether the PostgreSQL server for scratch databases answers."""
    import psycopg

    try:
        psycopg.connect(ADMIN_URL, connect_timeout=3).close()
    except Exception:  # any failure to connect means: not here
        return False
    return True


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database two processes can share: scratch PostgreSQL, else a SQLite file."""
    if postgres_reachable():
        with scratch_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'shared.db'}"


@contextmanager
def shared_app(database_url: str, broker_url: str, **settings: Any) -> Iterator[Flask]:
    """Yield an app on the shared database (schema built) that sends its jobs to the broker, inside its context."""
    config = type(
        "SharedDatabaseConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": database_url, "CELERY_BROKER_URL": broker_url, "JOBS_EAGER": False, **settings},
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        try:
            yield app
        finally:
            app.extensions["celery"].close()  # its connections to the broker
            db.session.remove()
            db.engine.dispose()


def wait_until(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll `condition` until it returns something true; fail, saying what was awaited, after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


class Worker:
    """A `celery worker` subprocess (prefork, concurrency 1) and its log."""

    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @property
    def log(self) -> str:
        """Return what the worker has printed so far."""
        return self.log_path.read_text(errors="replace")

    def pool_pids(self) -> list[int]:
        """Return the pids of the pool processes (the prefork children that run the tasks)."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, timeout=10)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        """Kill the worker and its children (its own process group), then reap it."""
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
        if self.process.poll() is None:
            self.process.wait(timeout=10)


@contextmanager
def celery_worker(
    database_url: str, broker_url: str, tmp_path: Path, module: str = "app.jobs.celery_worker", **env: str
) -> Iterator[Worker]:
    """Start `celery -A module worker --concurrency 1 -Q solve,mail` on the shared database; kill it afterwards."""
    log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "SECRET_KEY": "worker-test-secret",
        "INSTANCE_PATH": str(tmp_path),
        "SOLVER_WORKERS": "1",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
        **env,
    }
    command = [sys.executable, "-m", "celery", "-A", module, "worker", "--pool", "prefork", "--concurrency", "1"]
    command += ["-Q", "solve,mail", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "-n", f"jobs-test-{uuid.uuid4().hex[:8]}@%h"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log_path)
    try:
        wait_until(lambda: " ready." in worker.log or process.poll() is not None, 120, "the Celery worker to start")
        if process.poll() is not None:
            raise AssertionError(f"the Celery worker exited at start:\n{worker.log[-4000:]}")
        yield worker
    except BaseException:
        print(f"--- Celery worker log ---\n{worker.log[-6000:]}")
        raise
    finally:
        worker.stop()
