"""Running the app for real: health checks, request logs, security headers, proxies and login rate limits."""

import json
import logging

from sqlalchemy.exc import OperationalError

from app.extensions import db, limiter
from app.models import Role, User
from config import TestConfig
from tests.conftest import redis_db_or_skip


def test_health_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_answers_503_when_the_database_is_gone(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "refused" not in response.get_data(as_text=True)


def test_every_response_carries_security_headers_and_a_request_id(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert len(response.headers["X-Request-ID"]) == 32
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert client.get("/", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"


def test_request_log_is_json_without_query_strings(caplog, build_app):
    class JsonConfig(TestConfig):
        """Logs as JSON."""

        LOG_FORMAT = "json"

    app = build_app(JsonConfig)
    from app.observability import JsonFormatter

    with caplog.at_level(logging.INFO, logger="app.access"):
        app.test_client().get("/healthz?token=secret-value")
    record = next(r for r in caplog.records if r.name == "app.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz" and line["status"] == 200
    assert "secret-value" not in json.dumps(line)


def test_a_trusted_proxy_sets_the_client_address_and_scheme(build_app):
    class ProxiedConfig(TestConfig):
        """Behind one reverse proxy."""

        TRUSTED_PROXIES = 1

    app = build_app(ProxiedConfig)
    seen = {}

    @app.get("/_probe")
    def probe():
        from flask import request

        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}


def test_login_attempts_are_rate_limited(build_app, monkeypatch):
    class LimitedConfig(TestConfig):
        """Rate limits on, tiny login budget."""

        RATELIMIT_ENABLED = True
        LOGIN_RATE_LIMIT = "3 per minute"

    # The limiter is one object shared by every app of this test run: switch it back off afterwards.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    app = build_app(LimitedConfig)
    with app.app_context():
        db.create_all()  # its own engine: on SQLite a fresh in-memory database
        user = User(email="panitia@example.org", name="Panitia", role=Role.ORGANIZER)
        user.set_password("a-long-password")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    form = {"email": "panitia@example.org", "password": "wrong-password"}
    statuses = [client.post("/auth/login", data=form).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Terlalu banyak percobaan" in client.post("/auth/login", data=form).get_data(as_text=True)
    # Looking at the login page is never limited.
    assert client.get("/auth/login").status_code == 200


def test_guessing_personal_links_and_feed_tokens_is_rate_limited(build_app, monkeypatch):
    class LimitedConfig(TestConfig):
        """Rate limits on, tiny token budgets."""

        RATELIMIT_ENABLED = True
        TOKEN_RATE_LIMIT = "2 per minute"
        FEED_RATE_LIMIT = "3 per minute"

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    app = build_app(LimitedConfig)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    links = [client.get(f"/a/guess-{n}").status_code for n in range(3)]
    feeds = [client.get(f"/calendar/feed/guess-{n}.ics").status_code for n in range(4)]
    assert links == [404, 404, 429]
    assert feeds == [404, 404, 404, 429]


def test_rate_limits_are_shared_through_redis_when_scaled_out(build_app, monkeypatch):
    """Two web processes (two apps here) count one address's logins together in Redis."""
    import redis

    url = redis_db_or_skip(8)

    class RedisLimitedConfig(TestConfig):
        """Rate limits on, counted in Redis."""

        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = url
        LOGIN_RATE_LIMIT = "3 per minute"

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    first, second = build_app(RedisLimitedConfig), build_app(RedisLimitedConfig)
    for app in (first, second):  # on SQLite each has its own in-memory database
        with app.app_context():
            db.create_all()
    form = {"email": "nobody@example.org", "password": "wrong-password"}
    statuses = [app.test_client().post("/auth/login", data=form).status_code for app in (first, second, first, second)]
    assert statuses == [200, 200, 200, 429]
    # The counts live in Redis (where every web process sees them), not in this process's memory.
    store = redis.Redis.from_url(url)
    assert any(b"auth" in key or b"login" in key for key in store.keys("*"))
    store.flushdb()


def test_a_request_id_goes_out_even_when_request_lines_are_not_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="app.access"):
        response = client.get("/healthz", headers={"X-Request-ID": "quiet-1"})
    assert response.headers["X-Request-ID"] == "quiet-1"
    assert not [r for r in caplog.records if r.name == "app.access"]


def test_in_process_rate_limits_start_no_thread_per_request(build_app, monkeypatch):
    """memory:// counters (the default) are kept without a timer thread started on every hit."""
    import threading

    from app.ratelimit import SweptMemoryStorage

    class LimitedConfig(TestConfig):
        """Rate limits on, counted in this process."""

        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        FEED_RATE_LIMIT = "5 per minute"

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    app = build_app(LimitedConfig)
    with app.app_context():
        db.create_all()
        assert isinstance(limiter.storage, SweptMemoryStorage)
    started = []
    monkeypatch.setattr(threading.Timer, "start", lambda timer: started.append(timer))
    client = app.test_client()
    statuses = [client.get(f"/calendar/feed/guess-{n}.ics").status_code for n in range(6)]
    assert statuses == [404] * 5 + [429]
    assert started == []


def test_swept_rate_limit_counters_are_purged_once_expired(monkeypatch):
    import time

    from app import ratelimit

    monkeypatch.setattr(ratelimit, "SWEEP_SECONDS", 0.0)
    storage = ratelimit.SweptMemoryStorage()
    assert storage.incr("old", expiry=0.05) == 1
    time.sleep(0.1)
    storage.incr("new", expiry=60)
    assert "old" not in storage.storage and storage.get("new") == 1
    assert ratelimit.storage_uri("memory://") == "memory-swept://"
    assert ratelimit.storage_uri("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"
