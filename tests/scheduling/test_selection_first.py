"""Served and weight proven by the slot-free relaxation, its selection placed by moving meetings aside,
and the implied busy-per-slot limit."""

from __future__ import annotations

import importlib

from ortools.sat.python import cp_model

from app.scheduling import Problem, SolveOptions, check, solve
from app.scheduling.augment import place_by_moving
from app.scheduling.blocks import block_model, break_free
from app.scheduling.bounds import Relaxation
from app.scheduling.generate import generate
from app.scheduling.greedy import _State, greedy_slots
from app.scheduling.model import build_model, busy_limits
from app.scheduling.solve import _cap, _probe_from_below, _Run
from app.scheduling.tables import assign_tables
from app.scheduling.timetable import Timetable

from .factories import make_problem

solving = importlib.import_module("app.scheduling.solve")

FAST = SolveOptions(time_limit=10, workers=1, seed=1)


def booth(pid: str, tables: int = 1) -> dict:
    return {"id": pid, "name": pid.upper(), "tables": tables}


def timetable_of(problem, slot_of):
    return Timetable("feasible", tuple(assign_tables(problem, slot_of)))


def test_a_cooperative_busy_where_the_booth_is_free_gets_its_other_meeting_moved_aside():
    # bulog has one table and is free only in s1, where koperasi "a" already meets pupuk;
    # pupuk is free in s2, so that meeting moves and the bulog meeting takes s1
    p = make_problem([booth("bulog"), booth("pupuk"), "a", "b"], [
        {"id": "a-pupuk", "parties": ["a", "pupuk"]},
        {"id": "b-bulog", "parties": ["b", "bulog"]},
        {"id": "a-bulog", "parties": ["a", "bulog"]},
    ], slots=2)
    st = _State(p)
    st.place(p.request_by_id["a-pupuk"], "s1")
    st.place(p.request_by_id["b-bulog"], "s2")
    allowed = {r.id: p.allowed_slots(r) for r in p.requests}

    assert not place_by_moving(st, p.request_by_id["a-bulog"], allowed, depth=0)
    assert st.slot_of == {"a-pupuk": "s1", "b-bulog": "s2"}, "a failed attempt leaves the state as it was"

    assert place_by_moving(st, p.request_by_id["a-bulog"], allowed, depth=2)
    assert st.slot_of == {"a-pupuk": "s2", "b-bulog": "s2", "a-bulog": "s1"}
    assert check(p, timetable_of(p, st.slot_of)).ok


def test_pinned_meetings_are_never_moved_aside():
    p = make_problem([booth("bulog"), booth("pupuk"), "a", "b"], [
        {"id": "a-pupuk", "parties": ["a", "pupuk"], "fixed_slot": "s1"},
        {"id": "b-bulog", "parties": ["b", "bulog"], "fixed_slot": "s2"},
        {"id": "a-bulog", "parties": ["a", "bulog"]},
    ], slots=2)
    st = _State(p)
    st.place(p.request_by_id["a-pupuk"], "s1")
    st.place(p.request_by_id["b-bulog"], "s2")
    allowed = {r.id: p.allowed_slots(r) for r in p.requests}
    assert not place_by_moving(st, p.request_by_id["a-bulog"], allowed, depth=3)
    assert st.slot_of == {"a-pupuk": "s1", "b-bulog": "s2"}


def test_relaxation_bounds_weight_by_the_booth_tables_and_picks_the_heaviest_requests():
    # one table for two slots: at most two of the three requests, the heaviest being 3 + 2
    p = make_problem([booth("bulog"), "a", "b", "c"], [
        {"id": "light", "parties": ["a", "bulog"], "weight": 1},
        {"id": "heavy", "parties": ["b", "bulog"], "weight": 3},
        {"id": "mid", "parties": ["c", "bulog"], "weight": 2},
    ], slots=2)
    relaxation = Relaxation(p)
    served, _ = relaxation.maximise("served", {}, 5.0)
    assert served == 3  # bulog and two koperasi
    weight, chosen = relaxation.maximise("weight", {"served": served}, 5.0)
    assert weight == 5
    assert chosen == {"heavy", "mid"}


