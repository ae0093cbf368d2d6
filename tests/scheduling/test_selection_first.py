"""Served and weight proven by the slot-free relaxation, its selection placed by moving meetings aside,
and the implied busy-per-slot limit."""

from __future__ import annotations

from app.scheduling import SolveOptions, check, solve
from app.scheduling.augment import place_by_moving
from app.scheduling.bounds import Relaxation
from app.scheduling.greedy import _State, greedy_slots
from app.scheduling.model import build_model, busy_limits
from app.scheduling.solve import _cap, _Run
from app.scheduling.tables import assign_tables
from app.scheduling.timetable import Timetable

from .factories import make_problem

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
