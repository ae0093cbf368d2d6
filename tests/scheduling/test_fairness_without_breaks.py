"""The fairness rule at its strictest: when somebody can never have a break, spread 0 means nobody may."""

from __future__ import annotations

import importlib
import time

import pytest

from app.scheduling import SolveOptions, check, solve
from app.scheduling.maxsat import BreaksMaxSat
from app.scheduling.problem import Problem
from app.scheduling.timetable import Timetable

from .factories import make_problem, one_forced_break

FAST = SolveOptions(time_limit=10, workers=2)
solving = importlib.import_module("app.scheduling.solve")


def test_parties_with_one_meeting_or_no_room_between_meetings_never_have_a_break():
    parties = ["ani", "budi", "citra", "dodi", {"id": "eko", "unavailable": ["s3", "s4"]}, "fajar"]
    reqs = [
        {"parties": ["ani", "budi"]},  # budi: one meeting
        {"parties": ["ani", "citra"]},
        {"parties": ["eko", "dodi"]},  # eko: two meetings, but only s1 and s2 free
        {"parties": ["eko", "citra"]},
    ]
    problem = make_problem(parties, reqs, slots=4)
    assert problem.never_breaks == {"budi", "dodi", "eko", "fajar"}  # fajar has no request at all
    assert "ani" not in problem.never_breaks and "citra" not in problem.never_breaks


def test_spread_zero_with_a_one_meeting_party_forbids_breaks():
    assert one_forced_break(spread=0).fairness_forbids_breaks  # budi meets only ani
    assert not one_forced_break(spread=1).fairness_forbids_breaks
    assert not one_forced_break(spread=None).fairness_forbids_breaks


def _break_free_day(spread: int) -> Problem:
    """Five cooperatives and two booths on six slots; a break-free timetable exists, but a careless one
    leaves Perum BULOG idle between meetings."""
    parties = [{"id": "bulog", "tables": 1}, {"id": "pertamina", "tables": 1}] + [f"kdkmp-{i}" for i in range(5)]
    reqs = [{"parties": ["bulog", f"kdkmp-{i}"], "required": True} for i in range(3)]
    reqs += [{"parties": ["pertamina", f"kdkmp-{i}"], "required": True} for i in range(2, 5)]
    reqs.append({"parties": ["bulog", "kdkmp-4"], "required": True, "fixed_slot": "s5"})
    return make_problem(parties, reqs, slots=6, tables=4, spread=spread)


def test_organizer_gets_a_timetable_without_any_break_when_one_exists():
    problem = _break_free_day(spread=0)
    assert problem.fairness_forbids_breaks
    t = solve(problem, FAST)
    assert t.status == "optimal"
    assert t.objective["breaks"] == 0 and t.bound["breaks"] == 0
    assert check(problem, t).ok


def test_organizer_is_told_which_parties_hold_everyone_to_no_break():
    problem = one_forced_break(spread=0)  # ani must wait between budi (s1) and citra (from s3)
    t = solve(problem, FAST)
    assert t.status == "infeasible" and not t.meetings
    (conflict,) = t.conflicts
    assert conflict.kind == "fairness"
    assert "fairness rule" in conflict.message


def test_without_a_clashing_set_in_time_the_no_break_rule_is_named(monkeypatch):
    monkeypatch.setattr(solving, "core_conflicts", lambda *args, **kwargs: [])
    t = solve(one_forced_break(spread=0), FAST)
    (conflict,) = t.conflicts
    assert t.status == "infeasible" and conflict.kind == "fairness"
    assert "BUDI" in conflict.message and "budi" in conflict.parties  # budi has one meeting: never a break
    assert "at least 1 break in all" in conflict.message


def test_without_a_clashing_set_in_time_the_rules_are_named_as_a_whole(monkeypatch):
    monkeypatch.setattr(solving, "core_conflicts", lambda *args, **kwargs: [])
    # a triangle of required meetings needs three slots; there are two
    reqs = [{"parties": ["a", "b"], "required": True}, {"parties": ["b", "c"], "required": True},
            {"parties": ["a", "c"], "required": True}]
    t = solve(make_problem(list("abc"), reqs, slots=2), FAST)
    (conflict,) = t.conflicts
    assert t.status == "infeasible" and conflict.kind == "combination"
    assert "no smaller set of clashing rules was found" in conflict.message


def test_once_a_break_is_proven_the_search_without_the_rule_is_stopped(monkeypatch):
    """The day without the rule is solved only until one break is proven unavoidable."""
    seen: dict[str, bool] = {}

    def day_without_the_rule(problem, options, on_progress):
        assert problem.rules.max_break_spread is None
        seen["before"] = options.stopped()
        on_progress({"level": "breaks", "objective": {"breaks": 5}, "bound": {"breaks": 1}, "seconds": 0.1})
        seen["after"] = options.stopped()
        return Timetable("feasible", objective={"breaks": 5}, bound={"breaks": 0})

    monkeypatch.setattr(solving, "solve", day_without_the_rule)
    monkeypatch.setattr(solving, "core_conflicts", lambda *args, **kwargs: [])
    t = solving._solve_break_free(one_forced_break(spread=0), SolveOptions(time_limit=600), None)
    assert seen == {"before": False, "after": True}
    assert t.status == "infeasible" and t.conflicts[0].kind == "fairness"


def test_maxsat_tells_each_rise_of_its_lower_bound():
    formula = BreaksMaxSat(one_forced_break())
    rises: list[int] = []
    found = formula.solve(time.monotonic() + 30, on_bound=rises.append)
    assert found is not None and found[1] == 1
    assert rises == [1]


@pytest.mark.parametrize("spread", [1, 2])
def test_a_looser_spread_still_allows_the_break(spread):
    t = solve(one_forced_break(spread=spread), FAST)
    assert t.status == "optimal" and t.objective["breaks"] == 1


def test_a_clash_found_by_counting_is_named_as_such_under_the_strictest_fairness_rule():
    parties = [{"id": "ani", "unavailable": ["s1"]}, "budi", "citra", "dodi"]
    reqs = [{"parties": ["ani", other], "required": True} for other in ("budi", "citra", "dodi")]
    problem = make_problem(parties, reqs, slots=3, spread=0)
    assert problem.fairness_forbids_breaks
    t = solve(problem, FAST)
    assert t.status == "infeasible" and [c.kind for c in t.conflicts] == ["party_overload"]
