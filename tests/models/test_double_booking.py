"""The database itself refuses double bookings, whatever the code above it does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import MeetingRequest, MeetingSeat, MeetingStatus, TimetableEntry, TimetableVersion, VersionStatus
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request, make_slot

NINE = datetime(2025, 10, 8, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def day():
    event = make_event()
    return (
        event,
        make_booth(event, table_count=2),
        make_slot(event, NINE),
        make_slot(event, NINE + timedelta(minutes=20)),
    )


def test_one_booth_table_cannot_hold_two_meetings_in_a_slot(day):
    event, booth, nine, _ = day
    make_meeting(make_request(event, make_organization(), booth), nine, table=1)
    with pytest.raises(IntegrityError):
        make_meeting(make_request(event, make_organization(), booth), nine, table=1)


def test_other_tables_and_other_slots_are_free(day):
    event, booth, nine, nine_twenty = day
    make_meeting(make_request(event, make_organization(), booth), nine, table=1)
    make_meeting(make_request(event, make_organization(), booth), nine, table=2)
    make_meeting(make_request(event, make_organization(), booth), nine_twenty, table=1)


def test_a_cooperative_cannot_sit_in_two_meetings_at_once(day):
    event, booth, nine, _ = day
    other_booth = make_booth(event)
    cooperative = make_organization()
    make_meeting(make_request(event, cooperative, booth), nine, table=1)
    with pytest.raises(IntegrityError):
        make_meeting(make_request(event, cooperative, other_booth), nine, table=1)


def test_a_cancelled_meeting_frees_its_table(day):
    event, booth, nine, _ = day
    meeting = make_meeting(make_request(event, make_organization(), booth), nine, table=1)
    meeting.status = MeetingStatus.CANCELLED
    meeting.seats.clear()
    db.session.flush()
    make_meeting(make_request(event, make_organization(), booth), nine, table=1)


def test_a_seat_follows_its_meeting_to_a_new_slot(day):
    event, booth, nine, nine_twenty = day
    cooperative = make_organization()
    meeting = make_meeting(make_request(event, cooperative, booth), nine, table=1)
    meeting.slot = nine_twenty
    db.session.flush()
    db.session.expire_all()
    seat = db.session.get(MeetingSeat, (meeting.id, cooperative.id))
    assert seat.slot_id == nine_twenty.id
    # ...so the cooperative's old slot is free again and the new one is taken.
    make_meeting(make_request(event, cooperative, make_booth(event)), nine, table=1)
    with pytest.raises(IntegrityError):
        make_meeting(make_request(event, cooperative, make_booth(event)), nine_twenty, table=1)


def test_a_seat_cannot_disagree_with_its_meeting_slot(day):
    event, booth, nine, nine_twenty = day
    cooperative = make_organization()
    meeting = make_meeting(make_request(event, cooperative, booth), nine, table=1)
    db.session.add(MeetingSeat(meeting_id=meeting.id, organization_id=make_organization().id, slot_id=nine_twenty.id))
    with pytest.raises(IntegrityError):
        db.session.flush()


def pool_entry(version: TimetableVersion, event, slot, table: int) -> None:
    """Place a request between two organizations (no booth) at a table of the shared pool, in a draft."""
    request = MeetingRequest(event=event, requester=make_organization(), target=make_organization(), booth=None)
    version.entries.append(TimetableEntry(request=request, slot=slot, booth=None, table_number=table))
    db.session.flush()


def test_a_draft_cannot_seat_two_meetings_at_one_pool_table_in_a_slot(day):
    event, _booth, nine, nine_twenty = day
    draft = TimetableVersion(event=event, number=1, status=VersionStatus.DRAFT, solver_status="manual")
    db.session.add(draft)
    pool_entry(draft, event, nine, table=1)
    pool_entry(draft, event, nine, table=2)  # another pool table, same slot
    pool_entry(draft, event, nine_twenty, table=1)  # the same pool table, next slot
    with pytest.raises(IntegrityError):
        pool_entry(draft, event, nine, table=1)
