"""The booth-and-cooperative relaxation as a min-cost flow, and the bounds of an event solved day by day."""

from __future__ import annotations

from app.scheduling import Problem, SolveOptions, check, solve
from app.scheduling.bounds import Relaxation
from app.scheduling.flow import bipartite, flow_selection
from app.scheduling.generate import generate

from .factories import make_problem, slot_list


def booth(pid: str, tables: int = 1) -> dict:
    return {"id": pid, "name": pid.upper(), "tables": tables}


def test_only_guest_at_host_events_without_required_meetings_are_flows():
    assert bipartite(make_problem([booth("bulog"), "a"], [{"parties": ["a", "bulog"]}]))
    assert not bipartite(make_problem(["a", "b"], [{"parties": ["a", "b"]}]))  # shared pool
    assert not bipartite(make_problem([booth("bulog"), "a"], [{"parties": ["a", "bulog"], "required": True}]))
    # pupuk is a host of "a" and a guest at bulog's table
    assert not bipartite(make_problem([booth("bulog"), booth("pupuk"), "a"], [
        {"parties": ["a", "pupuk"]}, {"parties": ["pupuk", "bulog"], "host": "bulog"}]))


def test_the_flow_serves_everyone_it_can_before_taking_weight():
    # bulog has one table for two slots: serving both koperasi beats the heavy pair for one of them
    p = make_problem([booth("bulog"), "a", "b"], [
        {"id": "a1", "parties": ["a", "bulog"], "weight": 5},
        {"id": "a2", "parties": ["a", "bulog"], "weight": 5},
        {"id": "b1", "parties": ["b", "bulog"], "weight": 1},
    ], slots=2)
    served, weight, chosen = flow_selection(p, with_served=True)
    assert (served, weight) == (3, 6)
    assert chosen in ({"a1", "b1"}, {"a2", "b1"})
    assert flow_selection(p, with_served=False)[:2] == (2, 10)


def test_flow_and_constraint_model_give_the_same_relaxation_bounds_on_a_regency_day():
    problem = Problem.from_dict(generate(regency="35.79", booths=3, tables=3, seed=11))
    by_flow, by_model = Relaxation(problem), Relaxation(problem)
    assert by_flow.flow
    by_model.flow = False
    served = by_flow.maximise("served", {}, 10.0)[0]
    assert served == by_model.maximise("served", {}, 10.0)[0]
    assert by_flow.maximise("weight", {"served": served}, 10.0)[0] == \
        by_model.maximise("weight", {"served": served}, 10.0)[0]


def test_among_equally_good_selections_the_published_meetings_are_kept():
    # bulog seats two of four equally keen koperasi; the published timetable had c and d
    p = make_problem([booth("bulog")] + list("abcd"), [
        {"id": k, "parties": [k, "bulog"], "weight": 2} for k in "abcd"], slots=2)
    served, weight, chosen = flow_selection(p, with_served=True, prefer={"c", "d"})
    assert (served, weight, chosen) == (3, 4, {"c", "d"})
    # weight still comes first: a heavier request is never given up for a published one
    heavy = make_problem([booth("bulog")] + list("abc"), [
        {"id": "a", "parties": ["a", "bulog"], "weight": 3}, {"id": "b", "parties": ["b", "bulog"], "weight": 3},
        {"id": "c", "parties": ["c", "bulog"], "weight": 2}], slots=2)
    assert flow_selection(heavy, with_served=True, prefer={"c"})[2] == {"a", "b"}


def test_the_constraint_relaxation_also_keeps_published_meetings_and_counts_how_many_can_stay():
    p = make_problem([booth("bulog")] + list("abcd"), [
        {"id": k, "parties": [k, "bulog"], "weight": 2} for k in "abcd"], slots=2)
    for by_flow in (True, False):
        relaxation = Relaxation(p, prefer={"b", "c", "d"})
        relaxation.flow = by_flow
        bound, chosen = relaxation.maximise("weight", {"served": 3}, 5.0)
        assert bound == 4
        assert len(chosen) == 2 and chosen <= {"b", "c", "d"}
        assert relaxation.most_kept == 2, "one of the three published meetings must go, whatever the slots"


def two_day_event() -> Problem:
    day2 = [dict(s, id="s2") for s in slot_list(1, day="2025-10-09")]
    return make_problem([booth("bulog"), {"id": "x", "unavailable": ["s2"]}, {"id": "z", "unavailable": ["s2"]},
                         {"id": "y", "unavailable": ["s1"]}], [
        {"id": "x-bulog", "parties": ["x", "bulog"], "weight": 3},
        {"id": "z-bulog", "parties": ["z", "bulog"], "weight": 3},
        {"id": "y-bulog", "parties": ["y", "bulog"], "weight": 1},
    ], slots=slot_list(1) + day2)


def test_a_booths_tables_do_not_move_between_days_in_the_merged_bound():
    # over both days bulog's one table seems to hold x and z (weight 6), but on day one it holds only one
    p = two_day_event()
    t = solve(p, SolveOptions(time_limit=10, workers=1, decompose=True))
    assert check(p, t).ok
    assert t.objective["weight"] == t.bound["weight"] == 4
    assert t.status == "optimal"


def test_wished_meetings_that_precedences_rule_out_count_in_no_bound():
    # "a" wants to meet pupuk after bulog and bulog after pupuk: neither can ever be held; "b" wants
    # pertamina after pupuk, but pupuk's only free slot is the last one
    p = make_problem([booth("bulog"), booth("pupuk"), booth("pertamina"), "a", "b"], [
        {"id": "a-bulog", "parties": ["a", "bulog"], "weight": 3, "after": ["a-pupuk"]},
        {"id": "a-pupuk", "parties": ["a", "pupuk"], "weight": 3, "after": ["a-bulog"]},
        {"id": "b-pupuk", "parties": ["b", "pupuk"], "weight": 1, "fixed_slot": "s3"},
        {"id": "b-pertamina", "parties": ["b", "pertamina"], "weight": 2, "after": ["b-pupuk"]},
        {"id": "b-bulog", "parties": ["b", "bulog"], "weight": 1},
    ], slots=3)
    assert p.never_held == {"a-bulog", "a-pupuk", "b-pertamina"}
    assert Relaxation(p).maximise("weight", {}, 5.0)[0] == 2  # b-pupuk and b-bulog
    t = solve(p, SolveOptions(time_limit=10, workers=1, seed=1))
    assert t.status == "optimal" and t.objective["weight"] == t.bound["weight"] == 2
    assert check(p, t).ok
    why = {u.request: u.reason for u in t.unscheduled}
    assert "a cycle" in why["a-bulog"] and "a cycle" in why["a-pupuk"]


def test_a_chain_of_precedences_longer_than_the_day_rules_out_its_tail():
    p = make_problem([booth("bulog"), booth("pupuk"), booth("pertamina"), "a"], [
        {"id": "first", "parties": ["a", "bulog"]},
        {"id": "second", "parties": ["a", "pupuk"], "after": ["first"]},
        {"id": "third", "parties": ["a", "pertamina"], "after": ["second"]},
    ], slots=2)
    assert p.never_held == {"third"}
    assert p.could_hold(p.request_by_id["second"]) and not p.could_hold(p.request_by_id["third"])
