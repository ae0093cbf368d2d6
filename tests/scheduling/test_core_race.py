"""When every meeting is required only breaks vary: a core-guided search races a plain one for them."""

from __future__ import annotations

import importlib
import time

from ortools.sat.python import cp_model

from app.scheduling import SolveOptions, check, solve
from app.scheduling.race import Job, race
from app.scheduling.race import chain as chained

from .factories import make_problem, one_forced_break

solve_module = importlib.import_module("app.scheduling.solve")


def test_all_required_with_an_unavoidable_break_is_proven_by_the_race(monkeypatch):
    problem = one_forced_break()
    raced = []
    real_race = solve_module.race
    monkeypatch.setattr(solve_module, "race", lambda *a, **k: raced.append(1) or real_race(*a, **k))

    timetable = solve(problem, SolveOptions(time_limit=10, workers=2, seed=3))

    assert raced, "the breaks level was not searched by the core-guided race"
    assert timetable.status == "optimal"
    assert timetable.objective["breaks"] == timetable.bound["breaks"] == 1
    assert check(problem, timetable).ok


def test_a_proven_optimum_stops_the_other_search():
    quick = cp_model.CpModel()
    xs = [quick.new_bool_var(f"x{i}") for i in range(5)]
    quick.add(sum(xs) >= 2)
    quick.minimize(sum(xs))
    slow = cp_model.CpModel()  # pigeonhole: 11 pigeons in 10 holes, hopeless for clause learning
    seat = {(p, h): slow.new_bool_var(f"p{p}h{h}") for p in range(11) for h in range(10)}
    for p in range(11):
        slow.add_exactly_one(seat[p, h] for h in range(10))
    for h in range(10):
        slow.add_at_most_one(seat[p, h] for p in range(11))
    slow.minimize(sum(seat.values()))
    jobs = []
    for model in (quick, slow):
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 30
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_presolve = False
        solver.parameters.add_lp_constraints_lazily = False
        solver.parameters.linearization_level = 0
        jobs.append(Job(model, solver))

    started = time.monotonic()
    race(jobs, lambda: False, time.monotonic() + 30, leader_only=True)

    assert jobs[0].status == cp_model.OPTIMAL and jobs[0].solver.objective_value == 2
    assert time.monotonic() - started < 5


def test_unseeded_the_block_model_runs_beside_the_core_guided_search(monkeypatch):
    # first come, first served leaves Ani idle in s3 (s1 Citra, s2 Budi, s4 Dodi); back to back is possible
    unavailable = {"citra": ["s3", "s4"], "dodi": ["s2", "s3"]}
    parties = [{"id": p, "unavailable": unavailable.get(p, [])} for p in ("ani", "budi", "citra", "dodi")]
    requests = [{"parties": ["ani", p], "required": True} for p in ("budi", "citra", "dodi")]
    problem = make_problem(parties, requests, slots=4, tables=1)
    chained = []
    real_race = solve_module.race
    monkeypatch.setattr(solve_module, "race", lambda jobs, *a, **k: chained.append(jobs[1].then is not None)
                        or real_race(jobs, *a, **k))

    timetable = solve(problem, SolveOptions(time_limit=10, workers=2))

    assert chained == [True]
    assert timetable.status == "optimal"
    assert timetable.objective["breaks"] == timetable.bound["breaks"] == 0
    assert check(problem, timetable).ok


def test_without_a_valid_first_timetable_the_second_thread_looks_for_one_before_maxsat(monkeypatch):
    # every meeting required and fairness within 1 break: first come, first served gives p5 two breaks
    # while p0 has none, so no valid timetable is in hand when the breaks race starts
    pairs = [("p0", "p2"), ("p0", "p5"), ("p1", "p3"), ("p1", "p5"), ("p2", "p4"), ("p2", "p5"), ("p3", "p4"),
             ("p3", "p5"), ("p4", "p5")]
    problem = make_problem([f"p{i}" for i in range(6)], [{"parties": list(p), "required": True} for p in pairs],
                           slots=7, spread=1)
    assert not solve_module._valid(problem, solve_module.greedy_slots(problem))
    looked_first = []
    real_race = solve_module.race

    def recording(jobs, *args, **kwargs):
        chain = list(chained(jobs[1]))
        quick = [i for i, job in enumerate(chain)
                 if isinstance(job, Job) and job.solver.parameters.stop_after_first_solution]
        maxsat = [i for i, job in enumerate(chain) if not isinstance(job, Job)]
        looked_first.append(bool(quick) and quick[0] < min(maxsat, default=len(chain))
                            and not chain[quick[0]].solver.parameters.cp_model_presolve)  # sooner without
        return real_race(jobs, *args, **kwargs)

    monkeypatch.setattr(solve_module, "race", recording)
    timetable = solve(problem, SolveOptions(time_limit=10, workers=2))

    assert looked_first == [True]
    assert timetable.status == "optimal" and check(problem, timetable).ok
