"""CPU used by each component of a load test: locust, gunicorn (master and workers) and the PostgreSQL server.

    python -m bench.loadtest.cpu --out cpu.jsonl --until-gone LOCUST_PID \
        --component locust=PID --component gunicorn=PID --component postgresql=PID

writes, once a second until locust has ended, the time and the CPU seconds (user + system) of each component's
process tree. `summary.py --cpu` lays them over locust's per-second history to give, for the measured part of the
run (after the users have all started), the cores each component used and its CPU milliseconds per request.

A component is a process and everything below it. Its CPU time is the process's own time, the time of the children
it has already reaped (`cutime`/`cstime`: gunicorn workers recycled by max_requests, PostgreSQL backends that
disconnected) and the own time of every live descendant. For PostgreSQL give the postmaster's pid: that counts the
whole server, its background processes (WAL writer, checkpointer) included, which is what the requests cost it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
MACHINE = "machine"
EDGE_SECONDS = 1.0


def read_stat(pid: int, proc: Path = PROC) -> tuple[int, int, int] | None:
    """Return (parent pid, own CPU ticks, reaped children's CPU ticks) of a process, or None when it is gone."""
    try:
        raw = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after its closing parenthesis.
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, utime + stime, cutime + cstime


def all_stats(proc: Path = PROC) -> dict[int, tuple[int, int, int]]:
    """Return read_stat of every process."""
    stats = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name), proc)
            if stat is not None:
                stats[int(entry.name)] = stat
    return stats


def tree_seconds(root: int, stats: dict[int, tuple[int, int, int]]) -> float | None:
    """Return the CPU seconds of a process tree: the root's own and reaped time, every live descendant's own time
    (a live descendant's reaped children count too)."""
    if root not in stats:
        return None
    children = defaultdict(list)
    for pid, (ppid, _own, _reaped) in stats.items():
        children[ppid].append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        _ppid, own, reaped = stats[pid]
        total += own + reaped
        todo.extend(children.get(pid, ()))
    return total / TICKS


def machine_seconds(proc: Path = PROC) -> float | None:
    """Return the busy CPU seconds of the whole machine (every core, every process, the kernel's interrupts)."""
    try:
        first = (proc / "stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    # cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    values = [int(v) for v in first[1:9]]
    return (sum(values) - values[3] - values[4]) / TICKS


def reading(components: dict[str, int], proc: Path = PROC) -> dict[str, float | None]:
    """Return the CPU seconds of each component now, and of the whole machine (MACHINE)."""
    stats = all_stats(proc)
    out = {name: tree_seconds(pid, stats) for name, pid in components.items()}
    out[MACHINE] = machine_seconds(proc)
    return out


def sample(components: dict[str, int], out, interval: float, until_gone: int | None, clock=time.time) -> None:
    """Write one JSON line per interval: the wall-clock time and each component's CPU seconds; stop when the
    process `until_gone` has ended (after one last line)."""
    while True:
        gone = until_gone is not None and read_stat(until_gone) is None
        out.write(json.dumps({"t": clock(), "cpu": reading(components)}) + "\n")
        out.flush()
        if gone:
            return
        time.sleep(interval)


def load_samples(path: Path) -> list[dict]:
    """Return the lines written by `sample`."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def at(samples: list[dict], name: str, when: float) -> float | None:
    """Return a component's CPU seconds at a time, interpolated between the two samples around it."""
    points = [(s["t"], s["cpu"].get(name)) for s in samples if s["cpu"].get(name) is not None]
    # Up to one reading interval past the ends (locust ends between two readings) counts as the nearest reading.
    if not points or when < points[0][0] - EDGE_SECONDS or when > points[-1][0] + EDGE_SECONDS:
        return None
    if when <= points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in zip(points, points[1:], strict=False):
        if t0 <= when <= t1:
            return v0 if t1 == t0 else v0 + (v1 - v0) * (when - t0) / (t1 - t0)
    return points[-1][1]


def used_between(samples: list[dict], start: float, end: float) -> dict[str, float | None]:
    """Return the CPU seconds each component used between two times (None where not sampled over all of it)."""
    names = sorted({name for s in samples for name in s["cpu"]})
    out = {}
    for name in names:
        before, after = at(samples, name, start), at(samples, name, end)
        out[name] = None if before is None or after is None else max(0.0, after - before)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest.cpu")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between readings")
    parser.add_argument("--until-gone", type=int, help="stop once this process has ended")
    parser.add_argument("--component", action="append", default=[], metavar="NAME=PID")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines file")
    args = parser.parse_args(argv)
    components = {}
    for item in args.component:
        name, _, pid = item.partition("=")
        if pid.isdigit():
            components[name] = int(pid)
    with args.out.open("w") as out:
        sample(components, out, args.interval, args.until_gone)
    return 0


if __name__ == "__main__":
    sys.exit(main())
