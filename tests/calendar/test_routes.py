"""The calendar routes: caching headers calendar apps rely on, the public programme, who may download what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.http import http_date

from app.extensions import db
from app.models import EventStatus, Role
from tests.calendar.factories import PUBLISHED_AT, log_in, make_user, move, wib
from tests.calendar.parsers import assert_accepted_everywhere, events_by_uid


def test_calendar_app_gets_304_while_its_copy_is_current(client, feed):
    first = client.get(feed)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Last-Modified"] == http_date(PUBLISHED_AT)
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in first.headers["Cache-Control"]

    by_etag = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert by_etag.status_code == 304 and by_etag.data == b""
    by_date = client.get(feed, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    older = http_date(PUBLISHED_AT - timedelta(hours=1))
    assert client.get(feed, headers={"If-Modified-Since": older}).status_code == 200


def test_a_moved_meeting_changes_the_etag_and_reaches_the_calendar_app(client, day, feed):
    first = client.get(feed)
    move(day.first, wib(11), table=4, at=PUBLISHED_AT + timedelta(hours=5))
    db.session.commit()
    second = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] == http_date(PUBLISHED_AT + timedelta(hours=5))
    moved = [e for uid, e in events_by_uid(second.data).items() if uid.startswith(f"meeting-{day.first.id}@")]
    assert moved[0].start == wib(11) and moved[0]["SEQUENCE"] == 2


def test_feed_downloads_as_a_file_on_request(client, feed):
    assert client.get(feed).headers["Content-Disposition"].startswith("inline;")
    download = client.get(feed + "?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    assert download.headers["Content-Disposition"].endswith('.ics"')


def test_anyone_can_subscribe_to_the_public_programme(client, day):
    response = client.get(f"/calendar/e/{day.event.slug}/programme.ics")
    assert response.status_code == 200
    assert "public" in response.headers["Cache-Control"]
    assert_accepted_everywhere(response.data)
    assert {u.split("@")[0] for u in events_by_uid(response.data)} == {
        f"session-{day.opening.id}",
        f"session-{day.panel.id}",
    }
    assert b"Susunan acara" in response.data
    assert b"Programme" in client.get(f"/calendar/e/{day.event.slug}/programme.ics?lang=en").data


def test_a_draft_events_programme_is_not_public(client, day):
    day.event.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(f"/calendar/e/{day.event.slug}/programme.ics").status_code == 404
    assert client.get(f"/calendar/sessions/{day.panel.id}.ics").status_code == 404
    assert client.get("/calendar/e/no-such-event/programme.ics").status_code == 404


def test_a_single_session_downloads_as_a_file(client, day):
    response = client.get(f"/calendar/sessions/{day.panel.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert list(events_by_uid(response.data)) == [f"session-{day.panel.id}@127.0.0.1"]


def make_role_user(day, who: str):
    return {
        "organizer": lambda: make_user(Role.ORGANIZER),
        "own cooperative": lambda: make_user(Role.ATTENDEE, day.sumber_rejo),
        "other cooperative": lambda: make_user(Role.ATTENDEE, day.wonokerto),
        "booth staff": lambda: make_user(Role.BOOTH_STAFF, day.bulog.organization),
        "moderator": lambda: make_user(Role.MODERATOR),
    }[who]()


@pytest.mark.parametrize(
    "who, status",
    [
        ("organizer", 200),
        ("own cooperative", 200),
        ("booth staff", 200),
        ("other cooperative", 404),
        ("moderator", 404),
    ],
)
def test_who_may_download_a_single_meeting(client, day, who, status):
    user = make_role_user(day, who)
    db.session.commit()
    log_in(client, user)
    response = client.get(f"/calendar/meetings/{day.first.id}.ics")
    assert response.status_code == status
    if status == 200:
        assert list(events_by_uid(response.data)) == [f"meeting-{day.first.id}@127.0.0.1"]


def test_a_single_meeting_needs_a_login(client, day):
    response = client.get(f"/calendar/meetings/{day.first.id}.ics")
    assert response.status_code in (302, 401)
    assert b"VCALENDAR" not in response.data


@pytest.mark.parametrize(
    "who, expected",
    [
        ("own cooperative", {"first", "opening"}),
        ("other cooperative", {"second", "opening"}),
        ("booth staff", {"first", "second"}),
        ("moderator", set()),
    ],
)
def test_logged_in_users_download_their_own_calendar(client, day, who, expected):
    user = make_role_user(day, who)
    db.session.commit()
    log_in(client, user)
    response = client.get(f"/calendar/events/{day.event.id}/mine.ics")
    assert response.status_code == 200
    names = {
        f"meeting-{day.first.id}": "first",
        f"meeting-{day.second.id}": "second",
        f"session-{day.opening.id}": "opening",
        f"session-{day.panel.id}": "panel",
    }
    assert {names[uid.split("@")[0]] for uid in events_by_uid(response.data)} == expected


def test_an_organizer_has_no_own_calendar_to_download(client, day):
    log_in(client, make_user(Role.ORGANIZER))
    db.session.commit()
    assert client.get(f"/calendar/events/{day.event.id}/mine.ics").status_code == 403
