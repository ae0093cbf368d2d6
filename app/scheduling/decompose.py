"""Split a large event into independent days and solve each on its own.

A day is independent when every request can only be held on that day (its parties' availability,
session or pinned slot says so) and no `after` or fairness rule links days. The days share booths,
but a booth's tables and breaks are counted per slot and per day, so the only link left is `served`
for a party with requests on several days; the merged bounds account for it (see `merge`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from .bounds import Relaxation
from .flow import bipartite, flow_selection
from .problem import Party, Problem
from .timetable import Timetable

Solver = Callable[[Problem, Any], Timetable]


def split_by_day(problem: Problem) -> list[Problem] | None:
    """One sub-problem per day, or None when some request could be held on more than one day."""
    if problem.rules.max_break_spread is not None or len(problem.days) < 2:
        return None
    day_of = problem.slot_day
    groups: dict[Any, list[str]] = {}
    for req in problem.requests:
        days = {day_of[s] for s in problem.allowed_slots(req)}
        if len(days) > 1:
            return None
        groups.setdefault(next(iter(days)) if days else None, []).append(req.id)
    by_req_day = {rid: d for d, rids in groups.items() for rid in rids}
    for req in problem.requests:
        if any(by_req_day[a] != by_req_day[req.id] for a in req.after):
            return None
    parts = []
    days = sorted(d for d in groups if d is not None)
    for i, day in enumerate(days):
        rids = groups[day] + (groups.get(None, []) if i == 0 else [])
        slots = tuple(s for s in problem.slots if day_of[s.id] == day)
        slot_ids = {s.id for s in slots}
        reqs = tuple(problem.request_by_id[r] for r in rids)
        involved = {p for r in reqs for p in r.parties}
        parties = tuple(
            Party(p.id, p.name, p.tables, p.parallel, tuple(s for s in p.unavailable if s in slot_ids))
            for p in problem.parties if p.id in involved
        )
        parts.append(dataclasses.replace(problem, name=f"{problem.name} ({day})", slots=slots,
                                         parties=parties, requests=reqs))
    return parts


def solve_by_day(problem: Problem, parts: list[Problem], options: Any, solver: Solver) -> Timetable:
    """Solve each day with a share of the time proportional to its requests, then merge."""
    started = time.monotonic()
    results = []
    total = sum(len(p.requests) for p in parts) or 1
    left_requests = total
    for part in parts:
        remaining = options.time_limit - (time.monotonic() - started)
        share = max(0.5, remaining * len(part.requests) / left_requests)
        left_requests -= len(part.requests)
        previous = None
        if options.previous is not None:
            ids = {r.id for r in part.requests}
            previous = dataclasses.replace(
                options.previous, meetings=tuple(m for m in options.previous.meetings if m.request in ids)
            )
        sub = dataclasses.replace(options, time_limit=share, previous=previous, decompose=False)
        results.append(solver(part, sub))
    return merge(problem, parts, results, time.monotonic() - started, options.workers)


def merge(problem: Problem, parts: list[Problem], results: list[Timetable], seconds: float,
          workers: int) -> Timetable:
    """One timetable from the days' timetables, with bounds that hold for the whole event."""
    if any(r.status == "infeasible" for r in results):
        conflicts = tuple(c for r in results for c in r.conflicts)
        return Timetable("infeasible", conflicts=conflicts, solve_seconds=seconds)
    if any(r.status == "unknown" for r in results):
        return Timetable("unknown", solve_seconds=seconds)
    from .check import check  # the independent recount of the merged timetable

    meetings = tuple(m for r in results for m in r.meetings)
    unscheduled = tuple(u for r in results for u in r.unscheduled)
    draft = Timetable("feasible", meetings, unscheduled)
    report = check(problem, draft)
    if not report.ok:
        raise RuntimeError("merged timetable is invalid: " + "; ".join(report.violations[:5]))
    objective = dict(report.objective)
    # served and weight: the slot-free relaxation of the whole event bounds both (weight given the served
    # actually reached, so it holds whatever the served optimum is)
    relaxation = Relaxation(problem)
    possible = [r for r in problem.requests if problem.could_hold(r)]
    bound = {"served": len({p for r in possible for p in r.parties}), "weight": sum(r.weight for r in possible)}
    for level in ("served", "weight"):
        floors = {"served": objective["served"]} if level == "weight" else {}
        relaxed, _ = relaxation.maximise(level, floors, 5.0, workers)
        if relaxed is not None:
            bound[level] = min(bound[level], relaxed)
    # the event relaxation lets a booth's tables move between days; day by day they cannot, so the days'
    # own weight bounds add up to a tighter bound
    bound["weight"] = min(bound["weight"], _days_weight_bound(problem, parts, objective, bound, workers))
    slot_of = {m.request: m.slot for m in meetings}
    shared = _served_in_every_part(parts, slot_of)
    top = all(objective[k] == bound[k] for k in ("served", "weight")) and shared
    bound["breaks"] = sum(r.bound.get("breaks", 0) for r in results) if top else 0
    status = "optimal" if top and all(r.status == "optimal" for r in results) else "feasible"
    stability = None
    if all(r.stability is not None for r in results):
        stability = {k: sum(r.stability[k] for r in results if r.stability) for k in ("kept", "moved", "dropped")}
        objective["moved"] = stability["moved"] + stability["dropped"]
        bound["moved"] = sum(r.bound.get("moved", 0) for r in results) if status == "optimal" else 0
    return Timetable(status, meetings, unscheduled, objective, bound, (), seconds, stability)


def _days_weight_bound(problem: Problem, parts: list[Problem], objective: dict[str, int],
                       bound: dict[str, int], workers: int) -> int:
    """The sum of each day's weight bound: weight alone, or, when every party is served (so every guest,
    who comes on one day only, is served on that day), the most weight that serves all of the day's guests."""
    everyone = len({p for r in problem.requests if problem.could_hold(r) for p in r.parties})
    hosts = {problem.host_of(r) for r in problem.requests}
    days_of: dict[str, int] = {}
    for part in parts:
        for party in part.parties:
            days_of[party.id] = days_of.get(party.id, 0) + 1
    one_day_guests = all(n == 1 for pid, n in days_of.items() if pid not in hosts)
    if (objective["served"] == bound["served"] == everyone and one_day_guests
            and all(bipartite(part) for part in parts)):
        return sum(flow_selection(part, with_served=True, hosts_served=False)[1] for part in parts)
    per_day = [Relaxation(part).maximise("weight", {}, 5.0, workers)[0] for part in parts]
    return sum(per_day) if all(b is not None for b in per_day) else bound["weight"]


def _served_in_every_part(parts: list[Problem], slot_of: dict[str, str]) -> bool:
    """True when each party with requests on several days meets someone on each of those days."""
    seen: dict[str, int] = {}
    for part in parts:
        for p in part.parties:
            seen[p.id] = seen.get(p.id, 0) + 1
    for part in parts:
        for p in part.parties:
            if seen[p.id] > 1 and not any(r.id in slot_of for r in part.requests_of(p.id)):
                return False
    return True
