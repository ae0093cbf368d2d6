"""When every meeting is held, the breaks level can be solved as MaxSAT (RC2): same optimum, same rules."""

from __future__ import annotations

import importlib
import random
import time

import pytest
from pysat.solvers import Solver

from app.scheduling import SolveOptions, check, solve
from app.scheduling.check import total_breaks
from app.scheduling.maxsat import BreaksMaxSat
from app.scheduling.probe import TakingTurns
from app.scheduling.race import OtherJob, chain

from .factories import make_problem, one_forced_break, slot_list

solve_module = importlib.import_module("app.scheduling.solve")


def race_chains(monkeypatch) -> list[list[list[str]]]:
    """Record, for each race, the searches each thread chains: "block", a MaxSAT job's label, or "Job"."""
    races: list[list[list[str]]] = []
    real_race = solve_module.race

    def name(job) -> str:
        if isinstance(job, OtherJob):
            return job.label
        return "block" if job.settles else "Job"

    def record(jobs, *args, **kwargs):
        races.append([[name(job) for job in chain(thread)] for thread in jobs])
        return real_race(jobs, *args, **kwargs)

    monkeypatch.setattr(solve_module, "race", record)
    return races


def test_an_unavoidable_break_is_the_maxsat_optimum():
    problem = one_forced_break()
    formula = BreaksMaxSat(problem)

    found = formula.solve(time.monotonic() + 10)

    assert found is not None
    slot_of, breaks = found
    assert breaks == 1 == total_breaks(problem, slot_of)
    assert set(slot_of) == {r.id for r in problem.requests}
    assert slot_of["r1"] == "s1"


def test_back_to_back_meetings_cost_no_break():
    # Ani meets three guests; Citra is free only in s1-s2 and Dodi only in s4-s5: s3 must go to Budi
    unavailable = {"citra": ["s3", "s4", "s5"], "dodi": ["s1", "s2", "s3"]}
    parties = [{"id": p, "unavailable": unavailable.get(p, [])} for p in ("ani", "budi", "citra", "dodi")]
    requests = [{"parties": ["ani", p], "required": True} for p in ("citra", "budi", "dodi")]
    problem = make_problem(parties, requests, slots=5, tables=1)

    slot_of, breaks = BreaksMaxSat(problem).solve(time.monotonic() + 10)

    assert breaks == 0 == total_breaks(problem, slot_of)
    assert slot_of["r2"] == "s3"


def test_fairness_that_cannot_be_met_is_reported_infeasible():
    # Dodi has one meeting, so never a break; spread 0 then forbids Ani's unavoidable break
    problem = one_forced_break(spread=0)
    formula = BreaksMaxSat(problem)

    assert formula.solve(time.monotonic() + 10) is None
    assert formula.infeasible


def _everyone_has_a_break(spread: int):
    """Three parties, each with two fixed meetings two slots apart: each has exactly one break."""
    requests = [
        {"parties": ["ani", "budi"], "required": True, "fixed_slot": "s1"},
        {"parties": ["budi", "citra"], "required": True, "fixed_slot": "s3"},
        {"parties": ["ani", "citra"], "required": True, "fixed_slot": "s5"},
    ]
    return make_problem(["ani", "budi", "citra"], requests, slots=5, tables=2, spread=spread)


def test_fairness_encoding_only_covers_days_where_someone_has_few_breaks():
    problem = _everyone_has_a_break(spread=0)
    small = BreaksMaxSat(problem)  # encodes only timetables where some party has no break

    assert small.solve(time.monotonic() + 10) is None
    assert not small.infeasible, "leaving timetables out is no proof that none exists"
    assert small.proven_below == 3

    wider = BreaksMaxSat(problem, fewest_cap=1)
    slot_of, breaks = wider.solve(time.monotonic() + 10)
    assert breaks == 3 == total_breaks(problem, slot_of)
    assert solve(problem, SolveOptions(time_limit=10, workers=1, seed=1)).objective["breaks"] == 3


def test_a_stopped_search_returns_nothing_at_once():
    problem = one_forced_break()
    formula = BreaksMaxSat(problem)
    started = time.monotonic()

    assert formula.solve(started + 10, stopped=lambda: True) is None
    assert not formula.infeasible
    assert time.monotonic() - started < 1


def test_the_busy_count_per_slot_fills_a_slot_before_any_meeting_is_placed():
    # one table seats two parties at a time: with three of them busy in s1, unit propagation alone
    # (no search over who meets whom) already finds the clash once the implied count is encoded
    parties = [{"id": p} for p in ("ani", "budi", "citra", "dodi")]
    pairs = [("ani", "budi"), ("citra", "dodi"), ("ani", "citra"), ("budi", "dodi")]
    problem = make_problem(parties, [{"parties": list(p), "required": True} for p in pairs], slots=4, tables=1)
    three_busy = ["ani", "budi", "citra"]

    def propagates(busy_per_slot: bool) -> bool:
        formula = BreaksMaxSat(problem, busy_per_slot=busy_per_slot)
        with Solver(name="g3", bootstrap_with=formula.hard) as sat:
            ok, _implied = sat.propagate(assumptions=[formula.used[p, "s1"] for p in three_busy])
        return ok

    assert propagates(busy_per_slot=False)  # the plain encoding needs a search to see it
    assert not propagates(busy_per_slot=True)


