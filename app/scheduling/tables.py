"""Number the tables once slots are chosen: per host (or pool) and slot, keep previous numbers first."""

from __future__ import annotations

from collections import defaultdict

from .problem import Problem
from .timetable import Meeting


def assign_tables(
    problem: Problem, slot_of: dict[str, str], previous: dict[str, tuple[str, int]] | None = None
) -> list[Meeting]:
    """Meetings with table numbers 1..tables, none double-booked; a kept meeting keeps its table."""
    previous = previous or {}
    groups: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for rid, sid in slot_of.items():
        groups[problem.host_of(problem.request_by_id[rid]), sid].append(rid)
    table_of: dict[str, int] = {}
    for (host, sid), rids in groups.items():
        count = problem.table_count(host)
        taken: set[int] = set()
        rest = []
        for rid in sorted(rids):
            old = previous.get(rid)
            if old is not None and old[0] == sid and 1 <= old[1] <= count and old[1] not in taken:
                table_of[rid] = old[1]
                taken.add(old[1])
            else:
                rest.append(rid)
        free = (t for t in range(1, count + 1) if t not in taken)
        for rid in rest:
            table_of[rid] = next(free)  # capacity was enforced, so a free table exists
    order = {s.id: i for i, s in enumerate(problem.ordered_slots)}
    return sorted(
        (Meeting(rid, slot_of[rid], table_of[rid]) for rid in slot_of),
        key=lambda m: (order[m.slot], m.table, m.request),
    )