def test_the_relaxations_selection_is_placed_and_settles_weight_without_search():
    # the round robin serves koperasi "a" first and takes its light request; the relaxation's selection
    # (the heavy one) is placed instead, reaching the bound, so weight is proven at once
    p = make_problem([booth("bulog"), "a", "b"], [
        {"id": "light", "parties": ["a", "bulog"], "weight": 1},
        {"id": "heavy", "parties": ["b", "bulog"], "weight": 3},
    ], slots=1)
    plain = greedy_slots(p)
    assert plain == {"light": "s1"}
    run = _Run(p, FAST, None)
    run.objective["served"] = 2
    cap, placed = _cap(run, "weight", plain)
    assert cap == 3
    assert placed == {"heavy": "s1"}

    timetable = solve(p, FAST)
    assert timetable.status == "optimal"
    assert timetable.objective["weight"] == timetable.bound["weight"] == 3


def test_busy_parties_per_slot_are_limited_by_the_seats_at_the_tables():
    # the shared pool has 2 tables: at most 4 koperasi can be in a meeting in any slot;
    # bulog's own table seats one koperasi (bulog itself holds several meetings at once)
    guests = [f"k{i}" for i in range(6)]
    requests = [{"parties": [a, b]} for i, a in enumerate(guests) for b in guests[i + 1:]]
    requests.append({"parties": ["k0", "bulog"], "id": "k0-bulog"})
    p = make_problem(guests + [booth("bulog", tables=3)], requests, slots=3, tables=2)
    m = build_model(p)
    assert busy_limits(p, m.slots_of) == {"s1": 4 + 3, "s2": 4 + 3, "s3": 4 + 3}
    pool_only = make_problem(guests, requests[:-1], slots=3, tables=2)
    assert busy_limits(pool_only, build_model(pool_only).slots_of)["s2"] == 4


def test_implied_limits_keep_the_optimum_of_a_small_pool_event():
    guests = [f"k{i}" for i in range(6)]
    requests = [{"parties": [a, b], "required": True} for i, a in enumerate(guests) for b in guests[i + 1:]
                if (i + guests.index(b)) % 2 == 1]
    p = make_problem(guests, requests, slots=6, tables=3)
    t = solve(p, FAST)
    assert t.status == "optimal"
    assert check(p, t).ok
    assert len(t.meetings) == len(requests)


def test_a_cooperative_with_a_gap_gets_its_meetings_side_by_side_when_the_selection_is_kept():
    # koperasi "a" meets bulog in s1 and pupuk in s3: one break; the block model closes the gap
    p = make_problem([booth("bulog"), booth("pupuk"), "a"], [
        {"id": "a-bulog", "parties": ["a", "bulog"]},
        {"id": "a-pupuk", "parties": ["a", "pupuk"]},
    ], slots=3)
    gappy = {"a-bulog": "s1", "a-pupuk": "s3"}
    model, x = block_model(p, set(gappy), gappy)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    slot_of = break_free(p, solver, x)
    assert set(slot_of) == set(gappy), "the same meetings, so served and weight stay"
    rank = p.slot_rank
    assert abs(rank[slot_of["a-bulog"]] - rank[slot_of["a-pupuk"]]) == 1


def test_a_booth_left_idle_between_its_meetings_is_not_break_free():
    p = make_problem([booth("bulog", tables=2), "a", "b"], [
        {"id": "a-bulog", "parties": ["a", "bulog"], "fixed_slot": "s1"},
        {"id": "b-bulog", "parties": ["b", "bulog"], "fixed_slot": "s3"},
    ], slots=3)
    model, x = block_model(p, {"a-bulog", "b-bulog"})
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL  # each koperasi has a single meeting: no window needed
    assert break_free(p, solver, x) is None  # but bulog waits through s2


