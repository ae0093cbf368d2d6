"""A greedy timetable: the fallback when the solver finds nothing in time, and a warm start."""

from __future__ import annotations

from collections import Counter

from .augment import place_by_moving
from .problem import Problem, Request


class _State:
    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.slot_of: dict[str, str] = {}
        self.party_load: Counter[tuple[str, str]] = Counter()
        self.host_load: Counter[tuple[str | None, str]] = Counter()
        self.busy: dict[str, set[int]] = {}
        self.pos = {s.id: i for i, s in enumerate(problem.ordered_slots)}

    def fits(self, req: Request, sid: str) -> bool:
        p = self.p
        for pid in req.parties:
            if self.party_load[pid, sid] >= p.party_by_id[pid].capacity:
                return False
        host = p.host_of(req)
        if self.host_load[host, sid] >= p.table_count(host):
            return False
        rank = p.slot_rank
        for before in req.after:
            if before not in self.slot_of or rank[self.slot_of[before]] >= rank[sid]:
                return False
        return True

    def place(self, req: Request, sid: str) -> None:
        self.slot_of[req.id] = sid
        for pid in req.parties:
            self.party_load[pid, sid] += 1
            self.busy.setdefault(pid, set()).add(self.pos[sid])
        self.host_load[self.p.host_of(req), sid] += 1

    def unplace(self, req: Request) -> str:
        """Take a placed request out again; returns the slot it had."""
        sid = self.slot_of.pop(req.id)
        for pid in req.parties:
            self.party_load[pid, sid] -= 1
            if not any(self.slot_of.get(r.id) == sid for r in self.p.requests_of(pid)):
                self.busy[pid].discard(self.pos[sid])
        self.host_load[self.p.host_of(req), sid] -= 1
        return sid

    def best_slot(self, req: Request, allowed: tuple[str, ...]) -> str | None:
        """The free slot next to the parties' other meetings (fewest new breaks), else the earliest."""
        best, best_key = None, None
        for sid in allowed:
            if not self.fits(req, sid):
                continue
            i = self.pos[sid]
            lonely = 0
            for pid in req.parties:
                mine = self.busy.get(pid)
                if mine and i - 1 not in mine and i + 1 not in mine:
                    lonely += 1
            key = (lonely, i)
            if best_key is None or key < best_key:
                best, best_key = sid, key
        return best


def _topological(problem: Problem, requests: list[Request]) -> list[Request]:
    """Requests ordered so that each comes after those in its `after` list (cycles left in place)."""
    wanted = {r.id for r in requests}
    done: set[str] = set()
    out: list[Request] = []
    visiting: set[str] = set()

    def visit(r: Request) -> None:
        if r.id in done or r.id in visiting:
            return
        visiting.add(r.id)
        for a in r.after:
            if a in wanted:
                visit(problem.request_by_id[a])
        visiting.discard(r.id)
        done.add(r.id)
        out.append(r)

    for r in requests:
        visit(r)
    return out


def greedy_slots(
    problem: Problem, hint: dict[str, str] | None = None, first: set[str] | None = None, moves: int = 0
) -> dict[str, str]:
    """Slots for as many requests as a greedy pass can place: pinned, required, `first`, then round robin."""
    st = _State(problem)
    allowed = {r.id: problem.allowed_slots(r) for r in problem.requests}
    hint = hint or {}

    def try_place(r: Request) -> bool:
        if r.id in st.slot_of:
            return True
        if r.id in hint and hint[r.id] in allowed[r.id] and st.fits(r, hint[r.id]):
            st.place(r, hint[r.id])
            return True
        sid = st.best_slot(r, allowed[r.id])
        if sid is None:
            return False
        st.place(r, sid)
        return True

    firsts = sorted(problem.requests, key=lambda r: (r.fixed_slot is None, not r.required, len(allowed[r.id])))
    for r in _topological(problem, [r for r in firsts if r.fixed_slot or r.required]):
        try_place(r)
    if first:
        # e.g. the relaxation's selection: the tightest parties' requests first, fewest options first
        load: Counter[str] = Counter(pid for rid in first for pid in problem.request_by_id[rid].parties)
        chosen = [problem.request_by_id[r] for r in first if r in allowed]
        chosen.sort(key=lambda r: (len(allowed[r.id]) - max(load[p] for p in r.parties), r.id))
        for r in _topological(problem, chosen):
            if not try_place(r) and moves:
                place_by_moving(st, r, allowed, moves)
    # round robin: each party in turn gets its best remaining request (fewest options first)
    queues: dict[str, list[Request]] = {}
    for party in problem.parties:
        reqs = [r for r in problem.requests_of(party.id) if r.id not in st.slot_of]
        reqs.sort(key=lambda r: (-r.weight, len(allowed[r.id]), r.id))
        if reqs:
            queues[party.id] = reqs
    order = sorted(queues, key=lambda pid: (problem.party_by_id[pid].tables > 0, len(queues[pid])))
    progress = True
    while progress:
        progress = False
        for pid in order:
            queue = queues[pid]
            while queue:
                r = queue.pop(0)
                if r.id in st.slot_of:
                    continue
                if all(a in st.slot_of for a in r.after) and try_place(r):
                    progress = True
                    break
    return st.slot_of
