"""Place a request that fits nowhere by moving a few placed meetings aside (an augmenting path).

This is how bipartite edge colouring repairs a partial colouring (Kempe chains): the cooperative is busy
in slot s, so its meeting there moves to another slot, whose occupant moves on, and so on, up to a depth.
Only meetings without pinned slots or precedences move; every step re-checks the hard rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .problem import Problem, Request

if TYPE_CHECKING:
    from .greedy import _State


def _movable(p: Problem) -> set[str]:
    """Requests free to move: neither pinned nor linked by a precedence (computed once per problem)."""
    cached = p.__dict__.get("_movable_requests")
    if cached is None:
        linked = {a for r in p.requests for a in r.after} | {r.id for r in p.requests if r.after}
        cached = {r.id for r in p.requests if r.fixed_slot is None and r.id not in linked}
        p.__dict__["_movable_requests"] = cached
    return cached


def place_by_moving(st: _State, req: Request, allowed: dict[str, tuple[str, ...]], depth: int) -> bool:
    """Place `req`, moving at most `depth` meetings in a chain; the state is unchanged on failure."""
    p = st.p
    movable = _movable(p)
    log: list[tuple[str, Request, str]] = []
    seen: set[tuple[str, str]] = set()

    def put(r: Request, sid: str) -> None:
        st.place(r, sid)
        log.append(("put", r, sid))

    def take(r: Request) -> str:
        sid = st.unplace(r)
        log.append(("take", r, sid))
        return sid

    def rollback(mark: int) -> None:
        while len(log) > mark:
            kind, r, sid = log.pop()
            if kind == "put":
                st.unplace(r)
            else:
                st.place(r, sid)

    def blockers(r: Request, sid: str) -> list[list[Request]]:
        """Per full resource (a party, the host's tables) at `sid`, the movable meetings holding it."""
        here = [p.request_by_id[o] for o, s in st.slot_of.items() if s == sid]
        out = []
        for pid in r.parties:
            if st.party_load[pid, sid] >= p.party_by_id[pid].capacity:
                out.append([o for o in here if pid in o.parties and o.id in movable])
        host = p.host_of(r)
        if st.host_load[host, sid] >= p.table_count(host):
            out.append([o for o in here if p.host_of(o) == host and o.id in movable])
        return out

    def place(r: Request, left: int) -> bool:
        for sid in allowed[r.id]:
            if (r.id, sid) not in seen and st.fits(r, sid):
                put(r, sid)
                return True
        if left == 0:
            return False
        for sid in allowed[r.id]:
            if (r.id, sid) in seen:
                continue
            seen.add((r.id, sid))
            mark = len(log)
            for holders in blockers(r, sid):
                if st.fits(r, sid):
                    break
                if not any(free(o, sid, left - 1) for o in holders):
                    break
            if st.fits(r, sid):
                put(r, sid)
                return True
            rollback(mark)
        return False

    def free(o: Request, sid: str, left: int) -> bool:
        mark = len(log)
        take(o)
        seen.add((o.id, sid))  # it may not come back to the slot it leaves
        if place(o, left):
            return True
        rollback(mark)
        return False

    return place(req, depth)