def test_when_everything_is_required_a_refuted_block_model_proves_at_least_one_break():
    # "a" must meet "b" in s1 and "c" in s3: a break is unavoidable, and the solver proves 1 is optimal
    p = make_problem(["a", "b", "c"], [
        {"id": "ab", "parties": ["a", "b"], "required": True, "fixed_slot": "s1"},
        {"id": "ac", "parties": ["a", "c"], "required": True, "fixed_slot": "s3"},
    ], slots=3)
    model, _x = block_model(p, {"ab", "ac"})
    assert cp_model.CpSolver().solve(model) == cp_model.INFEASIBLE
    t = solve(p, FAST)
    assert t.status == "optimal"
    assert t.objective["breaks"] == t.bound["breaks"] == 1


def test_a_regency_day_is_proven_optimal_on_all_three_levels():
    problem = Problem.from_dict(generate(regency="35.79", booths=3, tables=3, seed=5))
    t = solve(problem, SolveOptions(time_limit=60, workers=2))
    assert check(problem, t).ok
    assert t.status == "optimal", (t.objective, t.bound)
    assert t.objective["served"] == t.bound["served"]
    assert t.objective["weight"] == t.bound["weight"]
    assert t.objective["breaks"] == t.bound["breaks"]


def test_probing_break_counts_stops_at_once_when_the_problem_itself_is_infeasible():
    # three koperasi who must all meet each other in two slots: no timetable at all, whatever the breaks
    p = make_problem(["a", "b", "c"], [
        {"parties": ["a", "b"], "required": True},
        {"parties": ["a", "c"], "required": True},
        {"parties": ["b", "c"], "required": True},
    ], slots=2)
    m = build_model(p)
    run = _Run(p, FAST, None)
    assert _probe_from_below(run, m, m.levels["breaks"], 5.0, upper=6) == "infeasible"
    t = solve(p, FAST)
    assert t.status == "infeasible"
    assert t.conflicts


def test_the_break_free_reslotting_is_tried_without_presolve_first_then_with_it(monkeypatch):
    # presolve alone takes most of the time on a large day with room to spare; a tight day still gets it
    p = make_problem([booth("bulog"), booth("pupuk"), "a"], [
        {"id": "a-bulog", "parties": ["a", "bulog"]}, {"id": "a-pupuk", "parties": ["a", "pupuk"]}], slots=3)
    run = _Run(p, FAST, None)
    asked = []
    real = solving._search

    def recording(run, model, level, expr, seconds, presolve=True):
        asked.append(presolve)
        solver, status = real(run, model, level, expr, seconds, presolve)
        return solver, cp_model.UNKNOWN if len(asked) == 1 else status  # as if the first try ran out of time

    monkeypatch.setattr(solving, "_search", recording)
    slot_of, refuted = solving._without_breaks_keeping_selection(run, {"a-bulog", "a-pupuk"}, None, 2.0)
    assert asked == [False, True]
    assert slot_of is not None and not refuted


def test_a_day_whose_first_timetable_has_no_break_is_settled_without_building_the_breaks_model(monkeypatch):
    # every koperasi meets both booths; the first timetable already has nobody idle between meetings, which
    # meets the trivial bound of 0 breaks: a province day once spent 37 s and 3.4 GB proving just that
    p = make_problem([booth("bulog", 2), booth("pupuk", 2), "a", "b", "c"], [
        {"id": f"{k}-{b}", "parties": [k, b]} for k in "abc" for b in ("bulog", "pupuk")
    ], slots=3)
    built = []
    real = solving.LevelModels.for_level

    def recording(self, level):
        built.append(level)
        return real(self, level)

    monkeypatch.setattr(solving.LevelModels, "for_level", recording)
    t = solve(p, SolveOptions(time_limit=10, workers=2))
    assert t.status == "optimal"
    assert t.objective["breaks"] == t.bound["breaks"] == 0
    assert check(p, t).ok
    assert "breaks" not in built
