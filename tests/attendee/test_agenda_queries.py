"""The agenda page and the feed cost a fixed number of queries, however many meetings a cooperative has."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event

from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import EventStatus, FeedKind
from tests.attendee.conftest import link_client, make_registration
from tests.factories import make_meeting, make_request


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect every SQL statement sent while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)


def publish_meetings(event, booths, count: int):
    """Return a registration with `count` meetings (one per booth) in the published timetable."""
    registration = make_registration(event)
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    for index, booth in enumerate(booths[:count]):
        make_meeting(make_request(event, registration.organization, booth), slots[index], table=1)
    event.status = EventStatus.PUBLISHED
    db.session.commit()
    return registration


@pytest.mark.parametrize("meetings", [1, 3])
def test_cooperative_rereading_its_agenda_costs_a_few_queries_whatever_its_meetings(client, event, booths, meetings):
    registration = publish_meetings(event, booths, meetings)
    link_client(client, registration)
    assert client.get("/saya/agenda").status_code == 200  # first look: takes note of the time
    with counted_queries() as statements:
        page = client.get("/saya/agenda")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(booth.organization.display_name in html for booth in booths[:meetings])
    # link with registration, event and organization; the fingerprint; meetings with slot, booth and parties;
    # sessions; speakers
    assert len(statements) <= 5, statements
    with counted_queries() as cached:
        again = client.get("/saya/agenda")
    assert again.get_data(as_text=True) == html
    # link with registration, event and organization; the fingerprint (the page itself comes from the cache)
    assert len(cached) <= 2, cached


@pytest.mark.parametrize("meetings", [1, 3])
def test_calendar_feed_costs_a_few_queries_whatever_its_meetings(client, event, booths, meetings):
    registration = publish_meetings(event, booths, meetings)
    token = issue_feed(event, FeedKind.ATTENDEE, organization=registration.organization)
    db.session.commit()
    with counted_queries() as built:
        assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    with counted_queries() as cached:
        assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    # token with fingerprint; feed with event and organization; meetings; the parties' sectors (needs and offers
    # in one query) and representatives; sessions and speakers; the first fetch is also recorded (update)
    assert len([s for s in built if s.lstrip().upper().startswith("SELECT")]) <= 7, built
    # one query: the token with its usability and the fingerprint
    assert len(cached) <= 1, cached
