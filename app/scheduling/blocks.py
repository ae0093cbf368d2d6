"""Re-slot a fixed selection of meetings so that nobody has a break: one block of meetings per party.

With the selection fixed (served and weight stay as they are), "no break" means that a party holding one
meeting at a time has its k meetings in k consecutive slots of one day. Choosing that window first (one
literal per possible start) and then which meeting takes which slot of it is a far smaller search than the
time-indexed model with break literals, and meets the trivial lower bound of 0 when it succeeds. Parties
with several tables (booths) are only held to their table count here; the result is recounted, and
returned only when it really has no break.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .check import total_breaks
from .problem import Problem


def block_model(
    problem: Problem, selection: set[str], hint: dict[str, str] | None = None
) -> tuple[cp_model.CpModel, dict[tuple[str, str], cp_model.IntVar]] | None:
    """The model "exactly `selection`, one block per party", with its meeting variables (None if hopeless)."""
    cp = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    for rid in selection:
        req = problem.request_by_id[rid]
        allowed = problem.allowed_slots(req)
        if not allowed or any(before not in selection for before in req.after):
            return None
        for sid in allowed:
            x[rid, sid] = cp.new_bool_var("")
        cp.add_exactly_one(x[rid, sid] for sid in allowed)
    _tables(cp, problem, x)
    _precedences(cp, problem, x, selection)
    busy: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (rid, sid), var in x.items():
        for pid in problem.request_by_id[rid].parties:
            busy[pid][sid].append(var)
    meetings: dict[str, int] = defaultdict(int)
    for rid in selection:
        for pid in problem.request_by_id[rid].parties:
            meetings[pid] += 1
    for pid, slots in busy.items():
        _one_block(cp, problem, pid, slots, meetings[pid])
    if hint:
        for (rid, sid), var in x.items():
            cp.add_hint(var, hint.get(rid) == sid)
    return cp, x


def break_free(
    problem: Problem, solver: cp_model.CpSolver, x: dict[tuple[str, str], cp_model.IntVar]
) -> dict[str, str] | None:
    """The solved block model's slots, if nobody (booths included) has a break in them."""
    slot_of = {rid: sid for (rid, sid), var in x.items() if solver.boolean_value(var)}
    # a booth left idle between two of its meetings makes it not break-free after all
    return slot_of if total_breaks(problem, slot_of) == 0 else None


def _tables(cp: cp_model.CpModel, problem: Problem, x: dict) -> None:
    """Host tables (or the shared pool) and each party's parallel meetings per slot."""
    by_host: dict[tuple[str | None, str], list] = defaultdict(list)
    by_party: dict[tuple[str, str], list] = defaultdict(list)
    for (rid, sid), var in x.items():
        req = problem.request_by_id[rid]
        by_host[problem.host_of(req), sid].append(var)
        for pid in req.parties:
            by_party[pid, sid].append(var)
    for (host, _sid), vs in by_host.items():
        if len(vs) > problem.table_count(host):
            cp.add(sum(vs) <= problem.table_count(host))
    for (pid, _sid), vs in by_party.items():
        capacity = problem.party_by_id[pid].capacity
        if len(vs) > capacity:
            cp.add(sum(vs) <= capacity)


def _precedences(cp: cp_model.CpModel, problem: Problem, x: dict, selection: set[str]) -> None:
    rank = problem.slot_rank
    for rid in selection:
        req = problem.request_by_id[rid]
        for before in req.after:
            t_before = sum(rank[s] * v for (r, s), v in x.items() if r == before)
            t_after = sum(rank[s] * v for (r, s), v in x.items() if r == rid)
            cp.add(t_before + 1 <= t_after)


def _one_block(cp: cp_model.CpModel, problem: Problem, pid: str, busy: dict[str, list], k: int) -> None:
    """A one-at-a-time party's k meetings fill exactly the k slots of one window on one day.

    `busy` maps each slot the party could meet in to the variables of its meetings there.
    """
    if problem.party_by_id[pid].capacity != 1 or k < 2:
        return
    starts: dict[tuple[int, int], cp_model.IntVar] = {}
    for d, day in enumerate(problem.days):
        for t in range(len(day) - k + 1):
            if all(sid in busy for sid in day[t:t + k]):
                starts[d, t] = cp.new_bool_var("")
    cp.add_exactly_one(starts.values())  # no window at all: infeasible, as it should be
    for d, day in enumerate(problem.days):
        if not any(dd == d for dd, _ in starts) and not any(sid in busy for sid in day):
            continue
        for i, sid in enumerate(day):
            cover = [starts[d, t] for t in range(max(0, i - k + 1), i + 1) if (d, t) in starts]
            if sid in busy:
                cp.add(sum(busy[sid]) == sum(cover))
            else:
                for v in cover:
                    cp.add(v == 0)
