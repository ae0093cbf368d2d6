"""python -m bench.loadtest.summary test-results/loadtest/loadtest_stats.csv

Prints locust's per-endpoint figures as a Markdown table and tells whether the target is met: the agenda page
and the calendar feeds together hold at least 300 requests/s, each with p95 under 100 ms, and nothing failed.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    """Print the table and the verdict; exit 1 when the target is not met."""
    args = sys.argv[1:] if argv is None else argv
    rows = read_rows(Path(args[0] if args else "test-results/loadtest/loadtest_stats.csv"))
    print(markdown_table(rows))
    met, line = target_met(rows)
    print()
    print(line)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
