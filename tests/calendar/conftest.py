"""Shared fixtures of the calendar tests: the published Pasuruan day, a cooperative's feed, a count of builds."""

from __future__ import annotations

import pytest

from app.calendar import feed_cache, services
from app.calendar.feed_cache import FeedCache
from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import FeedKind
from tests.calendar.factories import make_published_day
from tests.conftest import redis_db_or_skip


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
    import redis

    url = redis_db_or_skip(7)
    monkeypatch.setitem(app.config, "CACHE_REDIS_URL", url)
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    yield redis.Redis.from_url(url)
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    redis.Redis.from_url(url).flushdb()


def another_process(app):
    """Forget this process's own renderings, as a second web process that never served the feed."""
    app.extensions[feed_cache.EXTENSION_KEY].local = FeedCache()
