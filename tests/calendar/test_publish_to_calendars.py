"""End to end with the real publish service: two published versions reach the feeds and the invitations."""

from __future__ import annotations

import pytest

from app.calendar.feeds import issue_feed
from app.extensions import db
from app.mail import outbox
from app.models import EventStatus, FeedKind, TimetableEntry, TimetableVersion
from tests.calendar.factories import make_published_day, wib
from tests.calendar.parsers import assert_accepted_everywhere, events_by_uid
from tests.factories import make_slot

publish = pytest.importorskip("app.timetable.publish")


def publish_version(event, number: int, placements) -> None:
    """Write a draft with the given (request, slot, table) placements, publish it and announce it."""
    version = TimetableVersion(event=event, number=number, solver_status="manual")
    version.entries = [
        TimetableEntry(request=request, slot=slot, booth=request.booth, table_number=table)
        for request, slot, table in placements
    ]
    db.session.add(version)
    db.session.flush()
    diff = publish.publish_version(version)
    db.session.commit()
    publish.announce_published(version, diff)


def test_a_moved_and_a_cancelled_meeting_reach_the_feed_and_the_inbox(client):
    day = make_published_day(status=EventStatus.REGISTRATION_CLOSED)
    first_request, second_request = day.first.request, day.second.request
    # Start from requests only: the live meetings are the publish service's to create.
    db.session.delete(day.first)
    db.session.delete(day.second)
    db.session.flush()
    nine_forty, ten, ten_forty = (make_slot(day.event, wib(h, m)) for h, m in ((9, 40), (10, 0), (10, 40)))
    token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    booth_token = issue_feed(day.event, FeedKind.BOOTH, booth=day.bulog)
    db.session.commit()
    outbox().messages.clear()

    publish_version(day.event, 1, [(first_request, nine_forty, 3), (second_request, ten, 1)])
    feed_v1 = client.get(f"/calendar/feed/{token}.ics").data
    (uid,) = [u for u in events_by_uid(feed_v1) if u.startswith("meeting-")]
    assert events_by_uid(feed_v1)[uid]["SEQUENCE"] == 0
    assert [m.get_content_type() for m in outbox().messages] == ["multipart/mixed", "multipart/mixed"]
    assert sorted(m["To"] for m in outbox().messages) == ["ahmad@wonokerto.example", "siti@sumberrejo.example"]
    outbox().messages.clear()

    publish_version(day.event, 2, [(first_request, ten_forty, 2)])
    feed_v2 = client.get(f"/calendar/feed/{token}.ics").data
    moved = events_by_uid(feed_v2)[uid]
    assert moved["SEQUENCE"] == 1 and moved.start == wib(10, 40)
    assert "Meja 2" in str(moved["LOCATION"])
    booth_v2 = events_by_uid(client.get(f"/calendar/feed/{booth_token}.ics").data)
    cancelled = [e for u, e in booth_v2.items() if u != uid and u.startswith("meeting-")]
    assert [str(e["STATUS"]) for e in cancelled] == ["CANCELLED"]
    assert_accepted_everywhere(feed_v2)

    methods = sorted((m["To"], p.get_param("method")) for m in outbox().messages for p in m.iter_attachments())
    assert methods == [("ahmad@wonokerto.example", "CANCEL"), ("siti@sumberrejo.example", "REQUEST")]
