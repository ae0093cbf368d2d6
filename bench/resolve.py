"""python -m bench.resolve [--out docs/benchmarks-resolve.md] [--only PATTERN]

Re-solving a published day after the changes organisers meet (`solve --keep`): a booth loses tables,
koperasi cancel, late registrations arrive. For each generated day: the first solve, then each change
re-solved from the first timetable. Every solve runs in its own subprocess (honest peak memory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.scheduling.generate import generate

from .__main__ import _cpu, _loadavg, json_line_of

# (name, generator arguments, time limit): a regency day, and a whole province on one day with few booths,
# so that most requests are left out and the whole time-indexed model is large
DAYS = [
    ("pasuruan-35.14", {"regency": "35.14", "booths": 5, "tables": 10, "seed": 1}, 30.0),
    ("jawa-barat-32, one day", {"province": "32", "booths": 8, "tables": 10, "days": 1, "slots_per_day": 16,
                                "seed": 2, "late_fraction": 0.2}, 120.0),
]


def _booth_loses_tables(doc: dict) -> dict:
    """The booth with the most tables loses two of them."""
    booth = max((p for p in doc["parties"] if p.get("tables", 0) > 2), key=lambda p: p["tables"])
    booth["tables"] -= 2
    return doc


def _cancellations(doc: dict) -> dict:
    """Twenty koperasi with requests cancel (their requests go)."""
    guests = sorted({pid for r in doc["requests"] for pid in r["parties"]} - _booths(doc))
    gone = set(random.Random(1).sample(guests, min(20, len(guests))))
    doc["requests"] = [r for r in doc["requests"] if not gone & set(r["parties"])]
    return doc


def _late_registrations(doc: dict) -> dict:
    """Thirty new koperasi register late, each asking two booths."""
    booths = sorted(_booths(doc))
    rng = random.Random(2)
    for i in range(30):
        pid = f"late-{i}"
        doc["parties"].append({"id": pid, "name": f"Koperasi baru {i + 1}"})
        for booth in rng.sample(booths, 2):
            doc["requests"].append({"id": f"{pid}-{booth}", "parties": [pid, booth], "weight": rng.randint(1, 3)})
    return doc


def _booths(doc: dict) -> set[str]:
    return {p["id"] for p in doc["parties"] if p.get("tables", 0) > 0}


CHANGES: list[tuple[str, Callable[[dict], dict]]] = [
    ("a booth loses two tables", _booth_loses_tables),
    ("20 koperasi cancel", _cancellations),
    ("30 late registrations", _late_registrations),
]


def _solve(problem: Path, limit: float, keep: Path | None, out: Path) -> dict:
    """One `python -m app.scheduling solve` in a subprocess: its timetable's figures, seconds and peak MB."""
    cmd = [sys.executable, "-m", "bench.resolve", "--one", str(problem), str(limit), str(out)]
    if keep is not None:
        cmd.append(str(keep))
    return json_line_of(cmd, limit * 3 + 120)


def _one(problem_path: str, limit: str, out: str, keep: str | None = None) -> None:
    """In the subprocess: solve, write the timetable to `out`, print one JSON line."""
    from app.scheduling import Problem, SolveOptions, solve
    from app.scheduling.timetable import Timetable

    problem = Problem.load(problem_path)
    previous = Timetable.load(keep) if keep else None
    started = time.monotonic()
    t = solve(problem, SolveOptions(time_limit=float(limit), workers=2, previous=previous))
    seconds = time.monotonic() - started
    Path(out).write_text(json.dumps(t.to_dict()), encoding="utf-8")
    print(json.dumps({"status": t.status, "objective": t.objective, "bound": t.bound, "stability": t.stability,
                      "seconds": round(seconds, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def _row(day: str, change: str, r: dict) -> str:
    if not r.get("objective"):
        return f"| {day} | {change} | {r['status']} | | | | | |"
    o, b, st = r["objective"], r["bound"], r.get("stability") or {}
    moved = f"{o['moved']} (bound {b.get('moved', 0)})" if "moved" in o else "-"
    kept = f"{st['kept']}/{st['moved']}/{st['dropped']}" if st else "-"
    return (f"| {day} | {change} | {r['status']} | {o['served']}/{o['weight']}/{o['breaks']} | "
            f"{b['served']}/{b['weight']}/{b['breaks']} | {moved} | {kept} | {r['seconds']} | {r['peak_mb']} |")


def main(argv: list[str] | None = None) -> int:
    """Run the re-solve benchmark and write the report."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--one"]:
        _one(*argv[1:])
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.resolve", description=__doc__)
    ap.add_argument("--out", default="docs/benchmarks-resolve.md")
    ap.add_argument("--only", help="glob on day names, e.g. '*pasuruan*'")
    args = ap.parse_args(argv)
    load_before, started = _loadavg(), dt.datetime.now(dt.UTC)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        for day, spec, limit in DAYS:
            if args.only and not fnmatch.fnmatch(day, args.only):
                continue
            doc = generate(**spec)
            problem, first = tmp / "day.json", tmp / "first.json"
            problem.write_text(json.dumps(doc))
            r = _solve(problem, limit, None, first)
            rows.append(_row(day, "first solve", r))
            print(rows[-1], flush=True)
            for change, apply in CHANGES:
                changed = tmp / "changed.json"
                changed.write_text(json.dumps(apply(json.loads(problem.read_text()))))
                r = _solve(changed, limit, first, tmp / "again.json")
                rows.append(_row(day, change, r))
                print(rows[-1], flush=True)
    header = [
        "# Re-solving a published day",
        "",
        f"Command: `python -m bench.resolve{' --only ' + repr(args.only) if args.only else ''}`"
        " (`make bench-resolve`)",
        f"Run: {started:%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {_cpu()}; "
        f"load average before {load_before}, after {_loadavg()}. Two workers; time limit 30 s for the regency "
        "day, 120 s for the province day.",
        "",
        "Each change is re-solved from the first solve's timetable (`solve --keep`). Objective and bound are "
        "served/weight/breaks; moved counts published meetings moved or dropped (its bound is proven once the "
        "levels before it are); kept/moved/dropped are the published meetings' fates.",
        "",
        "| day | change | status | objective | bound | moved | kept/moved/dropped | s | MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    Path(args.out).write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
