"""An independent validator: checks every hard rule of a timetable and recomputes its objective.

It deliberately shares no code with the model: it reads the problem and the timetable and counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .problem import Problem
from .timetable import Timetable


@dataclass
class CheckReport:
    """What `check` found: the violations (empty when valid) and the recomputed objective."""

    violations: list[str] = field(default_factory=list)
    objective: dict[str, int] = field(default_factory=dict)
    breaks_by_party: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the timetable keeps every hard rule."""
        return not self.violations


def count_breaks(problem: Problem, busy_slots: set[str]) -> int:
    """Breaks of one party: per local day, runs of idle slots between two of its meetings."""
    total = 0
    for day in problem.days:
        blocks, previous = 0, False
        for sid in day:
            now = sid in busy_slots
            if now and not previous:
                blocks += 1
            previous = now
        total += max(0, blocks - 1)
    return total


def total_breaks(problem: Problem, slot_of: dict[str, str]) -> int:
    """Breaks of every party together, for an assignment of requests to slots."""
    busy: dict[str, set[str]] = defaultdict(set)
    for rid, sid in slot_of.items():
        for pid in problem.request_by_id[rid].parties:
            busy[pid].add(sid)
    return sum(count_breaks(problem, slots) for slots in busy.values())


def check(problem: Problem, timetable: Timetable) -> CheckReport:
    """Verify every hard rule of `timetable` against `problem` and recompute the objective."""
    report = CheckReport()
    bad = report.violations
    if timetable.status in ("infeasible", "unknown"):
        if timetable.meetings:
            bad.append(f"status {timetable.status!r} but the timetable lists meetings")
        return report

    slot_of: dict[str, str] = {}
    for m in timetable.meetings:
        if m.request not in problem.request_by_id:
            bad.append(f"meeting for unknown request {m.request!r}")
            continue
        if m.slot not in problem.slot_by_id:
            bad.append(f"request {m.request!r} is in unknown slot {m.slot!r}")
            continue
        if m.request in slot_of:
            bad.append(f"request {m.request!r} is scheduled more than once")
            continue
        slot_of[m.request] = m.slot

    party_load: Counter[tuple[str, str]] = Counter()
    table_use: dict[tuple[str | None, str, int], list[str]] = defaultdict(list)
    host_load: Counter[tuple[str | None, str]] = Counter()
    for m in timetable.meetings:
        if slot_of.get(m.request) != m.slot:
            continue
        req = problem.request_by_id[m.request]
        for pid in req.parties:
            party_load[(pid, m.slot)] += 1
            if m.slot in problem.party_by_id[pid].unavailable:
                bad.append(f"request {req.id!r}: {pid} is unavailable in slot {m.slot}")
        host = _host(problem, req.id)
        tables = problem.tables if host is None else problem.party_by_id[host].tables
        owner = "the shared pool" if host is None else f"host {host}"
        if not 1 <= m.table <= tables:
            bad.append(f"request {req.id!r}: table {m.table} is not a table of {owner} (1..{tables})")
        table_use[(host, m.slot, m.table)].append(req.id)
        host_load[(host, m.slot)] += 1
        if req.session is not None and problem.slot_by_id[m.slot].session != req.session:
            bad.append(f"request {req.id!r} must be in session {req.session!r}, is in slot {m.slot}")
        if req.fixed_slot is not None and m.slot != req.fixed_slot:
            bad.append(f"request {req.id!r} is fixed to slot {req.fixed_slot}, is in slot {m.slot}")

    for (pid, sid), n in sorted(party_load.items()):
        party = problem.party_by_id[pid]
        limit = party.parallel if party.parallel is not None else max(1, party.tables)
        if n > limit:
            bad.append(f"{pid} has {n} meetings in slot {sid}, at most {limit} allowed")
    for (host, sid, table), reqs in sorted(table_use.items(), key=lambda kv: str(kv[0])):
        if len(reqs) > 1:
            owner = "shared pool" if host is None else host
            bad.append(f"table {table} of {owner} holds {len(reqs)} meetings in slot {sid}: {', '.join(reqs)}")
    for (host, sid), n in sorted(host_load.items(), key=lambda kv: str(kv[0])):
        tables = problem.tables if host is None else problem.party_by_id[host].tables
        if n > tables:
            owner = "the shared pool" if host is None else host
            bad.append(f"{owner} holds {n} meetings in slot {sid} but has {tables} tables")

    start = {s.id: s.start for s in problem.slots}
    for req in problem.requests:
        if req.required and req.id not in slot_of:
            bad.append(f"required request {req.id!r} is not scheduled")
        if req.id not in slot_of:
            continue
        for before in req.after:
            if before not in slot_of:
                bad.append(f"request {req.id!r} is scheduled but {before!r}, which must come first, is not")
            elif not start[slot_of[before]] < start[slot_of[req.id]]:
                bad.append(
                    f"request {before!r} (slot {slot_of[before]}) must be before "
                    f"{req.id!r} (slot {slot_of[req.id]})"
                )

    listed = {u.request for u in timetable.unscheduled}
    for req in problem.requests:
        if req.id not in slot_of and req.id not in listed:
            bad.append(f"request {req.id!r} is neither scheduled nor listed as unscheduled")
    for rid in listed & set(slot_of):
        bad.append(f"request {rid!r} is both scheduled and listed as unscheduled")

    busy: dict[str, set[str]] = defaultdict(set)
    for rid, sid in slot_of.items():
        for pid in problem.request_by_id[rid].parties:
            busy[pid].add(sid)
    breaks = {p.id: count_breaks(problem, busy.get(p.id, set())) for p in problem.parties}
    report.breaks_by_party = breaks
    spread = problem.rules.max_break_spread
    if spread is not None and breaks:
        hi, lo = max(breaks.values()), min(breaks.values())
        if hi - lo > spread:
            worst = max(breaks, key=lambda p: breaks[p])
            best = min(breaks, key=lambda p: breaks[p])
            bad.append(
                f"break spread {hi - lo} exceeds {spread}: {worst} has {hi} breaks, {best} has {lo}"
            )

    with_requests = {pid for r in problem.requests for pid in r.parties}
    served = {pid for rid in slot_of for pid in problem.request_by_id[rid].parties}
    report.objective = {
        "served": len(served & with_requests),
        "weight": sum(problem.request_by_id[rid].weight for rid in slot_of),
        "meetings": len(slot_of),
        "breaks": sum(breaks.values()),
    }
    for key, value in report.objective.items():
        claimed = timetable.objective.get(key)
        if claimed is not None and claimed != value:
            bad.append(f"objective {key} is given as {claimed} but the timetable has {value}")
    return report


def _host(problem: Problem, request_id: str) -> str | None:
    """The host of a request, read from the spec's wording (kept apart from the model on purpose)."""
    req = problem.request_by_id[request_id]
    if req.host is not None:
        return req.host
    owners = [p for p in req.parties if problem.party_by_id[p].tables > 0]
    return owners[0] if len(owners) == 1 else None
