"""Shared fixtures of the calendar tests: the published Pasuruan day, a cooperative's feed, a count of builds."""

from __future__ import annotations

import pytest

from app.calendar import services
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
