"""Command line: `python -m app.scheduling solve|check ...` (exit 0 valid, 2 infeasible, 1 bad input)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .check import check
from .problem import Problem, ProblemError
from .solve import SolveOptions, solve
from .timetable import Timetable


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.scheduling", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve a matching-problem/1 into a matching-timetable/1")
    s.add_argument("problem", help="PROBLEM.json")
    s.add_argument("-o", "--output", help="write the timetable here (default: standard output)")
    s.add_argument("--time-limit", type=float, default=30.0, help="seconds for the whole solve (default 30)")
    s.add_argument("--workers", type=int, default=2, help="CP-SAT worker threads (default 2)")
    s.add_argument("--seed", type=int, default=None, help="random seed; with fixed --workers, reproducible")
    s.add_argument("--keep", metavar="PREVIOUS.json", help="a published timetable: move as few meetings as possible")
    s.add_argument("--log", action="store_true", help="print the CP-SAT search log to standard error")
    c = sub.add_parser("check", help="verify a timetable against its problem")
    c.add_argument("problem", help="PROBLEM.json")
    c.add_argument("timetable", help="TIMETABLE.json")
    return parser


def _summary(t: Timetable) -> str:
    o, b = t.objective, t.bound
    figures = ", ".join(f"{k} {o[k]}" + (f" (bound {b[k]})" if k in b else "") for k in o)
    if t.status == "infeasible":
        return f"infeasible: {len(t.conflicts)} conflict(s), {t.solve_seconds:.2f} s"
    return f"{t.status}: {figures}; {len(t.unscheduled)} unscheduled, {t.solve_seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        problem = Problem.load(args.problem)
        if args.command == "check":
            report = check(problem, Timetable.load(args.timetable))
            for v in report.violations:
                print(f"violation: {v}")
            figures = ", ".join(f"{k} {v}" for k, v in report.objective.items())
            verdict = "valid" if report.ok else f"{len(report.violations)} violation(s)"
            print(verdict + (f": {figures}" if figures else ""))
            return 0 if report.ok else 1
        if args.workers < 1 or args.time_limit <= 0:
            raise ProblemError("--workers must be >= 1 and --time-limit > 0")
        previous = Timetable.load(args.keep) if args.keep else None
    except ProblemError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    options = SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                           previous=previous, log=args.log)
    timetable = solve(problem, options)
    text = timetable.to_json()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(_summary(timetable), file=sys.stderr if not args.output else sys.stdout)
    for c in timetable.conflicts:
        print(f"conflict: {c.message}", file=sys.stderr)
    if timetable.status == "infeasible":
        return 2
    return 0 if timetable.status in ("optimal", "feasible") else 3


if __name__ == "__main__":
    sys.exit(main())
