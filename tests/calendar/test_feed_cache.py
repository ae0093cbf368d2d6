"""Calendar clients polling a feed again get the last rendering, until the timetable, programme or time says no."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.calendar import feed_cache
from app.calendar.feed_cache import CachedFeed, FeedCache
from app.calendar.feeds import issue_feed
from app.calendar.services import CalendarFile
from app.extensions import db
from app.models import FeedKind, ProgrammeSession, utcnow
from tests.calendar.conftest import another_process
from tests.calendar.factories import PUBLISHED_AT, cancel, move, wib
from tests.calendar.parsers import events_by_uid


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(feed_cache.time, "monotonic", lambda: now[0])
    return now


def test_calendar_app_polling_again_is_served_the_same_feed_without_rebuilding(client, feed, builds):
    first = client.get(feed)
    again = client.get(feed)
    revalidated = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert revalidated.status_code == 304
    assert len(builds) == 1


def test_a_moved_meeting_reaches_the_calendar_app_at_once_despite_the_cache(client, day, feed, builds):
    first = client.get(feed)
    move(day.first, wib(11), table=4, at=PUBLISHED_AT + timedelta(hours=5))
    db.session.commit()
    second = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    moved = [e for uid, e in events_by_uid(second.data).items() if uid.startswith(f"meeting-{day.first.id}@")]
    assert moved[0].start == wib(11)
    assert len(builds) == 2


def test_a_cancelled_meeting_and_a_changed_session_each_rebuild_the_feed(client, day, feed, builds):
    client.get(feed)
    cancel(day.first, at=utcnow())  # recent: cancelled meetings stay in feeds for a while
    db.session.commit()
    assert b"STATUS:CANCELLED" in client.get(feed).data
    opening = db.session.get(ProgrammeSession, day.opening.id)
    opening.title = "Pembukaan oleh Gubernur Jawa Timur"
    opening.updated_at = PUBLISHED_AT + timedelta(hours=2)
    db.session.commit()
    assert "Gubernur Jawa Timur" in client.get(feed).get_data(as_text=True)
    assert len(builds) == 3


def test_a_rename_written_around_the_app_shows_once_the_cached_copy_is_older_than_its_age(
    client, app, day, feed, builds, clock, monkeypatch
):
    # Raw SQL (a shell, a repair script) raises no content revision: the cache's age is then what bounds the delay.
    from sqlalchemy import update

    from app.models import Organization

    monkeypatch.setitem(app.config, "CALENDAR_FEED_CACHE_SECONDS", 60)
    client.get(feed)
    db.session.execute(
        update(Organization.__table__)
        .where(Organization.__table__.c.id == day.bulog.organization_id)
        .values(name="Perum BULOG Kantor Cabang Pasuruan")
    )
    db.session.commit()
    clock[0] += 30
    assert "Kantor Cabang Pasuruan" not in client.get(feed).get_data(as_text=True)
    clock[0] += 31
    assert "Kantor Cabang Pasuruan" in client.get(feed).get_data(as_text=True)
    assert len(builds) == 2


def test_cache_switched_off_builds_every_time(client, app, feed, builds, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_FEED_CACHE_SECONDS", 0)
    client.get(feed)
    client.get(feed)
    assert len(builds) == 2


def test_a_revoked_feed_answers_404_even_with_a_cached_copy(client, day, feed):
    assert client.get(feed).status_code == 200
    from app.calendar.feeds import revoke_feed

    revoke_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    db.session.commit()
    assert client.get(feed).status_code == 404


def test_two_cooperatives_never_get_each_others_cached_feed(client, day, feed):
    other = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto)
    db.session.commit()
    mine = client.get(feed).get_data(as_text=True)
    theirs = client.get(f"/calendar/feed/{other}.ics").get_data(as_text=True)
    assert "Siti Aminah" not in theirs and f"meeting-{day.first.id}@" not in theirs
    assert f"meeting-{day.second.id}@" not in mine


def test_cache_keeps_only_the_most_recently_used_feeds():
    cache = FeedCache(max_entries=2)
    rendering = CalendarFile("a.ics", b"BEGIN:VCALENDAR", PUBLISHED_AT)
    for feed_id in (1, 2, 3):
        cache.put((str(feed_id), "id"), CachedFeed(("f",), rendering, expires=100.0))
    assert cache.get(("1", "id"), ("f",), now=0.0) is None
    assert cache.get(("3", "id"), ("f",), now=0.0) is rendering
    assert cache.get(("3", "id"), ("other",), now=0.0) is None
    assert cache.get(("3", "id"), ("f",), now=100.0) is None


@pytest.fixture
def statements():
    """Collect every SQL statement sent to the database while the test runs (after this fixture is set up)."""
    from sqlalchemy import event as sa_event

    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        sent.append(statement.lstrip().split(None, 1)[0].upper())

    sa_event.listen(db.engine, "before_cursor_execute", record)
    yield sent
    sa_event.remove(db.engine, "before_cursor_execute", record)


def test_a_revalidation_with_the_cached_etag_is_answered_from_one_query_without_building(
    client, feed, builds, statements
):
    first = client.get(feed)
    statements.clear()
    revalidated = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    again = client.get(feed)
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert again.status_code == 200 and again.data == first.data
    # one SELECT per poll (token, usability and fingerprint together); nothing written, nothing built
    assert statements == ["SELECT", "SELECT"]
    assert len(builds) == 1


def test_another_cooperatives_changed_meeting_leaves_this_feed_cached(client, day, feed, builds):
    # Wonokerto has a feed too: a fingerprint that read every feed's meetings (not just this one's) would change.
    issue_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto)
    db.session.commit()
    first = client.get(feed)
    move(day.second, wib(11), table=2, at=PUBLISHED_AT + timedelta(hours=5))  # Wonokerto's meeting, not ours
    db.session.commit()
    assert client.get(feed, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(builds) == 1


def test_an_expired_link_answers_404_even_with_a_cached_copy(client, day, feed):
    from app.models import CalendarFeed

    assert client.get(feed).status_code == 200
    row = db.session.scalars(db.select(CalendarFeed)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(feed).status_code == 404


def test_a_feed_whose_event_is_no_longer_published_is_built_again(client, day, feed, builds):
    from app.models import EventStatus

    assert f"meeting-{day.first.id}@" in client.get(feed).get_data(as_text=True)
    day.event.status = EventStatus.REGISTRATION_CLOSED
    db.session.commit()
    assert f"meeting-{day.first.id}@" not in client.get(feed).get_data(as_text=True)
    assert len(builds) == 2


def test_only_the_first_poll_in_a_while_is_written_down(client, feed, statements):
    from app.models import CalendarFeed

    client.get(feed)
    assert "UPDATE" in statements
    fetched = db.session.scalars(db.select(CalendarFeed)).one().last_fetched_at
    assert fetched is not None
    statements.clear()
    client.get(feed)
    assert "UPDATE" not in statements


def test_a_feed_built_by_one_web_process_is_served_by_the_others_from_redis(
    app, client, day, feed, builds, shared_redis
):
    first = client.get(feed)
    another_process(app)
    again = client.get(feed)
    revalidated = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert revalidated.status_code == 304
    assert len(builds) == 1
    # Only the token's hash names the entry; the body is JSON, never a pickle.
    (key,) = shared_redis.keys("temubisnis:feed:*")
    assert feed.rsplit("/", 1)[1].removesuffix(".ics").encode() not in key
    assert shared_redis.get(key).startswith(b"{")

    move(day.first, wib(11), table=4, at=PUBLISHED_AT + timedelta(hours=5))
    db.session.commit()
    another_process(app)
    moved = client.get(feed)
    assert moved.headers["ETag"] != first.headers["ETag"]
    assert len(builds) == 2


def test_a_revoked_feed_answers_404_even_with_a_copy_in_redis(app, client, day, feed, shared_redis):
    assert client.get(feed).status_code == 200
    from app.calendar.feeds import find_feed

    find_feed(feed.rsplit("/", 1)[1].removesuffix(".ics")).revoked_at = utcnow()
    db.session.commit()
    another_process(app)
    assert client.get(feed).status_code == 404


def test_feeds_are_served_when_the_shared_redis_is_down(app, client, feed, builds, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "CACHE_REDIS_URL", "redis://127.0.0.1:1/0")
    app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    try:
        statuses = [client.get(feed).status_code for _ in range(3)]
    finally:
        app.extensions.pop(feed_cache.EXTENSION_KEY, None)
    assert statuses == [200, 200, 200]
    assert len(builds) == 1  # the process's own cache still works
    assert "Redis unavailable" in caplog.text
