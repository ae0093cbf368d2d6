"""python -m bench.loadtest.summary test-results/loadtest/loadtest_stats.csv [--cpu cpu.jsonl]

Prints locust's per-endpoint figures as a Markdown table and tells whether the target is met: the agenda page
and the calendar feeds together hold at least 300 requests/s, each with p95 under 100 ms, and nothing failed.

With --cpu (the readings of `python -m bench.loadtest.cpu`) it also prints where the CPU went during the measured
part of the run (from the moment every user had started, as locust's --reset-stats counts): cores used and CPU
milliseconds per request for locust, gunicorn, PostgreSQL, and whatever else ran on the machine.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from bench.loadtest.cpu import MACHINE, load_samples, used_between

TARGET_RPS = 300.0
TARGET_P95_MS = 100.0
MEASURED = ("/saya/agenda", "/calendar/feed/")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the rows of locust's _stats.csv file."""
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def markdown_table(rows: list[dict[str, str]]) -> str:
    """Return the figures per endpoint (and in total) as a Markdown table."""
    lines = [
        "| endpoint | requests | req/s | median ms | p95 ms | p99 ms | max ms | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| `{name}` | {row['Request Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
            f"| {row['99%']} | {float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    return "\n".join(lines)


def target_met(rows: list[dict[str, str]]) -> tuple[bool, str]:
    """Tell whether the agenda and feed endpoints together meet the target, and say why in one line."""
    measured = [r for r in rows if r["Name"] != "Aggregated" and r["Name"].startswith(MEASURED)]
    rps = sum(float(r["Requests/s"]) for r in measured)
    worst = max((float(r["95%"]) for r in measured), default=float("inf"))
    failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated")
    met = bool(measured) and rps >= TARGET_RPS and worst < TARGET_P95_MS and failures == 0
    verdict = "met" if met else "NOT met"
    return met, (
        f"Target {verdict}: agenda + feeds {rps:.1f} req/s (>= {TARGET_RPS:g}), worst p95 {worst:g} ms "
        f"(< {TARGET_P95_MS:g}), {failures} failures (0)."
    )


def measured_window(history: list[dict[str, str]]) -> tuple[float, float, int] | None:
    """Return (start, end, requests) of the measured part of a run from locust's _stats_history.csv: the rows
    written while every user ran, after the last reset of the counters (--reset-stats)."""
    rows = [r for r in history if r["Name"] == "Aggregated" and r["User Count"].isdigit()]
    if not rows:
        return None
    full = max(int(r["User Count"]) for r in rows)
    rows = [r for r in rows if int(r["User Count"]) == full]
    start = 0
    for i in range(1, len(rows)):
        if int(rows[i]["Total Request Count"]) < int(rows[i - 1]["Total Request Count"]):
            start = i  # the counters were reset here
    first, last = rows[start], rows[-1]
    # Timestamps are whole seconds (locust truncates them): both ends are taken at the middle of their second.
    begin, end = float(first["Timestamp"]) + 0.5, float(last["Timestamp"]) + 0.5
    requests = int(last["Total Request Count"]) - int(first["Total Request Count"])
    if end <= begin or requests <= 0:
        return None
    return begin, end, requests


def cpu_table(samples: list[dict], window: tuple[float, float, int]) -> str:
    """Return the CPU each component used in the window: seconds, cores, and milliseconds per request."""
    begin, end, requests = window
    seconds = end - begin
    used = used_between(samples, begin, end)
    machine = used.pop(MACHINE, None)
    lines = [
        f"CPU over {seconds:.0f} s with every user running ({requests} requests, {requests / seconds:.1f} req/s):",
        "",
        "| component | CPU s | cores | CPU ms per request |",
        "|---|---:|---:|---:|",
    ]
    known = 0.0
    for name, value in used.items():
        if value is None:
            lines.append(f"| {name} | n/a | n/a | n/a |")
            continue
        known += value
        lines.append(f"| {name} | {value:.1f} | {value / seconds:.2f} | {1000 * value / requests:.2f} |")
    if machine is not None:
        other = max(0.0, machine - known)
        lines.append(
            f"| other (kernel, the rest of the machine) | {other:.1f} | {other / seconds:.2f} | "
            f"{1000 * other / requests:.2f} |"
        )
        lines.append(f"| **machine** | {machine:.1f} | {machine / seconds:.2f} | {1000 * machine / requests:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table, the CPU split when given, and the verdict; exit 1 when the target is not met."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest.summary")
    parser.add_argument("stats", nargs="?", type=Path, default=Path("test-results/loadtest/loadtest_stats.csv"))
    parser.add_argument("--cpu", type=Path, help="CPU readings written by python -m bench.loadtest.cpu")
    parser.add_argument("--no-verdict", action="store_true", help="only the table (e.g. for the warm-up run)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    rows = read_rows(args.stats)
    print(markdown_table(rows))
    if args.no_verdict:
        return 0
    if args.cpu is not None:
        history_path = args.stats.with_name(args.stats.name.replace("_stats.csv", "_stats_history.csv"))
        window = measured_window(read_rows(history_path)) if history_path.exists() else None
        samples = load_samples(args.cpu) if args.cpu.exists() else []
        print()
        print(cpu_table(samples, window) if window and samples else "CPU: no readings for the measured window.")
    met, line = target_met(rows)
    print()
    print(line)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
