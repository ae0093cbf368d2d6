"""The solver never places a panelist's meetings during their panel, nor a seated cooperative's during its session."""

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import OrganizationKind, SessionKind, SessionRole
from app.scheduling import SolveOptions, solve
from app.timetable.problem_builder import build_problem, request_key
from tests.factories import make_booth, make_event, make_request
from tests.programme.factories import add_person, at, join, make_cooperative, make_registration, make_session


def test_solver_never_places_a_panelists_meeting_during_the_panel():
    event = make_event()  # 09.00-12.00 WIB: nine 20-minute slots
    slots = rebuild_slots(event)
    bulog = make_cooperative(kind=OrganizationKind.STATE_ENTERPRISE, short_name="BULOG", village_code=None)
    booth = make_booth(event, organization=bulog, table_count=1)
    panel = make_session(event, title="Skema kemitraan", starts_at=at(10), ends_at=at(11), capacity=None)
    add_person(panel, SessionRole.PANELIST, name="Perwakilan Perum BULOG", organization_id=bulog.id)
    # Eight cooperatives want BULOG's one table: more than the six slots BULOG has outside its panel.
    requests = [make_request(event, make_registration(event).organization, booth) for _ in range(8)]
    db.session.flush()

    timetable = solve(build_problem(event), SolveOptions(time_limit=10, workers=1, seed=1))

    assert timetable.status in ("optimal", "feasible")
    code_of = {s.id: s.code for s in slots}
    panel_slots = {code_of[s.id] for s in slots if s.starts_at < panel.ends_at and panel.starts_at < s.ends_at}
    assert len(panel_slots) == 3
    bulog_meetings = [m for m in timetable.meetings if m.request in {request_key(r.id) for r in requests}]
    assert {m.slot for m in bulog_meetings}.isdisjoint(panel_slots)
    assert len(bulog_meetings) == 6  # every slot outside the panel is used


def test_solver_keeps_a_seated_cooperative_free_during_its_session():
    event = make_event()
    slots = rebuild_slots(event)
    booth = make_booth(event, table_count=3)
    workshop = make_session(
        event, kind=SessionKind.WORKSHOP, title="Pembukuan koperasi", starts_at=at(9), ends_at=at(11, 40), capacity=5
    )
    seated = make_registration(event)
    join(workshop, seated)
    request = make_request(event, seated.organization, booth)
    db.session.flush()

    timetable = solve(build_problem(event), SolveOptions(time_limit=10, workers=1, seed=1))

    [meeting] = [m for m in timetable.meetings if m.request == request_key(request.id)]
    assert meeting.slot == next(s.code for s in slots if s.starts_at == at(11, 40))
