"""Solve a problem: lexicographic CP-SAT levels, honest bounds, a checked timetable; never prints."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from .blocks import block_model, break_free
from .bounds import Relaxation, relaxed_bounds
from .check import check, total_breaks
from .conflicts import core_conflicts, counting_conflicts, no_break_conflict, unexplained_conflict
from .decompose import solve_by_day, split_by_day
from .greedy import greedy_slots
from .lazy_models import LevelModels, constant_level
from .maxsat import BreaksMaxSat
from .model import Model, build_model
from .probe import TakingTurns
from .problem import Problem
from .race import Job, OtherJob, chain, race
from .reasons import explain_unscheduled
from .tables import assign_tables
from .timetable import Conflict, Timetable

Progress = Callable[[dict[str, Any]], None]
DECOMPOSE_ABOVE = 200_000  # request x slot pairs: above this, independent days are solved one by one
# shares of the breaks level's time in the core-guided race (see _core_race)
MAXSAT_SHARE = 0.4  # first thread: MaxSAT (plain encoding) for at most this share, then CP-SAT's core-guided search
BLOCK_SHARE = 0.1  # second thread: the block model for at most this share,
FIRST_SHARE = 0.3  # then finding a first timetable when none is in hand for at most this share,
BUSY_SHARE = 0.9  # then RC2 with the busy count per slot by turns with a probe up to this share; then a plain search
MAXSAT_MAX_PLACEMENTS = 20_000  # request x allowed slot pairs: above this, the MaxSAT encoding costs too much
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
    relaxation: Relaxation | None = None
    previous: dict[str, str] | None = None  # the kept timetable's slots, preferred when placing
    found: dict[str, str] | None = None  # a valid assignment met while probing a level
    caps: dict[str, int] = field(default_factory=dict)  # slot-free upper bounds of maximising levels
    # per maximising level: the most published meetings a selection reaching its cap can keep (None: unknown)
    most_kept: dict[str, int | None] = field(default_factory=dict)
    latest: dict[str, int] = field(default_factory=dict)  # the value last reported per level
    tightest: dict[str, int] = field(default_factory=dict)  # the tightest bound reported per level

    def remaining(self) -> float:
        return self.options.time_limit - (time.monotonic() - self.started)

    def report(self, level: str, value: int | None, bound: int) -> None:
        """Tell the caller the latest value of `level` (None: only a new bound) and its bound."""
        if value is not None:
            self.latest[level] = value
        if level in self.tightest:  # a search that knows less never takes back a bound proven earlier
            bound = max(bound, self.tightest[level]) if SENSE[level] < 0 else min(bound, self.tightest[level])
        self.tightest[level] = bound
        if self.on_progress is None:
            return
        objective = dict(self.objective)
        if level in self.latest:
            objective[level] = self.latest[level]
        self.on_progress({
            "level": level,
            "objective": objective,
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
    if options.decompose is not False:
        parts = split_by_day(problem)
        if parts is not None and (options.decompose or _large(problem)):
            return solve_by_day(problem, parts, options, lambda part, sub: solve(part, sub, on_progress))
    if problem.fairness_forbids_breaks and all(r.required for r in problem.requests):
        return _solve_break_free(problem, options, on_progress)  # its inner solve runs the counting checks
    run = _Run(problem, options, on_progress)
    conflicts = counting_conflicts(problem)
    if conflicts:
        return Timetable("infeasible", conflicts=tuple(conflicts), solve_seconds=time.monotonic() - run.started)

    previous = run.previous = _previous_slots(problem, options.previous)
    fallback = greedy_slots(problem, hint=previous, first=set(previous) if previous else None)
    if not _valid(problem, fallback):
        fallback = None

    levels = ["served", "weight", "breaks"] + (["moved"] if previous is not None else [])
    solution = _lexicographic(run, LevelModels(problem, previous), levels, fallback)
    if solution == "infeasible":
        return _infeasible(problem, options, run.started, unexplained_conflict(problem))
    if solution is None:
        solution, run.proven = fallback, False
    if solution is None:
        return Timetable("unknown", solve_seconds=time.monotonic() - run.started)
    return _finish(run, solution, previous)


def _solve_break_free(problem: Problem, options: SolveOptions, on_progress: Progress | None) -> Timetable:
    """Every meeting required, and a fairness rule that allows nobody a break (see
    Problem.fairness_forbids_breaks): a timetable exists exactly when the same day without the rule can be
    held with no break at all, so solve that one, where the breaks level is searched best."""
    started = time.monotonic()
    loose = replace(problem, rules=replace(problem.rules, max_break_spread=None))
    fewest = 0  # breaks proven unavoidable so far: once one is, the answer is known

    def heard(progress: dict[str, Any]) -> None:
        nonlocal fewest
        fewest = max(fewest, progress["bound"].get("breaks", 0))
        if on_progress is not None:
            on_progress(progress)

    inner = replace(options, stop_event=None, should_stop=lambda: fewest >= 1 or options.stopped())
    t = solve(loose, inner, heard)
    seconds = time.monotonic() - started
    if t.status == "infeasible":  # the other rules clash already
        return replace(t, solve_seconds=seconds)
    if t.status in ("optimal", "feasible") and t.objective.get("breaks") == 0 and check(problem, t).ok:
        return replace(t, solve_seconds=seconds)
    fewest = max(fewest, t.bound.get("breaks", 0))
    if fewest >= 1:  # proven: every timetable has a break, which the rule allows nobody
        return _infeasible(problem, options, started, no_break_conflict(problem, fewest))
    return Timetable("unknown", solve_seconds=seconds)


def _infeasible(problem: Problem, options: SolveOptions, started: float, otherwise: Conflict) -> Timetable:
    """A proven infeasible answer, named by CP-SAT's unsatisfiable core when one is found in the time left
    (1 to 5 s), else by `otherwise`."""
    budget = max(1.0, min(5.0, options.time_limit - (time.monotonic() - started)))
    found = core_conflicts(problem, time_limit=budget, workers=options.workers, seed=options.seed) or [otherwise]
    return Timetable("infeasible", conflicts=tuple(found), solve_seconds=time.monotonic() - started)


def _lexicographic(
    run: _Run, models: LevelModels, levels: list[str], fallback: dict[str, str] | None
) -> dict[str, str] | str | None:
    """Optimise each level in turn, fixing each optimum (or the best found) before the next.

    `models` gives each level the model it is searched in (served and weight may use a smaller model
    without break variables), built only when a search needs it; each level's result constrains them all.
    """
    problem, options = run.problem, run.options
    fixed = _fixed_levels(problem)
    solution: dict[str, str] | None = None
    hint = fallback
    to_search = [lv for lv in levels if lv not in fixed and not constant_level(problem, lv, run.previous)]

    def settle(level: str, value: int, bound: int, proven: bool) -> None:
        run.objective[level] = value
        # a bound is only valid if every earlier level was proven (a maximising level stays valid)
        run.bound[level] = bound if run.proven or SENSE[level] > 0 else 0
        models.constrain(level, "==" if proven else (">=" if SENSE[level] > 0 else "<="), value)
        if proven and run.proven:
            run.settled.append(level)
        elif not proven:
            run.proven = False
        run.tightest.pop(level, None)  # the settled bound stands as it is (0 when an earlier level is unproven)
        run.report(level, value, run.bound[level])

    for level in levels:
        if level not in to_search:
            if run.proven:
                run.settled.append(level)
            continue
        if options.stopped() and solution is not None:
            run.proven = False
            break
        if SENSE[level] > 0:
            cap, better = _cap(run, level, hint)
            if better is not None:
                hint = better
            if hint and _value(problem, hint, level) == cap:
                solution = hint  # the warm start reaches the slot-free upper bound: nothing to search
                settle(level, cap, cap, True)
                continue
            models.constrain(level, "<=", cap)  # a valid cut: the search stops once it meets it
        left = len(to_search) - to_search.index(level)
        budget = run.remaining() / left
        if budget <= 0.01 and solution is not None:
            run.proven = False
            break
        level_start, floor, start = time.monotonic(), 0, 0
        if level == "breaks":
            upper = _count(problem, hint, level) if hint else len(problem.slots) * len(problem.parties)
            if upper == 0:  # the timetable in hand has no break: the trivial lower bound is met, nothing to search
                solution = hint
                settle(level, 0, 0, True)
                continue
            # everything required: the selection is forced, so the block model is the whole "0 breaks?"
            forced = all(r.required for r in problem.requests)
            selection = set(hint) if hint else {r.id for r in problem.requests} if forced else None
            # unseeded, the block model runs in the core-guided race instead (see _core_race)
            beside = forced and options.workers > 1 and options.seed is None
            if selection is not None and upper > 0 and not beside:
                kept, refuted = _without_breaks_keeping_selection(
                    run, selection, hint, budget * (0.5 if forced and options.workers == 1 else 0.3))
                if kept is not None:  # no break at all: the trivial lower bound is met
                    solution = hint = kept
                    settle(level, 0, 0, True)
                    continue
                if refuted and forced and len(problem.days) == 1:
                    start = 1  # on one day the block model is exact: 0 breaks is impossible
                    run.report(level, upper, start)
        if level == "moved" and hint:
            floor = _moves_floor(run)
            kept, best_for_selection = _fewest_moves_keeping_selection(run, hint, budget * 0.3)
            if kept is not None and _moves(run.previous, kept) < _moves(run.previous, hint):
                solution = hint = kept
            value = _moves(run.previous, hint)
            if value <= floor:  # as few as the slot-free relaxation allows
                solution = hint
                settle(level, value, value, True)
                continue
            if best_for_selection and _large(problem):
                # the whole event's model would take minutes and gigabytes to move a few meetings fewer, if any
                solution = hint
                settle(level, value, floor, False)
                continue
        m = models.for_level(level)
        budget = min(budget, max(0.01, run.remaining() / left))  # building a province's model takes seconds
        expr = m.levels[level]
        m.cp.clear_hints()
        if hint:
            _hint(m, hint)
        if level == "breaks" and forced and options.workers > 1:
            # only breaks can vary: a core-guided search proves its bound and often meets it
            seconds = run.remaining() if left == 1 else max(0.01, budget - (time.monotonic() - level_start))
            blocks = selection if beside and selection is not None and upper > 0 else None
            raced = _core_race(run, m, expr, seconds, blocks, hint, refuted=start >= 1)
            if raced == "infeasible":
                return "infeasible" if solution is None else solution
            if raced is not None:
                solution = hint = raced[0]
                low = max(start, raced[2])
                settle(level, raced[1], low, raced[1] <= low)
                continue
        if level == "breaks":
            left_budget = budget - (time.monotonic() - level_start)
            probed = _probe_from_below(run, m, expr, left_budget * 0.6, upper, start)
            if probed == "infeasible":
                return "infeasible" if solution is None else solution
            if run.found is not None and hint is None:
                hint = run.found
                _hint(m, hint)
            if isinstance(probed, dict):  # a feasible probe at the proven lower bound is optimal
                solution = hint = probed
                value = _count(problem, probed, level)
                settle(level, value, value, True)
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
        solver, status = _search(run, model, level, expr, budget)
        if status == cp_model.UNKNOWN and solution is None and run.remaining() > 0.05 and not options.stopped():
            # nothing found yet within this level's share: give it the rest of the time
            solver, status = _search(run, model, level, expr, run.remaining())
        if status == cp_model.INFEASIBLE:
            return "infeasible" if solution is None else solution
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if solution is None:
                return None
            run.proven = False  # keep the previous solution; later levels still get their turn
            value = _value(problem, solution, level) if SENSE[level] > 0 else _count(problem, solution, level)
            settle(level, value, 0 if SENSE[level] < 0 else _trivial_max(problem, level), False)
            continue
        solution = hint = {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
        value = int(round(solver.objective_value))
        bound = max(floor, int(round(solver.best_objective_bound)))
        settle(level, value, bound, status == cp_model.OPTIMAL or bound == value)
    if solution is None and not to_search:
        full = models.for_level(levels[-1])
        full.cp.clear_hints()
        if fallback:
            _hint(full, fallback)
        solver, status = _search(run, full.cp, "", 0, run.remaining())
        if status == cp_model.INFEASIBLE:
            return "infeasible"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        solution = {r: s for (r, s), v in full.x.items() if solver.boolean_value(v)}
    return solution


def _cap(run: _Run, level: str, hint: dict[str, str] | None) -> tuple[int, dict[str, str] | None]:
    """The slot-free upper bound of a maximising level given the settled ones, and a warm start placed
    from the relaxation's selection when it beats `hint` (None otherwise)."""
    problem = run.problem
    cap = _trivial_max(problem, level)
    if run.relaxation is None:
        run.relaxation = Relaxation(problem, prefer=_keepable(problem, run.previous))  # a re-solve keeps what it can
    budget = max(0.1, min(5.0, run.remaining() * 0.2))
    bound, chosen = run.relaxation.maximise(level, dict(run.objective), budget, run.options.workers)
    if bound is not None:
        cap = min(cap, bound)
    run.caps[level] = cap
    run.most_kept[level] = run.relaxation.most_kept
    if not chosen:
        return cap, None
    placed = greedy_slots(problem, hint=run.previous, first=chosen, moves=3)
    if not _valid(problem, placed):
        return cap, None
    ahead = hint is None or (_value(problem, placed, level), -_moves(run.previous, placed)) > (
        _value(problem, hint, level), -_moves(run.previous, hint))  # as good, keeping more published: ahead too
    if ahead and all(_value(problem, placed, lv) >= v for lv, v in run.objective.items() if SENSE[lv] > 0):
        return cap, placed
    return cap, None


