"""The breaks level as MaxSAT, solved core-guided by RC2 (python-sat), for days where every meeting is held.

Bofill et al. (JAIR 74, 2022) prove the B2B benchmark's break optima fastest with core-guided MaxSAT.
Here each request takes exactly one of its slots (x), a party is busy in a slot when one of its meetings
is there (used), and a break literal marks a slot where a new run of meetings starts after an earlier one
on the same day; each break literal's negation is a soft clause of weight 1. Parallel meetings, tables,
precedences and the fairness rule are hard cardinality clauses. RC2 finds cores (each proving one more
break unavoidable) until the relaxed formula is satisfiable: that timetable is optimal.
Optionally (`busy_per_slot`) the paper's implied constraint is added: in each slot, at most as many
one-at-a-time parties are busy as the tables seat. It lets RC2 prove some optima many times faster
(tic-13crafc: 4 breaks in about 3 s, where it stalled at 3 without) and slows a few others down.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable

from pysat.card import CardEnc, EncType
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF, IDPool

from .model import busy_limits
from .problem import Problem


class _Stopped(Exception):
    """The caller stopped the search or its time ran out."""


class _StoppableRC2(RC2):
    """RC2 whose SAT calls end, for good, once `stop_now` is set (Glucose may notice the interrupt late)."""

    stop_now = False

    def _call_oracle(self, assumptions=(), expect_interrupt=False):  # noqa: D102 - RC2's hook
        if self.stop_now:
            raise _Stopped
        answer = self.oracle.solve_limited(assumptions=list(assumptions), expect_interrupt=True)
        if self.stop_now or answer is None:
            raise _Stopped
        return answer


class BreaksMaxSat:
    """The MaxSAT formula of one problem whose requests are all held; `solve` returns the fewest breaks."""

    def __init__(self, problem: Problem, fewest_cap: int = 0, busy_per_slot: bool = False) -> None:
        """Encode `problem`; under a fairness rule, only timetables where some party has at most
        `fewest_cap` breaks (see `_fairness`); with `busy_per_slot`, the implied busy count per slot too."""
        self.problem = problem
        self.busy_per_slot = busy_per_slot
        self.pool = IDPool()
        self.hard: list[list[int]] = []
        self.x: dict[tuple[str, str], int] = {}
        self.used: dict[tuple[str, str], int] = {}
        self.breaks: dict[str, list[int]] = defaultdict(list)
        self.lower_bound = 0
        self.infeasible = False  # set by `solve` when the hard rules alone cannot be met
        self.proven_below: float = float("inf")  # an optimum below this is the optimum of the whole problem
        self._placement()
        self._busy()
        self._breaks()
        self._fairness(fewest_cap)
        self.formula = WCNF()  # filled directly: WCNF.append costs more than the whole encoding
        self.formula.hard = self.hard
        self.formula.soft = [[-lit] for lits in self.breaks.values() for lit in lits]
        self.formula.wght = [1] * len(self.formula.soft)
        self.formula.topw = len(self.formula.soft) + 1
        self.formula.nv = self.pool.top

    def _clause(self, clause: list[int]) -> None:
        self.hard.append(clause)

    def _card(self, lits: list[int], bound: int, kind: str, unless: list[int] | None = None) -> None:
        """Add sum(lits) `kind` (atmost, atleast, equals) `bound`, switched off when a literal of `unless` holds."""
        if kind == "atmost" and bound >= len(lits) or kind == "atleast" and bound <= 0:
            return  # always true
        if kind != "atmost" and bound > len(lits):  # never true: the hard part cannot be met
            never = self.pool.id(("never", len(self.hard)))
            self.hard.extend([[never, *(unless or [])], [-never, *(unless or [])]])
            return
        encoding = EncType.seqcounter if bound > 1 or kind == "atleast" else EncType.ladder
        enc = getattr(CardEnc, kind)(lits=lits, bound=bound, vpool=self.pool, encoding=encoding)
        if unless:
            self.hard.extend(clause + unless for clause in enc.clauses)
        else:
            self.hard.extend(enc.clauses)

    def _placement(self) -> None:
        """Each request in exactly one allowed slot; tables per host and slot; precedences."""
        p = self.problem
        self.slots_of = slots_of = {r.id: p.allowed_slots(r) for r in p.requests}
        by_host_slot: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        for req in p.requests:
            host = p.host_of(req)
            for sid in slots_of[req.id]:
                self.x[req.id, sid] = var = self.pool.id(("x", req.id, sid))
                by_host_slot[host, sid].append(var)
            self._card([self.x[req.id, s] for s in slots_of[req.id]], 1, "equals")
        for (host, _sid), lits in by_host_slot.items():
            if len(lits) > p.table_count(host):
                self._card(lits, p.table_count(host), "atmost")
        rank = p.slot_rank
        for req in p.requests:
            for before in req.after:
                for sid in slots_of[req.id]:
                    earlier = [self.x[before, s] for s in slots_of[before] if rank[s] < rank[sid]]
                    self._clause([-self.x[req.id, sid], *earlier])

    def _busy(self) -> None:
        """used[p, s] is true exactly when p meets someone in s; at most `capacity` meetings at once."""
        p = self.problem
        by_party_slot: dict[tuple[str, str], list[int]] = defaultdict(list)
        for (rid, sid), var in self.x.items():
            for pid in p.request_by_id[rid].parties:
                by_party_slot[pid, sid].append(var)
        for (pid, sid), lits in by_party_slot.items():
            capacity = p.party_by_id[pid].capacity
            if len(lits) > capacity:
                self._card(lits, capacity, "atmost")
            self.used[pid, sid] = busy = self.pool.id(("used", pid, sid))
            self._clause([-busy, *lits])
            for lit in lits:
                self._clause([-lit, busy])
        for party in p.parties:  # implied: one meeting at a time fills as many slots as meetings
            requests = p.requests_of(party.id)
            if party.capacity != 1 or len(requests) < 2:
                continue
            busy = [self.used[party.id, s.id] for s in p.ordered_slots if (party.id, s.id) in self.used]
            self._card(busy, len(requests), "equals")
        if not self.busy_per_slot:
            return
        # implied: the tables seat only so many of those parties at once (the busy count per slot)
        single = [party.id for party in p.parties if party.capacity == 1]
        for sid, limit in busy_limits(p, self.slots_of).items():
            busy = [self.used[pid, sid] for pid in single if (pid, sid) in self.used]
            if len(busy) > limit:
                self._card(busy, limit, "atmost")

    def _breaks(self) -> None:
        """A break literal per party and slot: a run of meetings starts there after an earlier one that day."""
        for party in self.problem.parties:
            for day in self.problem.days:
                earlier: int | None = None  # some meeting of the party before this slot, that day
                for i in range(1, len(day)):
                    previous = self.used.get((party.id, day[i - 1]))
                    parts = [lit for lit in (earlier, previous) if lit is not None]
                    if not parts:
                        continue
                    now = self.pool.id(("earlier", party.id, day[i]))
                    self._clause([-now, *parts])
                    for lit in parts:
                        self._clause([-lit, now])
                    earlier = now
                    busy = self.used.get((party.id, day[i]))
                    if busy is None:
                        continue
                    brk = self.pool.id(("break", party.id, day[i]))
                    self._clause([brk, -earlier, -busy] + ([previous] if previous is not None else []))
                    self._clause([-brk, earlier])
                    self._clause([-brk, busy])
                    if previous is not None:
                        self._clause([-brk, -previous])
                    self.breaks[party.id].append(brk)

    def _fairness(self, fewest_cap: int) -> None:
        """rules.max_break_spread: with low[k] meaning "every party has at least k breaks", every party has
        at most spread + k breaks unless low[k + 1].

        Only k up to `fewest_cap` is encoded: timetables where every party has more breaks are left out.
        Each of those has at least (fewest_cap + 1) x parties breaks, so an optimum below that is the
        optimum of the whole problem (`proven_below`); a small cap keeps the encoding small.
        """
        spread = self.problem.rules.max_break_spread
        if spread is None:
            return
        parties = self.problem.parties
        if any(not self.breaks.get(party.id) for party in parties):  # someone always has 0 breaks
            for lits in self.breaks.values():
                if len(lits) > spread:
                    self._card(lits, spread, "atmost")
            return
        top = max(len(lits) for lits in self.breaks.values())
        if fewest_cap < top:
            top = fewest_cap
            self.proven_below = (fewest_cap + 1) * len(parties)
        low = [self.pool.id(("low", k)) for k in range(top + 2)]
        self._clause([low[0]])
        self._clause([-low[top + 1]])
        for k in range(top + 1):
            self._clause([-low[k + 1], low[k]])
        for lits in self.breaks.values():
            for k in range(1, top + 1):
                if k > len(lits):
                    self._clause([-low[k]])
                else:
                    self._card(lits, k, "atleast", unless=[-low[k]])
            for k in range(top + 1):
                if spread + k < len(lits):
                    self._card(lits, spread + k, "atmost", unless=[low[k + 1]])

    def solve(
        self, deadline: float, stopped: Callable[[], bool] = lambda: False,
        phases: dict[str, str] | None = None, on_bound: Callable[[int], None] | None = None,
    ) -> tuple[dict[str, str], int] | None:
        """The optimal assignment of requests to slots and its breaks, or None when stopped, out of time,
        or when the optimum of the encoded timetables is not `proven_below` (`lower_bound` then holds the
        breaks proven unavoidable so far).
        `phases` is a timetable to start the SAT search near; `on_bound` hears each rise of the lower bound.

        RC2 runs in a thread of its own: Glucose may take seconds to notice an interrupt, so at the
        deadline this returns at once and leaves that thread to end by itself.
        """
        if stopped() or time.monotonic() >= deadline:
            return None
        rc2 = _StoppableRC2(self.formula, solver="g3", adapt=True)
        if phases:
            rc2.oracle.set_phases([v if phases.get(rid) == sid else -v for (rid, sid), v in self.x.items()])
        outcome: dict[str, list[int] | None] = {}
        alive = threading.Lock()  # held while the SAT solver is freed, so no interrupt reaches a freed one

        def compute() -> None:
            try:
                outcome["model"] = rc2.compute(expect_interrupt=True)
            except _Stopped:
                outcome["model"] = None
            finally:
                with alive:
                    rc2.delete()

        def rise() -> None:  # each core found so far proves one more break unavoidable
            bound = min(max(self.lower_bound, rc2.cost), self.proven_below)
            if bound > self.lower_bound:
                self.lower_bound = bound
                if on_bound is not None:
                    on_bound(int(bound))

        worker = threading.Thread(target=compute, daemon=True)
        worker.start()
        while worker.is_alive() and time.monotonic() < deadline and not stopped():
            worker.join(0.02)
            rise()
        rise()
        if worker.is_alive():
            rc2.stop_now = True
            with alive:
                if rc2.oracle is not None:
                    rc2.oracle.interrupt()
            return None
        model = outcome.get("model")
        if model is None:
            # without every timetable encoded, no timetable among them is no proof
            self.infeasible = not rc2.stop_now and "model" in outcome and self.proven_below == float("inf")
            return None
        if rc2.cost >= self.proven_below:
            return None
        true = {lit for lit in model if lit > 0}
        return {rid: sid for (rid, sid), var in self.x.items() if var in true}, rc2.cost
