"""Shared fixtures of the calendar tests: the published Pasuruan day, a cooperative's feed, a count of builds."""

from __future__ import annotations

import pytest

from app.calendar import feed_cache, services
from app.calendar.feed_cache import FeedCache
from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import FeedKind
from tests.calendar.factories import make_published_day


@pytest.fixture
def day():
    """The published day: BULOG's booth, Sumber Rejo and Wonokerto with a meeting each, two sessions."""
    day = make_published_day()
    db.session.commit()
    return day


@pytest.fixture
def feed(day):
    """Sumber Rejo's attendee feed, as the address a calendar app polls."""
    token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    db.session.commit()
    return f"/calendar/feed/{token}.ics"


@pytest.fixture
def builds(monkeypatch):
    """Count how often a feed is really built, and for which feed (the cache skips the building)."""
    calls = []
    real = services.feed_calendar

    def counting(feed, now=None):
        calls.append(feed.id)
        return real(feed, now)

    monkeypatch.setattr(services, "feed_calendar", counting)
    return calls


@pytest.fixture
def shared_redis(app, monkeypatch):
    """Feed renderings shared through the test Redis (skipped where none answers); emptied before and after."""
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/7"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis not reachable at {url}: {error.__class__.__name__}")
    monkeypatch.setitem(app.config, "CACHE_REDIS_URL", url)
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    yield redis.Redis.from_url(url)
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    redis.Redis.from_url(url).flushdb()


def another_process(app):
    """Forget this process's own renderings, as a second web process that never served the feed."""
    app.extensions[feed_cache.EXTENSION_KEY].local = FeedCache()