def _search(
    run: _Run, model: cp_model.CpModel, level: str, expr: cp_model.LinearExprT, seconds: float,
    presolve: bool = True,
) -> tuple[cp_model.CpSolver, int]:
    """One CP-SAT run that reports progress and honours the caller's stop request."""
    solver = cp_model.CpSolver()
    _params(solver, run.options, seconds)
    if not presolve:
        solver.parameters.cp_model_presolve = False
        if solver.parameters.interleave_search:
            # OR-tools 9.15 aborts on interleaved workers with a hint and no presolve ("fixed_search !=
            # nullptr"): one worker without LP stays reproducible (slower: 0.8 s against 0.25 s on Pasuruan)
            solver.parameters.interleave_search = False
            solver.parameters.num_workers = 1
            solver.parameters.linearization_level = 0
    done = threading.Event()
    watcher = threading.Thread(target=_poll_stop, args=(run, solver, done), daemon=True)
    watcher.start()
    try:
        callback = _Watcher(run, level, expr) if level else None
        status = solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()
    return solver, status


def _core_race(
    run: _Run, m: Model, expr: cp_model.LinearExprT, seconds: float,
    blocks: set[str] | None = None, hint: dict[str, str] | None = None, refuted: bool = False,
) -> tuple[dict[str, str], int, int] | str | None:
    """Minimise `expr` in two threads, each a chain of searches: core-guided ones (MaxSAT, CP-SAT) and plain ones.

    The core-guided search (MaxSAT-like) raises the lower bound fast and often ends on a timetable that
    meets it, but only when it runs alone: sharing a solve with other workers (whose timetables tighten
    its upper bound) loses that. The other thread ends with a plain search without LP, which keeps a good
    timetable in hand.
    With `blocks` (a selection), that thread first tries the block model on it for up to BLOCK_SHARE of
    the time: a break-free timetable settles the level, a refutation on one day proves at least one break.
    Next, without `hint`, it looks for any timetable (for up to FIRST_SHARE of the time), so that a stop at
    any moment has one to return.
    Unless the problem is too large for it, core-guided MaxSAT (RC2, see maxsat.py) runs in both threads:
    with the implied busy count per slot next in the second (up to BUSY_SHARE of the time, before the
    plain search; by turns with a CaDiCaL probe from the best bound proven by any search, see probe.py),
    and on the plain encoding in the first (up to MAXSAT_SHARE of the time, before the core-guided
    search). Each proves optima the others miss in time.
    Returns (assignment, value, proven lower bound), "infeasible", or None when nothing was found.
    """
    problem = run.problem
    m.cp.minimize(expr)

    proven = [1 if refuted else 0]  # the best lower bound proven so far, by any search

    def report_bound(bound: float) -> None:  # lower bounds proven between timetables reach the caller too
        proven[0] = max(proven[0], int(round(bound)))
        run.report("breaks", None, int(round(bound)))

    core = Job(m.cp, _one_worker(run, seconds, "core"), _Watcher(run, "breaks", expr))
    core.solver.best_bound_callback = report_bound
    first: Job | OtherJob = core
    solver = _one_worker(run, seconds, "no_lp" if run.options.workers == 2 else None)
    solver.parameters.num_workers = max(1, run.options.workers - 1)
    plain = Job(m.cp.clone(), solver, _Watcher(run, "breaks", expr))
    free: dict[str, dict[str, str]] = {}
    built = block_model(problem, blocks, hint) if blocks is not None else None
    block = None
    maxsat: dict[str, Any] = {}

    def no_break_free_day() -> bool:
        return refuted or (block is not None and block.status == cp_model.INFEASIBLE)

    second: Job | OtherJob = plain
    if sum(len(problem.allowed_slots(r)) for r in problem.requests) <= MAXSAT_MAX_PLACEMENTS:

        def maxsat_search(busy_per_slot: bool) -> Callable[[float, Callable[[], bool]], int]:
            def search(deadline: float, stopped: Callable[[], bool]) -> int:
                formula = BreaksMaxSat(problem, busy_per_slot=busy_per_slot)
                if busy_per_slot:  # by turns with the CaDiCaL probe, in child processes (see probe.py)
                    searcher: BreaksMaxSat | TakingTurns = TakingTurns(formula)
                    found = searcher.search(deadline, stopped, lambda: proven[0], report_bound)
                else:
                    searcher = formula
                    found = formula.solve(deadline, stopped, on_bound=report_bound)
                maxsat["lower_bound"] = max(maxsat.get("lower_bound", 0), searcher.lower_bound)
                if found is not None and _valid(problem, found[0]) and _count(problem, found[0], "breaks") == found[1]:
                    maxsat["found"] = found
                    return cp_model.OPTIMAL
                return cp_model.INFEASIBLE if searcher.infeasible else cp_model.UNKNOWN
            return search

        # the searches differ widely in luck, and each needs most of a core for seconds: one thread ends
        # with each encoding, so neither waits for the other (or restarts) to get its turn
        first = OtherJob(maxsat_search(False), "maxsat", then=core, limit=seconds * MAXSAT_SHARE)
        second = OtherJob(maxsat_search(True), "maxsat, busy count per slot", then=second,
                          limit=seconds * BUSY_SHARE)
    if hint is None:  # no valid timetable in hand: find one next, so a stop at any time still returns one
        quick = _one_worker(run, seconds, "no_lp")
        quick.parameters.stop_after_first_solution = True
        quick.parameters.cp_model_presolve = False  # one timetable comes sooner (forum-13crafb: 0.25 s, not 0.65 s)
        second = Job(m.cp.clone(), quick, _Watcher(run, "breaks", expr), then=second, limit=seconds * FIRST_SHARE,
                     settles=lambda job: job.status == cp_model.INFEASIBLE)
    if built is not None:
        def break_free_found(job: Job) -> bool:
            if job.status == cp_model.INFEASIBLE and len(problem.days) == 1:
                report_bound(1)  # on one day the block model is exact: 0 breaks is impossible
            if job.status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                slot_of = break_free(problem, job.solver, built[1])
                if slot_of is not None and _valid(problem, slot_of):
                    free["found"] = slot_of
            return "found" in free

        # alone and without LP, the block model finds break-free timetables far sooner
        block = Job(built[0], _one_worker(run, seconds, "no_lp"), settles=break_free_found,
                    then=second, limit=seconds * BLOCK_SHARE)
    race([first, block or second], run.options.stopped, time.monotonic() + seconds,
         leader_only=run.options.seed is not None)
    if "found" in free:
        return free["found"], 0, 0
    if "found" in maxsat and core.status != cp_model.OPTIMAL:  # the core-guided one first: seeded, it repeats
        slot_of, value = maxsat["found"]
        return slot_of, value, value
    searches = [*chain(first), *chain(second)]
    if any(job.ran and job.status == cp_model.INFEASIBLE for job in searches):
        return "infeasible"
    cp_searches = [job for job in searches if isinstance(job, Job) and job.ran]
    bound = max((int(round(job.solver.best_objective_bound)) for job in cp_searches), default=0)
    bound = max(bound, maxsat.get("lower_bound", 0))
    if no_break_free_day() and len(problem.days) == 1:
        bound = max(bound, 1)  # on one day the block model is exact: 0 breaks is impossible
    found = [job for job in cp_searches if job.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)]
    if not found:
        return None
    best = min(found, key=lambda job: job.solver.objective_value)  # the core-guided one on a tie
    slot_of = {r: s for (r, s), v in m.x.items() if best.solver.boolean_value(v)}
    value = _count(problem, slot_of, "breaks")
    return slot_of, value, min(bound, value)


