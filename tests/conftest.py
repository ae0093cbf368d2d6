"""Shared fixtures: a fresh app and empty tables for every test, plus small factories."""

from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestConfig

# Property and fuzz tests: the same examples on every run (so CI fails only on a change that breaks something);
# HYPOTHESIS_PROFILE=explore draws new random examples each run, to hunt for new bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context (and so its own `g`), as in production.

    Tests hold an app context for their factories; without this, requests would share that context's `g`
    and with it the cached locale and logged-in user.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """One app for the run, with the schema built once on the test database."""
    app = create_app(TestConfig)
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Run each test inside an app context and leave every table empty afterwards."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())


@pytest.fixture
def build_app():
    """Build extra apps with other settings; their database connections are closed after the test."""
    built = []

    def build(config_class):
        extra = create_app(config_class)
        extra.test_client_class = FreshContextClient
        built.append(extra)
        return extra

    yield build
    for extra in built:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the flask command line."""
    return app.test_cli_runner()


def redis_db_or_skip(number: int) -> str:
    """The URL of test Redis database `number`, emptied; skips the test where no Redis answers."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + f"/{number}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis not reachable at {url}: {error.__class__.__name__}")
    return url
