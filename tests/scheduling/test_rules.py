"""Each hard rule and each objective level on a tiny problem with a known answer."""

from __future__ import annotations

from app.scheduling import SolveOptions, check, solve
from app.scheduling.model import build_model

from .factories import make_problem

FAST = SolveOptions(time_limit=10, workers=1, seed=1)


def slots_of(timetable):
    return {m.request: m.slot for m in timetable.meetings}


def solved(problem):
    timetable = solve(problem, FAST)
    assert timetable.status == "optimal", timetable
    assert check(problem, timetable).ok
    return timetable


def test_party_meets_one_at_a_time_by_default():
    p = make_problem(["a", "b", "c"], [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}], slots=1)
    t = solved(p)
    assert len(t.meetings) == 1
    assert t.objective["meetings"] == 1


def test_parallel_lets_a_party_hold_several_meetings():
    p = make_problem([{"id": "a", "parallel": 2}, "b", "c"],
                     [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}], slots=1)
    assert len(solved(p).meetings) == 2


def test_host_tables_limit_meetings_per_slot():
    parties = [{"id": "bulog", "name": "Perum BULOG", "tables": 1, "parallel": 3}, "a", "b"]
    p = make_problem(parties, [{"parties": ["a", "bulog"]}, {"parties": ["b", "bulog"]}], slots=1)
    t = solved(p)
    assert len(t.meetings) == 1
    assert t.meetings[0].table == 1
    assert t.unscheduled[0].reason == "Perum BULOG is full in every slot both parties are free"


def test_host_tables_are_numbered_without_double_booking():
    parties = [{"id": "bulog", "tables": 2}, "a", "b"]
    p = make_problem(parties, [{"parties": ["a", "bulog"]}, {"parties": ["b", "bulog"]}], slots=1)
    t = solved(p)
    assert sorted(m.table for m in t.meetings) == [1, 2]


def test_shared_pool_limits_meetings_without_host():
    p = make_problem(["a", "b", "c", "d"], [{"parties": ["a", "b"]}, {"parties": ["c", "d"]}],
                     slots=1, tables=1)
    t = solved(p)
    assert len(t.meetings) == 1
    assert t.unscheduled[0].reason == "the shared pool is full in every slot both parties are free"


def test_unavailable_slot_is_avoided():
    p = make_problem([{"id": "a", "unavailable": ["s1"]}, "b"], [{"parties": ["a", "b"]}], slots=2)
    assert slots_of(solved(p)) == {"r1": "s2"}


def test_session_is_kept():
    from .factories import slot_list

    p = make_problem(["a", "b"], [{"parties": ["a", "b"], "session": "pm"}], slots=slot_list(3, pm_from=3))
    assert slots_of(solved(p)) == {"r1": "s3"}


def test_fixed_slot_is_kept():
    p = make_problem(["a", "b"], [{"parties": ["a", "b"], "fixed_slot": "s2"}], slots=3)
    assert slots_of(solved(p)) == {"r1": "s2"}


def test_after_puts_request_later_than_its_predecessor():
    # r2 can only be in s3 (c is away before), so r1, which must come after r2, has no slot left
    p = make_problem(["a", "b", {"id": "c", "unavailable": ["s1", "s2"]}, "d"],
                     [{"parties": ["a", "b"], "after": ["r2"]}, {"parties": ["c", "d"]}], slots=3)
    t = solved(p)
    assert slots_of(t) == {"r2": "s3"}
    assert [u.request for u in t.unscheduled] == ["r1"]


def test_after_orders_two_meetings():
    p = make_problem(["a", "b", {"id": "c", "unavailable": ["s1"]}, "d"],
                     [{"parties": ["a", "b"], "after": ["r2"]}, {"parties": ["c", "d"]}], slots=3)
    assert slots_of(solved(p)) == {"r2": "s2", "r1": "s3"}


