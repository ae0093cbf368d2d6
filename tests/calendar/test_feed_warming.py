"""Right after the organizer publishes, every cooperative's calendar app finds its feed already built."""

from __future__ import annotations

import pytest

from app.calendar import feed_cache, feed_warming
from app.calendar.feeds import issue_feed, revoke_feed
from app.extensions import db
from app.models import EventStatus, FeedKind, TimetableEntry, TimetableVersion
from app.timetable.publish import announce_published, publish_version
from tests.calendar.conftest import another_process
from tests.calendar.factories import make_published_day, wib
from tests.factories import make_slot


@pytest.fixture
def warming(app, monkeypatch, shared_redis):
    """Production's scaled-out setting: feeds shared through Redis (skipped where none answers), built ahead on
    publication (the suite switches that off elsewhere)."""
    monkeypatch.setitem(app.config, "CALENDAR_WARM_FEEDS", True)
    monkeypatch.setitem(app.config, "CALENDAR_FEED_CACHE_SECONDS", 3600)


@pytest.fixture
def day():
    """A closed event whose requests wait for their first published timetable, with feeds already handed out."""
    day = make_published_day(status=EventStatus.REGISTRATION_CLOSED)
    for meeting in (day.first, day.second):
        db.session.delete(meeting)
    db.session.flush()
    day.slots = [make_slot(day.event, wib(10)), make_slot(day.event, wib(10, 20))]
    day.tokens = {
        "sumber_rejo": issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo),
        "wonokerto": issue_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto),
    }
    db.session.commit()
    return day


def publish(day) -> None:
    """Publish a first timetable as the organizer's button does: commit, then announce."""
    version = TimetableVersion(event=day.event, number=1, solver_status="manual")
    version.entries = [
        TimetableEntry(request=request, slot=slot, booth=request.booth, table_number=table)
        for request, slot, table in ((day.first.request, day.slots[0], 2), (day.second.request, day.slots[1], 1))
    ]
    db.session.add(version)
    db.session.flush()
    diff = publish_version(version)
    db.session.commit()
    announce_published(version, diff)


def test_after_publishing_each_cooperatives_calendar_app_is_served_a_feed_built_ahead(
    app, client, day, warming, builds
):
    publish(day)
    assert len(builds) == 2  # both attendee feeds, built by the job
    another_process(app)
    builds.clear()
    feed = client.get(f"/calendar/feed/{day.tokens['sumber_rejo']}.ics")
    assert feed.status_code == 200 and "Sumber Rejo" in feed.get_data(as_text=True)
    assert "20251008T100000" in feed.get_data(as_text=True)  # its meeting at 10:00, as published
    assert client.get(f"/calendar/feed/{day.tokens['wonokerto']}.ics").status_code == 200
    assert builds == []


def test_revoked_feeds_are_not_built_ahead(day, warming, builds):
    revoke_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto)
    db.session.commit()
    publish(day)
    assert len(builds) == 1


def test_without_a_shared_cache_nothing_is_built_ahead(app, day, warming, builds, monkeypatch):
    # A worker's (or a command line's) own memory would serve no web process.
    monkeypatch.setitem(app.config, "CACHE_REDIS_URL", None)
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    submitted = []
    monkeypatch.setattr(feed_warming, "submit_job", lambda name, **kwargs: submitted.append(name))
    publish(day)
    assert submitted == [] and builds == []


def test_switched_off_publishing_builds_nothing_ahead(app, day, warming, builds, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_WARM_FEEDS", False)
    publish(day)
    assert builds == []
