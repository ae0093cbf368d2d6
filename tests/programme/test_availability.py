"""A panelist's organization has no meetings while its representative is on stage."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import ProgrammeSession, SessionKind, SessionPerson, SessionRole
from app.programme.availability import busy_slots
from app.programme.signups import leave
from tests.factories import make_booth, make_event
from tests.programme.factories import at, join, make_registration, make_session

WIB = ZoneInfo("Asia/Jakarta")


def panel(event, org, start, end, **overrides):
    session = ProgrammeSession(
        event=event, kind=SessionKind.PANEL, title="Skema kemitraan", starts_at=start, ends_at=end, **overrides
    )
    session.people.append(SessionPerson(role=SessionRole.PANELIST, name="Perwakilan", organization_id=org.id))
    db.session.add(session)
    db.session.flush()
    return session


def test_panelist_is_busy_exactly_during_the_panel():
    event = make_event()
    slots = rebuild_slots(event)  # 09:00..12:00, 20 minutes
    booth = make_booth(event)
    panel(
        event, booth.organization, datetime(2025, 10, 8, 10, 0, tzinfo=WIB), datetime(2025, 10, 8, 10, 30, tzinfo=WIB)
    )
    busy = busy_slots(event)[booth.organization_id]
    assert sorted(s.starts_at.astimezone(WIB).time() for s in slots if s.id in busy) == [time(10, 0), time(10, 20)]


def test_changeover_keeps_a_slot_free_before_and_after():
    event = make_event(changeover_minutes=20)
    slots = rebuild_slots(event)
    booth = make_booth(event)
    panel(
        event, booth.organization, datetime(2025, 10, 8, 10, 0, tzinfo=WIB), datetime(2025, 10, 8, 10, 20, tzinfo=WIB)
    )
    busy = busy_slots(event)[booth.organization_id]
    assert sorted(s.starts_at.astimezone(WIB).time() for s in slots if s.id in busy) == [
        time(9, 40),
        time(10, 0),
        time(10, 20),
    ]


def test_a_cancelled_session_frees_its_people():
    event = make_event()
    rebuild_slots(event)
    booth = make_booth(event)
    start = datetime(2025, 10, 8, 10, 0, tzinfo=WIB)
    panel(event, booth.organization, start, start.replace(minute=30), cancelled=True)
    assert busy_slots(event) == {}


def test_a_cooperative_holding_a_seat_is_busy_during_the_session_but_not_one_waiting():
    event = make_event(changeover_minutes=20)
    slots = rebuild_slots(event)
    workshop = make_session(
        event,
        starts_at=at(10),
        ends_at=at(10, 40),
        capacity=1,
    )
    seated, waiting = make_registration(event), make_registration(event)
    seat = join(workshop, seated)
    join(workshop, waiting)

    busy = busy_slots(event)
    # A seated cooperative needs no changeover: it is not on stage.
    assert sorted(s.starts_at.astimezone(WIB).time() for s in slots if s.id in busy[seated.organization_id]) == [
        time(10, 0),
        time(10, 20),
    ]
    assert waiting.organization_id not in busy

    leave(seat)  # the waiting cooperative takes the seat
    busy = busy_slots(event)
    assert seated.organization_id not in busy
    assert waiting.organization_id in busy


def test_seats_in_a_cancelled_session_keep_nobody_busy():
    event = make_event()
    rebuild_slots(event)
    workshop = make_session(event, starts_at=at(10), ends_at=at(11))
    join(workshop, make_registration(event))
    workshop.cancelled = True
    db.session.flush()
    assert busy_slots(event) == {}
