"""Solve a problem: lexicographic CP-SAT levels, honest bounds, a checked timetable; never prints."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .bounds import relaxed_bounds
from .check import check, count_breaks
from .conflicts import core_conflicts, counting_conflicts
from .greedy import greedy_slots
from .model import Model, build_model
from .problem import Problem
from .reasons import explain_unscheduled
from .tables import assign_tables
from .timetable import Timetable

Progress = Callable[[dict[str, Any]], None]
SENSE = {"served": 1, "weight": 1, "breaks": -1, "moved": -1}  # +1 maximise, -1 minimise


@dataclass
class SolveOptions:
    """How to solve: time limit (seconds, whole solve), workers, seed, previous timetable, stop."""

    time_limit: float = 30.0
    workers: int = 2
    seed: int | None = None
    previous: Timetable | None = None
    should_stop: Callable[[], bool] | None = None
    stop_event: threading.Event | None = None
    decompose: bool | None = None  # None: automatic for large events
    log: bool = False

    def stopped(self) -> bool:
        """True once the caller asked to stop."""
        if self.stop_event is not None and self.stop_event.is_set():
            return True
        return bool(self.should_stop and self.should_stop())


@dataclass
class _Run:
    problem: Problem
    options: SolveOptions
    on_progress: Progress | None
    started: float = field(default_factory=time.monotonic)
    objective: dict[str, int] = field(default_factory=dict)
    bound: dict[str, int] = field(default_factory=dict)
    proven: bool = True
    settled: list[str] = field(default_factory=list)  # levels proven optimal, in order

    def remaining(self) -> float:
        return self.options.time_limit - (time.monotonic() - self.started)

    def report(self, level: str, value: int, bound: int) -> None:
        if self.on_progress is None:
            return
        self.on_progress({
            "level": level,
            "objective": {**self.objective, level: value},
            "bound": {**self.bound, level: bound},
            "seconds": round(time.monotonic() - self.started, 3),
        })


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and stops the search when the caller asks."""

    def __init__(self, run: _Run, level: str, expr: cp_model.LinearExprT) -> None:
        super().__init__()
        self.run, self.level, self.expr = run, level, expr

    def on_solution_callback(self) -> None:
        self.run.report(self.level, int(self.value(self.expr)), int(round(self.best_objective_bound)))
        if self.run.options.stopped():
            self.stop_search()


def _poll_stop(run: _Run, solver: cp_model.CpSolver, done: threading.Event) -> None:
    while not done.wait(0.05):
        if run.options.stopped():
            solver.stop_search()
            return


def _params(solver: cp_model.CpSolver, options: SolveOptions, seconds: float) -> None:
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.01, seconds)
    prm.num_workers = max(1, options.workers)
    prm.log_search_progress = options.log
    if options.seed is not None:
        prm.random_seed = options.seed
        if options.workers > 1:
            prm.interleave_search = True  # reproducible with a fixed worker count


def _fixed_levels(problem: Problem) -> set[str]:
    """Levels whose value follows from feasibility alone, so no search is spent on them."""
    fixed = set()
    if all(r.required for r in problem.requests):
        fixed.update({"served", "weight"})
    elif all(any(r.required for r in problem.requests_of(p.id)) for p in problem.parties
             if problem.requests_of(p.id)):
        fixed.add("served")
    return fixed


def solve(problem: Problem, options: SolveOptions | None = None, on_progress: Progress | None = None) -> Timetable:
    """Solve `problem` and return a checked timetable (optimal, feasible, infeasible or unknown)."""
    options = options or SolveOptions()
    run = _Run(problem, options, on_progress)
    conflicts = counting_conflicts(problem)
    if conflicts:
        return Timetable("infeasible", conflicts=tuple(conflicts), solve_seconds=time.monotonic() - run.started)

    previous = _previous_slots(problem, options.previous)
    fallback = greedy_slots(problem, hint=previous)
    if not _valid(problem, fallback):
        fallback = None

    levels = ["served", "weight", "breaks"] + (["moved"] if previous is not None else [])
    model = build_model(problem, previous=previous)
    solution = _lexicographic(run, model, levels, fallback)
    if solution == "infeasible":
        budget = max(1.0, min(5.0, run.remaining()))
        found = core_conflicts(problem, time_limit=budget, workers=options.workers)
        return Timetable("infeasible", conflicts=tuple(found), solve_seconds=time.monotonic() - run.started)
    if solution is None:
        solution, run.proven = fallback, False
    if solution is None:
        return Timetable("unknown", solve_seconds=time.monotonic() - run.started)
    return _finish(run, solution, previous)


