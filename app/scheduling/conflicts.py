"""Why a problem is infeasible: cheap counting checks first, then an unsatisfiable core in words."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .model import build_model
from .problem import Problem, Request
from .timetable import Conflict


def _name(problem: Problem, pid: str) -> str:
    return problem.party_by_id[pid].name


def _pair(problem: Problem, req: Request) -> str:
    a, b = req.parties
    return f"{_name(problem, a)} and {_name(problem, b)}"


def _must_hold(problem: Problem) -> set[str]:
    """Requests that must be scheduled: the required ones and everything they must come after."""
    out: set[str] = set()
    stack = [r.id for r in problem.requests if r.required]
    while stack:
        rid = stack.pop()
        if rid in out:
            continue
        out.add(rid)
        stack.extend(problem.request_by_id[rid].after)
    return out


def counting_conflicts(problem: Problem) -> list[Conflict]:
    """Conflicts found by counting alone (no search): each names the parties, slots and requests."""
    must = _must_hold(problem)
    found: list[Conflict] = []
    found += _no_free_slot(problem, must)
    found += _pinned_overload(problem)
    found += _party_overload(problem, must)
    found += _host_overload(problem, must)
    found += _precedence_cycles(problem, must)
    if not any(c.kind == "precedence_cycle" for c in found):
        found += _precedence_windows(problem, must)
    return found


def _no_free_slot(problem: Problem, must: set[str]) -> list[Conflict]:
    out = []
    for rid in sorted(must):
        req = problem.request_by_id[rid]
        if problem.allowed_slots(req):
            continue
        a, b = req.parties
        if req.fixed_slot is not None:
            who = [p for p in req.parties if req.fixed_slot in problem.party_by_id[p].unavailable]
            msg = (
                f"Request {rid} is pinned to slot {req.fixed_slot}, but "
                + " and ".join(_name(problem, p) for p in who)
                + " cannot meet then"
                if who
                else f"Request {rid} is pinned to slot {req.fixed_slot}, outside its session {req.session}"
            )
            out.append(Conflict("pinned_unavailable", msg, tuple(who), (req.fixed_slot,), (rid,)))
        elif req.session is not None:
            msg = f"{_pair(problem, req)} share no free slot in session {req.session!r} (request {rid})"
            out.append(Conflict("no_common_slot", msg, (a, b), (), (rid,)))
        else:
            msg = f"{_pair(problem, req)} share no free slot (request {rid})"
            out.append(Conflict("no_common_slot", msg, (a, b), (), (rid,)))
    return out


def _pinned_overload(problem: Problem) -> list[Conflict]:
    party_pins: dict[tuple[str, str], list[str]] = defaultdict(list)
    host_pins: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    for req in problem.requests:
        if req.fixed_slot is None or not req.required:
            continue
        for pid in req.parties:
            party_pins[pid, req.fixed_slot].append(req.id)
        host_pins[problem.host_of(req), req.fixed_slot].append(req.id)
    out = []
    for (pid, sid), rids in sorted(party_pins.items()):
        cap = problem.party_by_id[pid].capacity
        if len(rids) > cap:
            msg = (
                f"{_name(problem, pid)} has {len(rids)} meetings pinned to slot {sid} "
                f"but can hold {cap} at a time"
            )
            out.append(Conflict("pinned_overload", msg, (pid,), (sid,), tuple(rids)))
    for (host, sid), rids in sorted(host_pins.items(), key=lambda kv: str(kv[0])):
        tables = problem.table_count(host)
        if len(rids) > tables:
            owner = "the shared pool" if host is None else _name(problem, host)
            msg = f"{len(rids)} meetings are pinned to slot {sid} but {owner} has {tables} tables"
            out.append(Conflict("pinned_overload", msg, (host,) if host else (), (sid,), tuple(rids)))
    return out


def _party_overload(problem: Problem, must: set[str]) -> list[Conflict]:
    """A party with more required meetings than it can hold in its free slots (per session too)."""
    out = []
    for party in problem.parties:
        reqs = [r for r in problem.requests_of(party.id) if r.id in must and problem.allowed_slots(r)]
        if len(reqs) < 2:
            continue
        groups: dict[str | None, list[Request]] = defaultdict(list)
        for r in reqs:
            groups[None].append(r)
            if r.session is not None:
                groups[r.session].append(r)
        for session, group in groups.items():
            free = sorted({s for r in group for s in problem.allowed_slots(r)}, key=problem.slot_rank.get)
            room = len(free) * party.capacity
            if len(group) > room:
                where = "free slots" if session is None else f"free slots in session {session!r}"
                msg = (
                    f"{party.name} has {len(group)} required meetings but only {len(free)} {where}"
                    + (f" for {party.capacity} at a time" if party.capacity > 1 else "")
                )
                out.append(
                    Conflict("party_overload", msg, (party.id,), tuple(free), tuple(r.id for r in group))
                )
                break
    return out


def _host_overload(problem: Problem, must: set[str]) -> list[Conflict]:
    groups: dict[str | None, list[Request]] = defaultdict(list)
    for rid in must:
        req = problem.request_by_id[rid]
        if problem.allowed_slots(req):  # requests without any slot are reported on their own
            groups[problem.host_of(req)].append(req)
    out = []
    for host, reqs in sorted(groups.items(), key=lambda kv: str(kv[0])):
        free = {s for r in reqs for s in problem.allowed_slots(r)}
        room = len(free) * problem.table_count(host)
        if len(reqs) > room:
            owner = "the shared pool" if host is None else _name(problem, host)
            msg = f"{len(reqs)} required meetings need {owner}, which has room for {room} in its slots"
            out.append(
                Conflict("tables_overload", msg, (host,) if host else (), tuple(sorted(free)),
                         tuple(sorted(r.id for r in reqs)))
            )
    return out


def _precedence_cycles(problem: Problem, must: set[str]) -> list[Conflict]:
    colour: dict[str, int] = {}
    out: list[Conflict] = []
    for start in sorted(must):
        if start in colour:
            continue
        stack = [(start, iter(problem.request_by_id[start].after))]
        path = [start]
        colour[start] = 1
        while stack:
            rid, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[rid] = 2
                stack.pop()
                path.pop()
            elif colour.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                parties = sorted({p for c in cycle for p in problem.request_by_id[c].parties})
                msg = "Requests " + " -> ".join(reversed(cycle + [nxt])) + " must each come after the other"
                out.append(Conflict("precedence_cycle", msg, tuple(parties), (), tuple(cycle)))
            elif nxt not in colour:
                colour[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(problem.request_by_id[nxt].after)))
    return out


def _precedence_windows(problem: Problem, must: set[str]) -> list[Conflict]:
    """A chain of `after` requests longer than the slots it can use."""
    rank = problem.slot_rank
    earliest: dict[str, int] = {}
    chain: dict[str, list[str]] = {}

    def visit(rid: str) -> int:
        if rid in earliest:
            return earliest[rid]
        req = problem.request_by_id[rid]
        ranks = sorted(rank[s] for s in problem.allowed_slots(req))
        best, via = -1, [rid]
        for a in req.after:
            if visit(a) > best:
                best, via = earliest[a], chain[a] + [rid]
        fit = [x for x in ranks if x > best]
        earliest[rid] = fit[0] if fit else 10**9
        chain[rid] = via
        return earliest[rid]

    out = []
    for rid in sorted(must):
        if visit(rid) >= 10**9 and problem.allowed_slots(problem.request_by_id[rid]):
            seq = chain[rid]
            parties = sorted({p for c in seq for p in problem.request_by_id[c].parties})
            msg = (
                f"Requests {' -> '.join(seq)} must be held one after another, "
                f"but there are not enough free slots for request {rid} at the end of that chain"
            )
            out.append(Conflict("precedence_chain", msg, tuple(parties), (), tuple(seq)))
            break
    return out


def core_conflicts(
    problem: Problem, time_limit: float = 5.0, workers: int = 1, seed: int | None = None
) -> list[Conflict]:
    """Ask CP-SAT for a small set of rules that cannot hold together, and put it into words (with `seed`,
    the same set every time for a fixed worker count)."""
    m = build_model(problem, explain=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    if seed is not None:
        solver.parameters.random_seed = seed
        solver.parameters.interleave_search = workers > 1  # which worker finds the core no longer varies
    status = solver.solve(m.cp)
    if status != cp_model.INFEASIBLE:
        return []
    core = [m.assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in m.assumptions]
    return [_core_to_conflict(problem, core)]


def _core_to_conflict(problem: Problem, core: list[tuple[str, tuple[str, ...]]]) -> Conflict:
    parts: list[str] = []
    parties: set[str] = set()
    requests: set[str] = set()
    slots: set[str] = set()
    for kind, subject in sorted(core):
        if kind == "required":
            req = problem.request_by_id[subject[0]]
            parties.update(req.parties)
            requests.add(req.id)
            parts.append(f"required meeting {req.id} ({_pair(problem, req)})")
        elif kind == "fixed":
            req = problem.request_by_id[subject[0]]
            requests.add(req.id)
            slots.add(str(req.fixed_slot))
            parts.append(f"meeting {req.id} pinned to slot {req.fixed_slot}")
        elif kind == "session":
            req = problem.request_by_id[subject[0]]
            requests.add(req.id)
            parts.append(f"meeting {req.id} in session {req.session!r}")
        elif kind == "after":
            requests.update(subject)
            parts.append(f"{subject[1]} after {subject[0]}")
        elif kind == "unavailable":
            party = problem.party_by_id[subject[0]]
            parties.add(party.id)
            slots.update(party.unavailable)
            parts.append(f"{party.name} unavailable in {', '.join(party.unavailable)}")
        elif kind == "parallel":
            parties.add(subject[0])
            parts.append(f"{_name(problem, subject[0])} holding {problem.party_by_id[subject[0]].capacity} at a time")
        elif kind == "tables":
            host = subject[0] or None
            if host:
                parties.add(host)
            owner = "the shared pool" if host is None else _name(problem, host)
            parts.append(f"{problem.table_count(host)} tables of {owner}")
        elif kind == "spread":
            parts.append(f"the fairness rule (break counts differ by at most {problem.rules.max_break_spread})")
    msg = "These rules cannot all hold together: " + "; ".join(parts) if parts else (
        "The hard rules cannot all hold together"
    )
    kind = "fairness" if any(k == "spread" for k, _ in core) else "combination"
    return Conflict(kind, msg, tuple(sorted(parties)), tuple(sorted(slots)), tuple(sorted(requests)))


def no_break_conflict(problem: Problem, fewest: int) -> Conflict:
    """The fairness rule allows nobody a break, yet every timetable has at least `fewest` breaks."""
    never = sorted(problem.never_breaks, key=lambda pid: (not problem.requests_of(pid), pid))
    names = ", ".join(_name(problem, pid) for pid in never[:3])
    if len(never) > 3:
        names += f" and {len(never) - 3} more"
    msg = (
        f"The fairness rule (break counts differ by at most 0) allows nobody a break, because {names} can never "
        f"have one (fewer than two meetings, or no room between them); but every timetable that holds all "
        f"required meetings gives the parties at least {fewest} break{'s' if fewest != 1 else ''} in all. "
        f"Allow a larger spread of breaks, or fewer required meetings."
    )
    return Conflict("fairness", msg, tuple(never))


def unexplained_conflict(problem: Problem) -> Conflict:
    """The solver proved the rules clash but found no smaller set of them in the time given."""
    rules = "the required meetings, tables, sessions, pinned slots, unavailability and precedences"
    if problem.rules.max_break_spread is not None:
        rules += f", and the fairness rule (break counts differ by at most {problem.rules.max_break_spread})"
    msg = (
        f"No timetable keeps all the hard rules together ({rules}); no smaller set of clashing rules was found "
        f"in the time given: allow more time to find one."
    )
    return Conflict("combination", msg)
