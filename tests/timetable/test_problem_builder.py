"""The solver's problem is built from the event's rows, with every source of unavailability."""

from datetime import date, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import (
    EventDay,
    ProgrammeSession,
    Registration,
    RequestStatus,
    SessionKind,
    SessionPerson,
    SessionRole,
    Slot,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from app.scheduling import SolveOptions, check, solve
from app.timetable.problem_builder import Pin, build_problem, party_key, request_key
from tests.factories import make_meeting
from tests.timetable.conftest import NINE, make_small_event


def test_slots_parties_and_requests_get_readable_stable_ids():
    small = make_small_event()
    problem = build_problem(small.event)
    assert [s.id for s in problem.ordered_slots] == ["d20251008-0900", "d20251008-0920", "d20251008-0940"]
    booth = small.booths[0]
    host = problem.party_by_id[party_key(booth.organization_id)]
    assert host.tables == 2 and host.name == "BUMN A"
    coop = problem.party_by_id[party_key(small.cooperatives[0].id)]
    assert coop.tables == 0 and coop.capacity == 1
    request = problem.request_by_id[request_key(small.requests[0].id)]
    assert request.host == host.id and request.weight == 2
    assert set(request.parties) == {host.id, coop.id}


def test_declined_and_withdrawn_requests_are_left_out():
    small = make_small_event()
    small.requests[0].status = RequestStatus.DECLINED
    small.requests[1].status = RequestStatus.WITHDRAWN
    small.requests[2].status = RequestStatus.ACCEPTED
    small.requests[2].mutual = True
    problem = build_problem(small.event)
    assert [r.id for r in problem.requests] == [request_key(small.requests[2].id)]
    assert problem.requests[0].weight == 3  # priority 2, plus one for mutual interest


def test_a_booth_is_unavailable_on_days_it_is_absent():
    small = make_small_event()
    event = small.event
    second = EventDay(date=date(2025, 10, 9), meetings_start=time(9), meetings_end=time(12))
    event.days.append(second)
    db.session.flush()
    next_day = Slot(
        event=event, day=second, starts_at=NINE + timedelta(days=1), ends_at=NINE + timedelta(days=1, minutes=20)
    )
    db.session.add(next_day)
    small.booths[0].days = [event.days[0]]
    db.session.flush()
    problem = build_problem(event)
    assert problem.party_by_id[party_key(small.booths[0].organization_id)].unavailable == ("d20251009-0900",)


def test_a_cooperative_arriving_late_is_unavailable_before():
    small = make_small_event()
    registration = db.session.scalars(select(Registration).order_by(Registration.id)).first()
    registration.available_from = NINE + timedelta(minutes=20)
    registration.available_until = NINE + timedelta(minutes=40)
    db.session.flush()
    problem = build_problem(small.event)
    party = problem.party_by_id[party_key(registration.organization_id)]
    assert party.unavailable == ("d20251008-0900", "d20251008-0940")


def test_people_on_stage_are_unavailable_during_their_session():
    small = make_small_event()
    panelist_org = small.cooperatives[1]
    session = ProgrammeSession(
        event=small.event,
        kind=SessionKind.PANEL,
        title="Panel kemitraan",
        starts_at=NINE + timedelta(minutes=20),
        ends_at=NINE + timedelta(minutes=40),
    )
    session.people.append(SessionPerson(role=SessionRole.PANELIST, name="Ibu Sri", organization=panelist_org))
    db.session.add(session)
    db.session.flush()
    problem = build_problem(small.event)
    assert problem.party_by_id[party_key(panelist_org.id)].unavailable == ("d20251008-0920",)
    assert problem.party_by_id[party_key(small.cooperatives[0].id)].unavailable == ()


def test_locked_meetings_of_the_draft_are_fixed_and_required():
    small = make_small_event()
    version = TimetableVersion(event=small.event, number=1, status=VersionStatus.DRAFT)
    version.entries.append(
        TimetableEntry(
            request=small.requests[0], slot=small.slots[2], booth=small.booths[0], table_number=1, locked=True
        )
    )
    version.entries.append(
        TimetableEntry(
            request=small.requests[1], slot=small.slots[0], booth=small.booths[0], table_number=1, locked=False
        )
    )
    db.session.add(version)
    db.session.flush()
    problem = build_problem(small.event)
    locked = problem.request_by_id[request_key(small.requests[0].id)]
    assert locked.fixed_slot == "d20251008-0940" and locked.required
    assert problem.request_by_id[request_key(small.requests[1].id)].fixed_slot is None
    timetable = solve(problem, SolveOptions(time_limit=5, workers=1))
    assert check(problem, timetable).ok
    assert {m.request: m.slot for m in timetable.meetings}[locked.id] == "d20251008-0940"


def test_without_a_draft_locked_published_meetings_are_fixed():
    small = make_small_event()
    make_meeting(small.requests[1], small.slots[1], 2, locked=True)
    make_meeting(small.requests[2], small.slots[0], 1)
    problem = build_problem(small.event)
    assert problem.request_by_id[request_key(small.requests[1].id)].fixed_slot == "d20251008-0920"
    assert problem.request_by_id[request_key(small.requests[2].id)].fixed_slot is None
    kept = build_problem(small.event, {small.requests[2].id: Pin(small.slots[0].id, required=False)})
    pinned = kept.request_by_id[request_key(small.requests[2].id)]
    assert pinned.fixed_slot == "d20251008-0900" and not pinned.required