def test_required_request_is_scheduled_even_against_weight():
    # a can meet only once; the required light meeting wins over the heavy optional one
    p = make_problem(["a", "b", "c"], [{"parties": ["a", "b"], "weight": 3},
                                       {"parties": ["a", "c"], "weight": 1, "required": True}], slots=1)
    assert set(slots_of(solved(p))) == {"r2"}


def test_max_break_spread_leaves_out_a_meeting_that_would_be_unfair():
    # a's second meeting can only be in s3, which gives a one break while everybody else has none
    parties = ["a", "b", {"id": "c", "unavailable": ["s1", "s2"]}]
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1", "required": True}, {"parties": ["a", "c"]}]
    assert len(solved(make_problem(parties, reqs, spread=None)).meetings) == 2
    t = solved(make_problem(parties, reqs, spread=0))
    assert set(slots_of(t)) == {"r1"}
    assert t.unscheduled[0].kind == "fairness"


def test_served_comes_before_weight():
    # one slot: {a-x} weighs 3 and serves 2 parties; {b-x, a-y} weighs 2 and serves 4
    parties = [{"id": "x", "tables": 1}, {"id": "y", "tables": 1}, "a", "b"]
    reqs = [{"parties": ["a", "x"], "weight": 3}, {"parties": ["b", "x"]}, {"parties": ["a", "y"]}]
    t = solved(make_problem(parties, reqs, slots=1))
    assert set(slots_of(t)) == {"r2", "r3"}
    assert t.objective["served"] == 4 and t.objective["weight"] == 2


def test_weight_comes_before_breaks():
    # c is only free in s3: meeting it costs a a break, but the meeting is worth it
    parties = ["a", "b", {"id": "c", "unavailable": ["s1", "s2"]}]
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1"}, {"parties": ["a", "c"]}]
    t = solved(make_problem(parties, reqs))
    assert len(t.meetings) == 2
    assert t.objective["breaks"] == 1 == t.bound["breaks"]


def test_breaks_are_minimised():
    # a meets b and c; b is away in s2, so a-c goes in s2 and a-b next to it
    parties = ["a", {"id": "b", "unavailable": ["s2"]}, "c"]
    reqs = [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}]
    t = solved(make_problem(parties, reqs))
    assert t.objective["breaks"] == 0
    assert slots_of(t)["r2"] == "s2"


def test_breaks_are_counted_per_day():
    from .factories import slot_list

    two_days = slot_list(2, day="2025-10-08") + [
        {**s, "id": f"t{i + 1}"} for i, s in enumerate(slot_list(2, day="2025-10-09"))
    ]
    parties = ["a", "b", "c"]
    reqs = [{"parties": ["a", "b"], "fixed_slot": "s1"}, {"parties": ["a", "c"], "fixed_slot": "t2"}]
    t = solved(make_problem(parties, reqs, slots=two_days))
    assert t.objective["breaks"] == 0


def test_served_and_weight_are_proven_with_bounds():
    parties = [{"id": "x", "tables": 1}, "a", "b", "c"]
    reqs = [{"parties": [c, "x"], "weight": w} for c, w in (("a", 1), ("b", 2), ("c", 3))]
    t = solved(make_problem(parties, reqs, slots=2))
    assert t.objective["weight"] == 5 == t.bound["weight"]
    assert t.objective["served"] == 3 == t.bound["served"]


def test_with_a_cooperative_that_never_breaks_nobody_may_pass_the_spread_itself():
    # d has one meeting and so never a break: the fewest breaks is 0, and the model says "at most the
    # spread" for everyone outright instead of searching for that minimum
    parties = ["a", "b", "c", "d"]
    reqs = [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}, {"parties": ["b", "c"]}, {"parties": ["c", "d"]}]
    problem = make_problem(parties, reqs, slots=4, spread=1)
    assert "d" in problem.never_breaks
    variables = [v.name for v in build_model(problem).cp.proto.variables]
    assert "min_breaks" not in variables
    t = solved(problem)
    assert len(t.meetings) == 4 and t.objective["breaks"] <= 1
