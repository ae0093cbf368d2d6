"""Why each unscheduled request was left out, in words a person can act on (and in structure)."""

from __future__ import annotations

from collections import Counter

from .problem import Problem, Request
from .timetable import Unscheduled


def explain_unscheduled(problem: Problem, slot_of: dict[str, str], proven: bool) -> list[Unscheduled]:
    """One reason per request that is not in `slot_of`, judged against the final timetable."""
    party_load: Counter[tuple[str, str]] = Counter()
    host_load: Counter[tuple[str | None, str]] = Counter()
    for rid, sid in slot_of.items():
        req = problem.request_by_id[rid]
        for pid in req.parties:
            party_load[pid, sid] += 1
        host_load[problem.host_of(req), sid] += 1
    out = []
    for req in problem.requests:
        if req.id not in slot_of:
            out.append(_reason(problem, req, slot_of, party_load, host_load, proven))
    return out


def _reason(
    problem: Problem,
    req: Request,
    slot_of: dict[str, str],
    party_load: Counter[tuple[str, str]],
    host_load: Counter[tuple[str | None, str]],
    proven: bool,
) -> Unscheduled:
    a, b = req.parties
    na, nb = problem.party_by_id[a].name, problem.party_by_id[b].name
    allowed = problem.allowed_slots(req)
    if not allowed:
        if req.fixed_slot is not None:
            return Unscheduled(req.id, f"{na} or {nb} cannot meet in its pinned slot {req.fixed_slot}",
                               "pinned_unavailable", (a, b), (req.fixed_slot,))
        where = f" in session {req.session!r}" if req.session else ""
        return Unscheduled(req.id, f"{na} and {nb} share no free slot{where}", "no_common_slot", (a, b))
    missing = [x for x in req.after if x not in slot_of]
    if missing:
        never = "; the precedences leave it no possible slot (a cycle, or none late enough)" \
            if req.id in problem.never_held else ""
        return Unscheduled(req.id, f"it must come after {', '.join(missing)}, which is not scheduled{never}",
                           "predecessor_unscheduled", (a, b))
    host = problem.host_of(req)
    owner = "the shared pool" if host is None else problem.party_by_id[host].name
    full_a = [s for s in allowed if party_load[a, s] >= problem.party_by_id[a].capacity]
    full_b = [s for s in allowed if party_load[b, s] >= problem.party_by_id[b].capacity]
    full_h = [s for s in allowed if host_load[host, s] >= problem.table_count(host)]
    blocked = set(full_a) | set(full_b) | set(full_h)
    rank = problem.slot_rank
    late = [s for s in allowed if any(rank[slot_of[x]] >= rank[s] for x in req.after)]
    blocked |= set(late)
    if len(blocked) < len(allowed):
        free = tuple(s for s in allowed if s not in blocked)
        if problem.rules.max_break_spread is not None:
            spread = problem.rules.max_break_spread
            msg = f"adding it in a free slot would break the fairness rule (max_break_spread {spread})"
            return Unscheduled(req.id, msg, "fairness", (a, b), free)
        if req.weight == 0:
            return Unscheduled(req.id, "it has weight 0, so it adds nothing", "zero_weight", (a, b), free)
        state = "" if proven else " (the solver stopped before placing it)"
        return Unscheduled(req.id, f"{na} and {nb} are both free in {', '.join(free)}{state}",
                           "not_placed", (a, b), free)
    for who, full, name in ((host, full_h, owner), (a, full_a, na), (b, full_b, nb)):
        if len(full) == len(allowed):
            if who == host:
                msg = f"{name} is full in every slot both parties are free"
                return Unscheduled(req.id, msg, "host_full", (who,) if who else (), tuple(allowed))
            msg = f"{name} already has meetings in every slot both parties are free"
            return Unscheduled(req.id, msg, "party_full", (who,), tuple(allowed))
    parts = []
    if full_a:
        parts.append(f"{na} is busy in {', '.join(full_a)}")
    if full_b:
        parts.append(f"{nb} is busy in {', '.join(full_b)}")
    if full_h:
        parts.append(f"{owner} is full in {', '.join(full_h)}")
    if late:
        parts.append(f"{', '.join(late)} come too early for its predecessors")
    msg = "no slot left where both are free and a table is free: " + "; ".join(parts)
    return Unscheduled(req.id, msg, "no_room", (a, b), tuple(allowed))