def _lexicographic(
    run: _Run, m: Model, levels: list[str], fallback: dict[str, str] | None
) -> dict[str, str] | str | None:
    """Optimise each level in turn, fixing each optimum (or the best found) before the next."""
    problem, options = run.problem, run.options
    fixed = _fixed_levels(problem)
    solution: dict[str, str] | None = None
    hint = fallback
    to_search = [lv for lv in levels if lv not in fixed and not _constant(m.levels[lv])]
    for level in levels:
        if level not in to_search:
            if run.proven:
                run.settled.append(level)
            continue
        if options.stopped() and solution is not None:
            run.proven = False
            break
        left = len([lv for lv in to_search[to_search.index(level):]])
        budget = run.remaining() if left == 1 else run.remaining() / (left + 1)
        if budget <= 0.01 and solution is not None:
            run.proven = False
            break
        expr = m.levels[level]
        m.cp.clear_hints()
        if hint:
            _hint(m, hint)
        floor, level_start = 0, time.monotonic()
        if level == "breaks":
            upper = _count(problem, hint, level) if hint else len(problem.slots) * len(problem.parties)
            probed = _probe_from_below(run, m, expr, budget * 0.6, upper)
            if isinstance(probed, dict):  # proven optimal by a feasible probe at the lower bound
                solution = hint = probed
                value = _count(problem, probed, level)
                run.objective[level] = run.bound[level] = value
                m.cp.add(expr == value)
                if run.proven:
                    run.settled.append(level)
                run.report(level, value, value)
                continue
            floor = probed
            budget = run.remaining() if left == 1 else max(0.01, budget - (time.monotonic() - level_start))
        if SENSE[level] > 0:
            m.cp.maximize(expr)
        else:
            m.cp.minimize(expr)
        model = m.cp
        if floor:
            model = m.cp.clone()
            model.add(expr >= floor)
        solver = cp_model.CpSolver()
        _params(solver, options, budget)
        done = threading.Event()
        watcher = threading.Thread(target=_poll_stop, args=(run, solver, done), daemon=True)
        watcher.start()
        try:
            status = solver.solve(model, _Watcher(run, level, expr))
        finally:
            done.set()
            watcher.join()
        if status == cp_model.INFEASIBLE:
            return "infeasible" if solution is None else solution
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            run.proven = False
            if solution is None:
                return None
            break
        solution = {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
        hint = solution
        value = int(round(solver.objective_value))
        bound = max(floor, int(round(solver.best_objective_bound)))
        if bound == value:
            status = cp_model.OPTIMAL
        run.objective[level] = value
        # a bound is only valid if every earlier level was proven (a maximising level stays valid)
        run.bound[level] = bound if run.proven or SENSE[level] > 0 else 0
        if status == cp_model.OPTIMAL:
            m.cp.add(expr == value)
            if run.proven:
                run.settled.append(level)
        else:
            run.proven = False
            m.cp.add(expr >= value if SENSE[level] > 0 else expr <= value)
        run.report(level, value, run.bound[level])
    if solution is None and not to_search:
        solver = cp_model.CpSolver()
        _params(solver, options, run.remaining())
        if fallback:
            _hint(m, fallback)
        status = solver.solve(m.cp)
        if status == cp_model.INFEASIBLE:
            return "infeasible"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        solution = {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
    return solution


def _count(problem: Problem, slot_of: dict[str, str], level: str) -> int:
    """The value of a minimising level for a complete assignment, recounted independently."""
    busy: dict[str, set[str]] = {}
    for rid, sid in slot_of.items():
        for pid in problem.request_by_id[rid].parties:
            busy.setdefault(pid, set()).add(sid)
    return sum(count_breaks(problem, slots) for slots in busy.values())


def _probe_from_below(
    run: _Run, m: Model, expr: cp_model.LinearExprT, budget: float, upper: int
) -> dict[str, str] | int:
    """Ask "is there a timetable with at most B breaks?" for B = 0, 1, ... below the best known.

    Each infeasible answer raises the proven lower bound; a feasible answer at the lower bound is
    optimal. Fixing the objective this way propagates far better than minimising it, because "no
    break" means "once a block of meetings ends, the party stays idle for the rest of the day".
    Returns the optimal assignment, or the proven lower bound when time or the known value runs out.
    """
    stop_at = time.monotonic() + budget
    floor = 0
    while floor < upper and not run.options.stopped():
        left = stop_at - time.monotonic()
        if left <= 0.05:
            break
        probe = m.cp.clone()
        probe.clear_objective()
        probe.add(expr <= floor)
        solver = cp_model.CpSolver()
        _params(solver, run.options, left)
        status = solver.solve(probe)
        if status == cp_model.INFEASIBLE:
            floor += 1
            run.report("breaks", upper, floor)
            continue
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
        break
    return floor


def _constant(expr: cp_model.LinearExprT) -> bool:
    return isinstance(expr, int | float)


def _hint(m: Model, slot_of: dict[str, str]) -> None:
    for (rid, sid), v in m.x.items():
        m.cp.add_hint(v, slot_of.get(rid) == sid)


def _previous_slots(problem: Problem, previous: Timetable | None) -> dict[str, str] | None:
    if previous is None:
        return None
    return {m.request: m.slot for m in previous.meetings if m.request in problem.request_by_id
            and m.slot in problem.slot_by_id}


def _valid(problem: Problem, slot_of: dict[str, str]) -> bool:
    return check(problem, _draft(problem, slot_of)).ok


def _draft(problem: Problem, slot_of: dict[str, str], status: str = "feasible") -> Timetable:
    meetings = assign_tables(problem, slot_of)
    unscheduled = explain_unscheduled(problem, slot_of, proven=False)
    return Timetable(status, tuple(meetings), tuple(unscheduled))


def _finish(run: _Run, slot_of: dict[str, str], previous: dict[str, str] | None) -> Timetable:
    problem, options = run.problem, run.options
    old_tables = None
    if options.previous is not None:
        old_tables = {m.request: (m.slot, m.table) for m in options.previous.meetings}
    meetings = assign_tables(problem, slot_of, old_tables)
    unscheduled = explain_unscheduled(problem, slot_of, proven=run.proven)
    status = "optimal" if run.proven else "feasible"
    draft = Timetable(status, tuple(meetings), tuple(unscheduled))
    report = check(problem, draft)
    if not report.ok:  # never hand out an invalid timetable
        raise RuntimeError("solver produced an invalid timetable: " + "; ".join(report.violations[:5]))
    objective = dict(report.objective)
    bound = _bounds(run, objective)
    stability = None
    if previous is not None:
        kept = sum(1 for r, s in previous.items() if slot_of.get(r) == s)
        moved = sum(1 for r, s in previous.items() if r in slot_of and slot_of[r] != s)
        dropped = sum(1 for r in previous if r not in slot_of)
        stability = {"kept": kept, "moved": moved, "dropped": dropped}
        objective["moved"] = moved + dropped
        bound["moved"] = run.bound.get("moved", 0) if run.proven else 0
    return Timetable(
        status=status,
        meetings=draft.meetings,
        unscheduled=draft.unscheduled,
        objective=objective,
        bound=bound,
        solve_seconds=time.monotonic() - run.started,
        stability=stability,
    )


def _bounds(run: _Run, objective: dict[str, int]) -> dict[str, int]:
    """Proven bounds per level: exact for settled levels, else the solver's tightened by a relaxation."""
    out: dict[str, int] = {}
    relaxed: dict[str, int] | None = None
    for key in ("served", "weight", "breaks"):
        if key in run.settled:
            out[key] = objective[key]
        elif key == "breaks":
            out[key] = run.bound.get("breaks", 0) if set(run.settled) >= {"served", "weight"} else 0
        else:
            if relaxed is None:
                relaxed = relaxed_bounds(run.problem, time_limit=2.0, workers=run.options.workers)
            candidates = [v for v in (run.bound.get(key), relaxed.get(key)) if v is not None]
            out[key] = min(candidates) if candidates else objective[key]
    return out