def _one_worker(run: _Run, seconds: float, subsolver: str | None) -> cp_model.CpSolver:
    """A CP-SAT solver with the run's parameters, one worker and (if given) that one subsolver."""
    solver = cp_model.CpSolver()
    _params(solver, run.options, seconds)
    solver.parameters.num_workers = 1
    if subsolver:
        solver.parameters.subsolvers.append(subsolver)
    return solver


def _value(problem: Problem, slot_of: dict[str, str], level: str) -> int:
    """served or weight of a complete assignment."""
    if level == "weight":
        return sum(problem.request_by_id[r].weight for r in slot_of)
    return len({p for r in slot_of for p in problem.request_by_id[r].parties})


def _trivial_max(problem: Problem, level: str) -> int:
    """The most served or weight could be if every request with a possible slot were held."""
    possible = [r for r in problem.requests if problem.could_hold(r)]
    if level == "weight":
        return sum(r.weight for r in possible)
    return len({p for r in possible for p in r.parties})


def _count(problem: Problem, slot_of: dict[str, str], level: str) -> int:
    """The value of a minimising level (breaks) for a complete assignment, recounted independently."""
    return total_breaks(problem, slot_of)


def _probe_from_below(
    run: _Run, m: Model, expr: cp_model.LinearExprT, budget: float, upper: int, floor: int = 0
) -> dict[str, str] | int | str:
    """Ask "is there a timetable with at most B breaks?" for B = 0, 1, ... below the best known.

    Each infeasible answer raises the proven lower bound; a feasible answer at the lower bound is
    optimal. Fixing the objective this way propagates far better than minimising it, because "no
    break" means "once a block of meetings ends, the party stays idle for the rest of the day".
    Returns the optimal assignment, or the proven lower bound when time or the known value runs out,
    or "infeasible". The first "no" when no timetable is known yet is followed by one plain feasibility
    search: an infeasible problem answers "no" to every B, and would otherwise be probed B by B.
    """
    stop_at = time.monotonic() + budget
    known, checked = run.found, False
    while floor < upper and not run.options.stopped():
        left = stop_at - time.monotonic()
        if left <= 0.05:
            break
        probe = m.cp.clone()
        probe.clear_objective()
        probe.add(expr <= floor)
        # a "no" usually comes fast; a hard "yes" is often found sooner by minimising from a timetable
        solver, status = _search(run, probe, "", 0, max(0.5 * budget, 1.0) if left > 1.0 else left)
        if status == cp_model.INFEASIBLE:
            if known is None and not checked:
                checked = True  # once, and briefly: finding a first timetable may take longer than probing
                plain = m.cp.clone()
                plain.clear_objective()
                solver, status = _search(run, plain, "", 0, max(0.05, 0.25 * (stop_at - time.monotonic())))
                if status == cp_model.INFEASIBLE:
                    return "infeasible"
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    known = run.found = {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
                    upper = min(upper, _count(run.problem, known, "breaks"))
            floor += 1
            run.report("breaks", upper, floor)
            continue
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
        break
    if known is not None and floor >= _count(run.problem, known, "breaks"):
        return known  # the probes climbed to a timetable already found: it is optimal
    return floor


def _without_breaks_keeping_selection(
    run: _Run, selection: set[str], hint: dict[str, str] | None, budget: float
) -> tuple[dict[str, str] | None, bool]:
    """Slot the requests of `selection` (so served and weight stay) with no break at all.

    Returns the new assignment (or None when the block model found none within `budget`) and whether
    the block model was proven infeasible.
    A third of the budget first goes to a search without presolve: on a large day with room to spare
    (a regency's booths) it finds the timetable in a fraction of the time presolve alone takes (Pasuruan:
    0.3 s against 1.5 s); a tight day needs presolve, which gets the rest.
    On a re-solve the whole budget goes to the break-free timetable keeping most published meetings in
    place, starting from them (Pasuruan after 20 cancellations: 20 moved, not 355, before the moves level).
    """
    built = block_model(run.problem, selection, hint)
    if built is None:
        return None, False
    model, x = built
    started = time.monotonic()
    if run.previous:  # a re-solve: of the break-free timetables, one keeping published meetings in place
        model.maximize(sum(x[r, s] for r, s in run.previous.items() if (r, s) in x))
        model.clear_hints()
        for (r, s), var in x.items():
            model.add_hint(var, run.previous.get(r, (hint or {}).get(r)) == s)
        solver, status = _search(run, model, "", 0, budget)
    else:
        solver, status = _search(run, model, "", 0, budget / 3, presolve=False)
        if status == cp_model.UNKNOWN and not run.options.stopped():
            solver, status = _search(run, model, "", 0, budget - (time.monotonic() - started))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, status == cp_model.INFEASIBLE
    slot_of = break_free(run.problem, solver, x)
    return (slot_of if slot_of is not None and _valid(run.problem, slot_of) else None), False


def _keepable(problem: Problem, previous: dict[str, str] | None) -> set[str]:
    """The published meetings that could stay in their slot (it is still allowed)."""
    return {r for r, s in (previous or {}).items() if s in problem.allowed_slots(problem.request_by_id[r])}


def _moves(previous: dict[str, str] | None, slot_of: dict[str, str]) -> int:
    """Published meetings moved to another slot or dropped."""
    return sum(1 for r, s in (previous or {}).items() if slot_of.get(r) != s)


def _moves_floor(run: _Run) -> int:
    """Published meetings that must move or drop: more than any selection reaching the settled served and
    weight can keep (the slot-free relaxation's count, valid once both are proven at their caps)."""
    most = run.most_kept.get("weight")
    if most is None or not run.proven or run.objective.get("weight") != run.caps.get("weight"):
        return 0
    return len(run.previous or {}) - most


def _fewest_moves_keeping_selection(
    run: _Run, hint: dict[str, str], budget: float
) -> tuple[dict[str, str] | None, bool]:
    """Re-slot exactly the meetings of `hint` (so served and weight stay), with no more breaks, moving as
    few published meetings as found within `budget`: a far smaller model than the whole event's.
    Returns the assignment (None if none was found) and whether it is proven the best for this selection."""
    problem = run.problem
    chosen = tuple(r for r in problem.requests if r.id in hint)
    if any(before not in hint for r in chosen for before in r.after):
        return None, False
    sub = replace(problem, requests=chosen)
    m = build_model(sub, previous={r: s for r, s in (run.previous or {}).items() if r in hint},
                    with_breaks="breaks" in run.objective)
    for var in m.scheduled.values():
        m.cp.add(var == 1)
    if "breaks" in run.objective:
        m.cp.add(m.levels["breaks"] <= run.objective["breaks"])
    m.cp.minimize(m.levels["moved"])
    _hint(m, hint)
    solver, status = _search(run, m.cp, "", 0, budget)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    slot_of = {r: s for (r, s), v in m.x.items() if solver.boolean_value(v)}
    if not _valid(problem, slot_of):
        return None, False
    return slot_of, status == cp_model.OPTIMAL


def _large(problem: Problem) -> bool:
    """A province-sized event: its whole time-indexed model costs seconds to build and gigabytes to search."""
    return len(problem.requests) * len(problem.slots) > DECOMPOSE_ABOVE


def _hint(m: Model, slot_of: dict[str, str]) -> None:
    """Hint the meeting variables and those they define, so CP-SAT starts from a complete solution."""
    busy = {(pid, sid) for rid, sid in slot_of.items() for pid in m.problem.request_by_id[rid].parties}
    hinted: set[int] = set()

    def hint(var: cp_model.IntVar, value: bool) -> None:
        if var.index not in hinted:
            hinted.add(var.index)
            m.cp.add_hint(var, value)

    for (rid, sid), v in m.x.items():
        hint(v, slot_of.get(rid) == sid)
    for rid, v in m.scheduled.items():
        hint(v, rid in slot_of)
    served = {pid for pid, _ in busy}
    for pid, v in m.served.items():
        hint(v, pid in served)
    for key, v in m.busy.items():
        hint(v, key in busy)


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
        # valid once every level before it is proven, as for breaks
        earlier_proven = set(run.settled) >= {"served", "weight", "breaks"}
        bound["moved"] = run.bound.get("moved", 0) if run.proven or earlier_proven else 0
    unscheduled = draft.unscheduled
    if not run.proven and all(objective[level] == value for level, value in bound.items()):
        # time ran out before a level was searched, but each level meets its proven bound in turn
        status = "optimal"
        unscheduled = tuple(explain_unscheduled(problem, slot_of, proven=True))
    return Timetable(
        status=status,
        meetings=draft.meetings,
        unscheduled=unscheduled,
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
            if relaxed is None and key not in run.caps:
                relaxed = relaxed_bounds(run.problem, time_limit=max(0.2, min(2.0, run.remaining())),
                                         workers=run.options.workers)
            # never the achieved value: when nothing better is proven, the obvious maximum
            candidates = [v for v in (run.bound.get(key), (relaxed or {}).get(key), run.caps.get(key),
                                      _trivial_max(run.problem, key)) if v is not None]
            out[key] = min(candidates)
    return out