def _random_problem(rng: random.Random):
    """A small day where every meeting is held: tables, sessions, unavailability, precedences, fairness."""
    slots = rng.randint(4, 7)
    names = [f"p{i}" for i in range(rng.randint(4, 7))]
    parties = []
    for name in names:
        blocked = rng.sample([f"s{i + 1}" for i in range(slots)], rng.randint(0, 2))
        party = {"id": name, "unavailable": blocked}
        if rng.random() < 0.2:
            party["tables"] = 2
        parties.append(party)
    every_pair = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    pairs = rng.sample(every_pair, min(len(every_pair), rng.randint(4, 9)))
    requests = []
    for i, (a, b) in enumerate(pairs):
        request = {"id": f"r{i + 1}", "parties": [a, b], "required": True}
        if rng.random() < 0.2:
            request["session"] = "pm"
        if i and rng.random() < 0.15:
            request["after"] = [f"r{rng.randint(1, i)}"]
        requests.append(request)
    spread = rng.choice([None, None, 0, 1, 2])
    return make_problem(parties, requests, slots=slot_list(slots, pm_from=slots // 2 + 1),
                        tables=rng.randint(2, 4), spread=spread)


@pytest.mark.parametrize("busy_per_slot", [False, True], ids=["plain encoding", "busy count per slot"])
def test_maxsat_agrees_with_cp_sat_on_random_small_days(busy_per_slot):
    rng = random.Random(20261129)
    compared = optimal = 0
    for _ in range(40):
        problem = _random_problem(rng)
        cp_sat = solve(problem, SolveOptions(time_limit=20, workers=1, seed=1))
        if cp_sat.status not in ("optimal", "infeasible"):
            continue
        formula = BreaksMaxSat(problem, busy_per_slot=busy_per_slot)
        found = formula.solve(time.monotonic() + 20)
        compared += 1
        if cp_sat.status == "infeasible":
            assert found is None, problem.to_dict()
            assert formula.infeasible or formula.proven_below < float("inf"), problem.to_dict()
            continue
        optimal += 1
        if found is None:  # only when every party has a break: such timetables are not encoded
            assert not formula.infeasible and cp_sat.objective["breaks"] >= formula.proven_below
            continue
        slot_of, breaks = found
        assert breaks == cp_sat.objective["breaks"] == total_breaks(problem, slot_of), problem.to_dict()
        timetable = solve_module._draft(problem, slot_of)
        assert check(problem, timetable).ok, check(problem, timetable).violations
    assert compared >= 30 and optimal >= 15


def test_the_race_takes_the_maxsat_timetable(monkeypatch):
    problem = one_forced_break()
    answers = []
    real_search = TakingTurns.search  # the second thread's MaxSAT: RC2 by turns with the CaDiCaL probe
    monkeypatch.setattr(TakingTurns, "search", lambda self, *a, **k: answers.append(real_search(self, *a, **k))
                        or answers[-1])

    def block_then_maxsat_only(jobs, stopped, deadline, leader_only=False):
        # the second thread's chain without its plain CP-SAT searches: the block model, then MaxSAT;
        # the core-guided thread does not run at all
        job = jobs[1]
        while job is not None:
            if isinstance(job, OtherJob) or job.settles is not None:
                job.run(deadline - time.monotonic())
            job = job.then

    monkeypatch.setattr(solve_module, "race", block_then_maxsat_only)

    timetable = solve(problem, SolveOptions(time_limit=10, workers=2))

    assert answers and answers[0] is not None and answers[0][1] == 1, "MaxSAT did not settle the level"
    assert timetable.status == "optimal"
    assert timetable.objective["breaks"] == timetable.bound["breaks"] == 1
    assert check(problem, timetable).ok


def test_too_large_a_day_is_left_to_cp_sat(monkeypatch):
    problem = one_forced_break()
    races = race_chains(monkeypatch)
    monkeypatch.setattr(solve_module, "MAXSAT_MAX_PLACEMENTS", 3)

    timetable = solve(problem, SolveOptions(time_limit=10, workers=2))

    assert races == [[["Job"], ["block", "Job"]]]
    assert timetable.status == "optimal"


def test_each_maxsat_encoding_ends_a_thread_of_its_own_so_neither_waits_for_the_other(monkeypatch):
    """MaxSAT, then the core-guided search; beside it the block model, MaxSAT with the busy count, a plain search."""
    problem = one_forced_break()
    races = race_chains(monkeypatch)

    timetable = solve(problem, SolveOptions(time_limit=10, workers=2))

    assert races == [[["maxsat", "Job"], ["block", "maxsat, busy count per slot", "Job"]]]
    assert timetable.status == "optimal" and timetable.objective["breaks"] == 1
