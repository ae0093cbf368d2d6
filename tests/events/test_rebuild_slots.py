"""Changing an event's settings updates its stored slots without losing meetings."""

from datetime import time

import pytest

from app.events.services import SlotGridLocked, rebuild_slots
from app.extensions import db
from app.models import BreakKind, EventBreak, ProgrammeSession, SessionKind
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request


def test_new_event_gets_its_grid_and_keeps_slot_ids_on_rebuild():
    event = make_event()  # 09:00-12:00, 20-minute slots
    first = rebuild_slots(event)
    assert len(first) == 9
    ids = [s.id for s in first]
    assert [s.id for s in rebuild_slots(event)] == ids


def test_adding_a_break_removes_the_slots_it_covers():
    event = make_event()
    rebuild_slots(event)
    event.breaks.append(EventBreak(kind=BreakKind.PRAYER, title="Sholat Dhuha", starts=time(10), ends=time(10, 40)))
    slots = rebuild_slots(event)
    assert len(slots) == 7


def test_a_plenary_session_for_everyone_blocks_meetings():
    event = make_event()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    db.session.add(
        ProgrammeSession(
            event=event,
            kind=SessionKind.OPENING,
            title="Pembukaan",
            for_everyone=True,
            starts_at=datetime(2025, 10, 8, 9, 0, tzinfo=wib),
            ends_at=datetime(2025, 10, 8, 9, 30, tzinfo=wib),
        )
    )
    db.session.flush()
    slots = rebuild_slots(event)
    assert slots[0].starts_at == datetime(2025, 10, 8, 9, 30, tzinfo=wib)


def test_a_slot_holding_a_meeting_cannot_be_dropped():
    event = make_event()
    slots = rebuild_slots(event)
    booth = make_booth(event)
    make_meeting(make_request(event, make_organization(), booth), slots[0], table=1)
    event.days[0].meetings_start = time(10)
    with pytest.raises(SlotGridLocked):
        rebuild_slots(event)


def test_cancelling_the_opening_gives_its_time_back_to_meetings():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    wib = ZoneInfo("Asia/Jakarta")
    event = make_event()
    opening = ProgrammeSession(
        event=event,
        kind=SessionKind.OPENING,
        title="Pembukaan",
        for_everyone=True,
        starts_at=datetime(2025, 10, 8, 9, 0, tzinfo=wib),
        ends_at=datetime(2025, 10, 8, 9, 40, tzinfo=wib),
    )
    db.session.add(opening)
    db.session.flush()
    assert len(rebuild_slots(event)) == 7
    opening.cancelled = True
    db.session.flush()
    assert len(rebuild_slots(event)) == 9
