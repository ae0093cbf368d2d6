"""Run one method on one instance in this process and print one JSON line (used in a subprocess)."""

from __future__ import annotations

import json
import resource
import sys
import time

from app.scheduling import Problem, SolveOptions, check, solve
from app.scheduling.tables import assign_tables
from app.scheduling.timetable import Timetable, Unscheduled

from .baselines import plain_model, round_robin


def _as_timetable(problem: Problem, status: str, slot_of: dict[str, str]) -> Timetable:
    meetings = assign_tables(problem, slot_of)
    left = [Unscheduled(r.id, "baseline") for r in problem.requests if r.id not in slot_of]
    return Timetable(status, tuple(meetings), tuple(left))


def main(argv: list[str]) -> int:
    """bench.run_one METHOD PROBLEM.json TIME_LIMIT WORKERS"""
    method, path, limit, workers = argv[0], argv[1], float(argv[2]), int(argv[3])
    problem = Problem.load(path)
    started = time.monotonic()
    bound: dict[str, int] = {}
    conflicts = 0
    if method == "ours":
        # no seed: the app solves in parallel mode; a seed with several workers interleaves them (reproducible, slower)
        t = solve(problem, SolveOptions(time_limit=limit, workers=workers))
        status, bound, conflicts = t.status, t.bound, len(t.conflicts)
    elif method == "plain":
        status, slot_of = plain_model(problem, limit, workers)
        t = _as_timetable(problem, status, slot_of) if slot_of else Timetable(status)
    else:
        t = _as_timetable(problem, "feasible", round_robin(problem))
        status = "feasible"
    seconds = time.monotonic() - started
    objective: dict[str, int] = {}
    valid = None
    if t.meetings or status in ("optimal", "feasible"):
        report = check(problem, t)
        objective, valid = report.objective, report.ok
        if not report.ok:
            status = f"invalid ({len(report.violations)} violations)"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"method": method, "status": status, "objective": objective, "bound": bound,
                      "valid": valid, "conflicts": conflicts, "seconds": round(seconds, 2),
                      "peak_mb": round(peak_mb)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
