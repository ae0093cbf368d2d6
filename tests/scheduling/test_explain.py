"""Unscheduled requests carry a reason; infeasible problems name what clashes."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from app.scheduling import SolveOptions, solve

from .factories import make_problem

FAST = SolveOptions(time_limit=10, workers=1, seed=1)


def test_parties_without_a_common_free_slot_are_told_so():
    parties = [{"id": "kdkmp-1", "name": "KDKMP Wonokerto", "unavailable": ["s1"]},
               {"id": "bulog", "name": "Perum BULOG", "tables": 2, "unavailable": ["s2"]}]
    t = solve(make_problem(parties, [{"parties": ["kdkmp-1", "bulog"]}], slots=2), FAST)
    assert t.status == "optimal"
    (u,) = t.unscheduled
    assert u.reason == "KDKMP Wonokerto and Perum BULOG share no free slot"
    assert u.kind == "no_common_slot" and set(u.parties) == {"kdkmp-1", "bulog"}


def test_busy_cooperative_is_named():
    parties = ["a", {"id": "x", "tables": 1}, {"id": "y", "tables": 1}]
    reqs = [{"parties": ["a", "x"], "weight": 2}, {"parties": ["a", "y"], "weight": 1}]
    t = solve(make_problem(parties, reqs, slots=1), FAST)
    (u,) = t.unscheduled
    assert u.request == "r2"
    assert u.reason == "A already has meetings in every slot both parties are free"


def test_predecessor_not_scheduled_is_the_reason():
    parties = ["a", "b", {"id": "c", "unavailable": ["s1"]}, "d"]
    reqs = [{"parties": ["a", "b"], "after": ["r2"]}, {"parties": ["c", "d"]}]
    t = solve(make_problem(parties, reqs, slots=1), FAST)
    assert {u.request: u.kind for u in t.unscheduled} == {"r1": "predecessor_unscheduled", "r2": "no_common_slot"}


def infeasible(problem):
    t = solve(problem, FAST)
    assert t.status == "infeasible"
    assert t.conflicts and not t.meetings
    return t.conflicts


def test_party_with_more_required_meetings_than_free_slots():
    parties = [{"id": "a", "name": "KDKMP Wonokerto", "unavailable": ["s1"]}, "b", "c", "d"]
    reqs = [{"parties": ["a", x], "required": True} for x in "bcd"]
    (c,) = infeasible(make_problem(parties, reqs, slots=3))
    assert c.kind == "party_overload"
    assert c.parties == ("a",) and set(c.requests) == {"r1", "r2", "r3"} and set(c.slots) == {"s2", "s3"}
    assert c.message == "KDKMP Wonokerto has 3 required meetings but only 2 free slots"


def test_more_pinned_meetings_than_tables():
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1", "required": True},
            {"parties": ["c", "d"], "fixed_slot": "s1", "required": True}]
    conflicts = infeasible(make_problem(list("abcd"), reqs, tables=1))
    assert conflicts[0].kind == "pinned_overload"
    assert conflicts[0].slots == ("s1",) and set(conflicts[0].requests) == {"r1", "r2"}
    assert "the shared pool has 1 tables" in conflicts[0].message


def test_party_pinned_twice_in_one_slot():
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1", "required": True},
            {"parties": ["a", "c"], "fixed_slot": "s1", "required": True}]
    conflicts = infeasible(make_problem(list("abc"), reqs))
    assert conflicts[0].kind == "pinned_overload" and conflicts[0].parties == ("a",)


def test_precedence_cycle():
    reqs = [{"parties": ["a", "b"], "after": ["r2"], "required": True}, {"parties": ["c", "d"], "after": ["r1"]}]
    conflicts = infeasible(make_problem(list("abcd"), reqs))
    assert conflicts[0].kind == "precedence_cycle"
    assert set(conflicts[0].requests) == {"r1", "r2"}


def test_precedence_chain_longer_than_the_day():
    reqs = [{"parties": ["a", "b"], "required": True},
            {"parties": ["c", "d"], "after": ["r1"], "required": True},
            {"parties": ["e", "f"], "after": ["r2"], "required": True}]
    conflicts = infeasible(make_problem(list("abcdef"), reqs, slots=2))
    assert conflicts[0].kind == "precedence_chain"
    assert conflicts[0].requests == ("r1", "r2", "r3")


def test_required_meeting_without_common_slot():
    parties = [{"id": "a", "unavailable": ["s1"]}, {"id": "b", "unavailable": ["s2"]}]
    (c,) = infeasible(make_problem(parties, [{"parties": ["a", "b"], "required": True}], slots=2))
    assert c.kind == "no_common_slot" and c.requests == ("r1",)


def test_more_required_meetings_than_the_pool_holds():
    reqs = [{"parties": [x, y], "required": True} for x, y in ("ab", "cd", "ef")]
    conflicts = infeasible(make_problem(list("abcdef"), reqs, slots=1, tables=2))
    assert "tables_overload" in [c.kind for c in conflicts]


@pytest.mark.parametrize("spread", [0])
def test_fairness_rule_that_cannot_hold_is_explained_by_the_solver(spread):
    # a must meet b in s1 and c in s3: a has one break, everyone else none
    parties = ["a", "b", "c"]
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1", "required": True},
            {"parties": ["a", "c"], "fixed_slot": "s3", "required": True}]
    (c,) = infeasible(make_problem(parties, reqs, spread=spread))
    assert c.kind == "fairness"
    assert "fairness rule" in c.message
    assert set(c.requests) >= {"r1", "r2"}


def test_combination_found_by_the_solver_names_the_requests():
    # every pair is free, but a triangle of required meetings needs 3 slots and there are 2
    reqs = [{"parties": ["a", "b"], "required": True}, {"parties": ["b", "c"], "required": True},
            {"parties": ["a", "c"], "required": True}]
    (c,) = infeasible(make_problem(list("abc"), reqs, slots=2))
    assert c.kind == "combination"
    assert set(c.requests) == {"r1", "r2", "r3"}
    assert c.message.startswith("These rules cannot all hold together")


def test_a_seeded_solve_names_the_same_clash_every_time_even_with_two_workers(monkeypatch):
    # two separate triangles of required meetings in 2 slots: either one proves the day impossible
    reqs = [{"parties": list(pair), "required": True} for pair in ("ab", "bc", "ac", "de", "ef", "df")]
    problem = make_problem(list("abcdef"), reqs, slots=2)
    asked = []
    solve_with = cp_model.CpSolver.solve

    def recording(solver, model, *args):
        asked.append((solver.parameters.random_seed, solver.parameters.interleave_search))
        return solve_with(solver, model, *args)

    monkeypatch.setattr(cp_model.CpSolver, "solve", recording)
    seeded = SolveOptions(time_limit=10, workers=2, seed=7)
    answers = [solve(problem, seeded).conflicts for _ in range(3)]
    assert answers[0] and answers[0][0].kind == "combination"
    assert answers[1] == answers[0] and answers[2] == answers[0]
    assert asked and all(call == (7, True) for call in asked)  # the core search too is seeded and interleaved
