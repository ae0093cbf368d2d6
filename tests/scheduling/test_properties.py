"""Property: every timetable the solver returns passes the independent check."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scheduling import Problem, SolveOptions, check, solve

from .factories import make_problem_dict


@st.composite
def problems(draw) -> Problem:
    n_slots = draw(st.integers(1, 4))
    slot_ids = [f"s{i + 1}" for i in range(n_slots)]
    n_parties = draw(st.integers(2, 6))
    parties = []
    for i in range(n_parties):
        party = {"id": f"p{i}", "tables": draw(st.sampled_from([0, 0, 1, 2])),
                 "unavailable": draw(st.lists(st.sampled_from(slot_ids), unique=True, max_size=n_slots - 1))}
        parties.append(party)
    pairs = [(a, b) for a in range(n_parties) for b in range(a + 1, n_parties)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=8))
    requests = []
    for k, (a, b) in enumerate(chosen):
        req = {"id": f"r{k}", "parties": [f"p{a}", f"p{b}"], "weight": draw(st.integers(0, 3))}
        if draw(st.integers(0, 5)) == 0:
            req["required"] = True
        if draw(st.integers(0, 5)) == 0:
            req["fixed_slot"] = draw(st.sampled_from(slot_ids))
        if k and draw(st.integers(0, 5)) == 0:
            req["after"] = [f"r{draw(st.integers(0, k - 1))}"]
        requests.append(req)
    spread = draw(st.sampled_from([None, None, 0, 1]))
    doc = make_problem_dict(parties, requests, slots=n_slots, tables=draw(st.integers(0, 3)), spread=spread)
    return Problem.from_dict(doc)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_returned_timetable_passes_check(problem):
    timetable = solve(problem, SolveOptions(time_limit=5, workers=1, seed=0))
    if timetable.status == "infeasible":
        assert timetable.conflicts and all(c.message for c in timetable.conflicts)
        return
    assert timetable.status == "optimal"
    report = check(problem, timetable)
    assert report.ok, report.violations
    assert {k: timetable.objective[k] for k in report.objective} == report.objective
    assert {u.request for u in timetable.unscheduled} | {m.request for m in timetable.meetings} == {
        r.id for r in problem.requests}
    assert all(u.reason for u in timetable.unscheduled)
    for key in ("served", "weight"):
        assert timetable.bound[key] == timetable.objective[key]
