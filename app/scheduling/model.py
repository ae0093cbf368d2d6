"""The CP-SAT model: one `add_<rule>` function per rule of the spec.

Time-indexed: x[r, s] says request r is held in slot s. Tables are not modelled: once the number of
meetings per host (or pool) and slot respects its table count, numbering tables is a post-processing
step (see tables.py), which removes all table symmetry from the search.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .problem import Problem

Lit = cp_model.IntVar


@dataclass
class Model:
    """A CP-SAT model of a problem, with the handles the solver and the explainer need."""

    problem: Problem
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[str, str], Lit] = field(default_factory=dict)
    slots_of: dict[str, list[str]] = field(default_factory=dict)
    scheduled: dict[str, Lit] = field(default_factory=dict)
    busy: dict[tuple[str, str], Lit] = field(default_factory=dict)
    breaks: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    served: dict[str, Lit] = field(default_factory=dict)
    levels: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    # assumption literal -> (kind, subject ids) so an infeasible core can be put into words
    assumptions: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    explain: bool = False

    def guard(self, kind: str, subject: tuple[str, ...]) -> Lit | None:
        """A fresh assumption literal for one hard rule instance when explaining, else None."""
        if not self.explain:
            return None
        lit = self.cp.new_bool_var(f"assume_{kind}_{'_'.join(subject)}")
        self.assumptions[lit.index] = (kind, subject)
        self.cp.add_assumption(lit)
        return lit


def _enforce(ct: cp_model.Constraint, lit: Lit | None) -> None:
    if lit is not None:
        ct.only_enforce_if(lit)


def add_meeting_variables(m: Model, requests: list[str] | None = None) -> None:
    """One boolean per request and slot it may use; `scheduled[r]` is their sum (at most one)."""
    p = m.problem
    for req in p.requests if requests is None else [p.request_by_id[r] for r in requests]:
        if m.explain:  # keep every slot so unavailability and sessions can be blamed
            allowed = [s.id for s in p.ordered_slots]
        else:
            allowed = list(p.allowed_slots(req))
        m.slots_of[req.id] = allowed
        for sid in allowed:
            m.x[req.id, sid] = m.cp.new_bool_var(f"x_{req.id}_{sid}")
        sched = m.cp.new_bool_var(f"sched_{req.id}")
        m.cp.add(sum(m.x[req.id, s] for s in allowed) == sched)
        m.scheduled[req.id] = sched


def add_slot_restrictions(m: Model) -> None:
    """In explain mode only: unavailability, sessions and fixed slots as guarded constraints."""
    if not m.explain:
        return
    p = m.problem
    for party in p.parties:
        if not party.unavailable:
            continue
        lit = m.guard("unavailable", (party.id,))
        bad = [m.x[r.id, s] for r in p.requests_of(party.id) for s in party.unavailable]
        if bad:
            _enforce(m.cp.add(sum(bad) == 0), lit)
    for req in p.requests:
        if req.session is not None:
            lit = m.guard("session", (req.id,))
            bad = [m.x[req.id, s.id] for s in p.slots if s.session != req.session]
            if bad:
                _enforce(m.cp.add(sum(bad) == 0), lit)
        if req.fixed_slot is not None:
            lit = m.guard("fixed", (req.id,))
            _enforce(m.cp.add(m.x[req.id, req.fixed_slot] == m.scheduled[req.id]), lit)


def add_required(m: Model) -> None:
    """Every required request is scheduled."""
    for req in m.problem.requests:
        if req.required and req.id in m.scheduled:
            lit = m.guard("required", (req.id,))
            _enforce(m.cp.add(m.scheduled[req.id] == 1), lit)


def add_party_capacity(m: Model) -> None:
    """A party holds at most `parallel` meetings in a slot."""
    by_party_slot: dict[tuple[str, str], list[Lit]] = defaultdict(list)
    for (rid, sid), var in m.x.items():
        for pid in m.problem.request_by_id[rid].parties:
            by_party_slot[pid, sid].append(var)
    for (pid, _sid), xs in by_party_slot.items():
        cap = m.problem.party_by_id[pid].capacity
        if len(xs) > cap:
            lit = m.guard("parallel", (pid,)) if cap > 1 else None
            _enforce(m.cp.add(sum(xs) <= cap), lit)


def add_table_capacity(m: Model) -> None:
    """A host holds at most `tables` meetings per slot; so does the shared pool."""
    p = m.problem
    by_host_slot: dict[tuple[str | None, str], list[Lit]] = defaultdict(list)
    for (rid, sid), var in m.x.items():
        by_host_slot[p.host_of(p.request_by_id[rid]), sid].append(var)
    for (host, _sid), xs in by_host_slot.items():
        cap = p.table_count(host)
        if len(xs) > cap:
            lit = m.guard("tables", (host or "",))
            _enforce(m.cp.add(sum(xs) <= cap), lit)


def add_precedences(m: Model) -> None:
    """A request with `after` is held strictly later than each listed request, which must be held."""
    p = m.problem
    rank = p.slot_rank
    for req in p.requests:
        if req.id not in m.scheduled:
            continue
        for before in req.after:
            lit = m.guard("after", (before, req.id))
            sched = m.scheduled[req.id]
            enf = [sched] if lit is None else [sched, lit]
            m.cp.add(m.scheduled[before] == 1).only_enforce_if(enf)
            t_before = sum(rank[s] * m.x[before, s] for s in m.slots_of[before])
            t_after = sum(rank[s] * m.x[req.id, s] for s in m.slots_of[req.id])
            m.cp.add(t_before + 1 <= t_after).only_enforce_if(enf)


def add_busy(m: Model) -> None:
    """busy[p, s]: party p has a meeting in slot s (the sum itself when p holds one at a time)."""
    by_party_slot: dict[tuple[str, str], list[Lit]] = defaultdict(list)
    for (rid, sid), var in m.x.items():
        for pid in m.problem.request_by_id[rid].parties:
            by_party_slot[pid, sid].append(var)
    for (pid, sid), xs in by_party_slot.items():
        if len(xs) == 1:
            m.busy[pid, sid] = xs[0]
            continue
        b = m.cp.new_bool_var(f"busy_{pid}_{sid}")
        if m.problem.party_by_id[pid].capacity == 1 and not m.explain:
            m.cp.add(sum(xs) == b)
        else:
            m.cp.add_max_equality(b, xs)
        m.busy[pid, sid] = b
    add_busy_count(m)


def add_busy_count(m: Model) -> None:
    """Implied: a party that holds one meeting at a time is busy in as many slots as it has meetings."""
    busy_of: dict[str, list[Lit]] = defaultdict(list)
    for (pid, _sid), v in m.busy.items():
        busy_of[pid].append(v)
    for party in m.problem.parties:
        if party.capacity != 1 or m.explain:
            continue
        reqs = [r.id for r in m.problem.requests_of(party.id) if r.id in m.scheduled]
        busy = busy_of[party.id]
        if len(reqs) > 1 and busy:
            m.cp.add(sum(busy) == sum(m.scheduled[r] for r in reqs))


def busy_limits(problem: Problem, slots_of: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Per slot, how many parties that meet one at a time the tables can seat at once.

    Each meeting at a host seats at most k such parties (k = 2 for the shared pool of two guests, 1 for
    a booth's own table), so in a slot their busy count is at most the sum over hosts of k x tables.
    """
    single = {party.id for party in problem.parties if party.capacity == 1}
    seats: dict[str | None, int] = {}
    hosts: dict[str, set[str | None]] = defaultdict(set)
    for rid, allowed in slots_of.items():
        req = problem.request_by_id[rid]
        host = problem.host_of(req)
        seats[host] = max(seats.get(host, 0), sum(1 for pid in req.parties if pid in single))
        for sid in allowed:
            hosts[sid].add(host)
    return {sid: sum(seats[h] * problem.table_count(h) for h in hs) for sid, hs in hosts.items()}


def add_busy_per_slot(m: Model) -> None:
    """Implied: the busy literals of one-at-a-time parties in a slot are at most `busy_limits`.

    A cardinality constraint over the busy literals themselves lets the search see a full slot before
    it has placed the meetings (the paper's implied constraint on busy participants per slot).
    """
    if m.explain:
        return
    single = [party.id for party in m.problem.parties if party.capacity == 1]
    for sid, limit in busy_limits(m.problem, m.slots_of).items():
        busy = [m.busy[pid, sid] for pid in single if (pid, sid) in m.busy]
        if len(busy) > limit:
            m.cp.add(sum(busy) <= limit)


def add_breaks(m: Model) -> None:
    """breaks[p]: per day, busy blocks minus one, with implied constraints on idle holes."""
    p = m.problem
    for party in p.parties:
        total: list[cp_model.LinearExprT] = []
        for day in p.days:
            bs = [m.busy.get((party.id, s)) for s in day]
            idx = [i for i, b in enumerate(bs) if b is not None]
            if len(idx) < 2:
                continue
            # trim to the slots the party can be busy in; slots outside are idle for sure
            window = bs[idx[0] : idx[-1] + 1]
            total.append(_day_breaks(m, party.id, window))
        if total:
            m.breaks[party.id] = sum(total)


def _day_breaks(m: Model, pid: str, window: list[Lit | None]) -> cp_model.LinearExprT:
    """Breaks of one party on one day: gap[i] = busy[i-1] and idle[i] and busy somewhere after i.

    Each break starts exactly once, so the count is a plain sum of literals: core-based (MaxSAT-style)
    search can assume every gap literal false ("no breaks"), which propagates as "once a block of
    meetings ends, the party stays idle for the rest of the day".
    """
    cp = m.cp
    k = len(window)
    zero = cp.new_constant(0)
    b = [w if w is not None else zero for w in window]
    later: list[Lit] = [zero] * (k + 1)  # later[i]: busy in some slot >= i
    for i in range(k - 1, -1, -1):
        if window[i] is None:
            later[i] = later[i + 1]
        elif later[i + 1] is zero:
            later[i] = b[i]
        else:
            v = cp.new_bool_var(f"later_{pid}_{i}")
            cp.add_bool_or([~v, b[i], later[i + 1]])
            cp.add_implication(b[i], v)
            cp.add_implication(later[i + 1], v)
            later[i] = v
    gaps = []
    for i in range(1, k - 1):
        if window[i - 1] is None or later[i + 1] is zero:
            continue
        g = cp.new_bool_var(f"gap_{pid}_{i}")
        cp.add_bool_and([b[i - 1], ~b[i], later[i + 1]]).only_enforce_if(g)
        cp.add_bool_or([~b[i - 1], b[i], ~later[i + 1], g])
        gaps.append(g)
    return sum(gaps)


def add_break_spread(m: Model) -> None:
    """No two parties' break counts differ by more than rules.max_break_spread."""
    spread = m.problem.rules.max_break_spread
    if spread is None or not m.breaks:
        return
    lit = m.guard("spread", ())
    n_slots = len(m.problem.slots)
    if len(m.breaks) < len(m.problem.parties) or m.problem.never_breaks:
        low: cp_model.LinearExprT = 0  # some party can never have a break
    else:
        low = m.cp.new_int_var(0, n_slots, "min_breaks")
        for expr in m.breaks.values():
            _enforce(m.cp.add(low <= expr), lit)
    for expr in m.breaks.values():
        _enforce(m.cp.add(expr <= low + spread), lit)


def add_served(m: Model) -> None:
    """served[p]: party p (with at least one request) gets at least one meeting."""
    for party in m.problem.parties:
        reqs = [r.id for r in m.problem.requests_of(party.id) if r.id in m.scheduled]
        if not reqs:
            continue
        if any(m.problem.request_by_id[r].required for r in reqs) and not m.explain:
            m.served[party.id] = m.scheduled[reqs[0]] if len(reqs) == 1 else _or(m, party.id, reqs)
            continue
        m.served[party.id] = _or(m, party.id, reqs)


def _or(m: Model, pid: str, reqs: list[str]) -> Lit:
    v = m.cp.new_bool_var(f"served_{pid}")
    for r in reqs:
        m.cp.add_implication(m.scheduled[r], v)
    m.cp.add(v <= sum(m.scheduled[r] for r in reqs))  # linear, so the LP sees it (pigeonhole bounds)
    return v


def add_levels(m: Model, previous: dict[str, str] | None = None) -> None:
    """The lexicographic levels: served, weight, breaks and (with a previous timetable) moved."""
    p = m.problem
    m.levels["served"] = sum(m.served.values())
    m.levels["weight"] = sum(p.request_by_id[r].weight * v for r, v in m.scheduled.items())
    m.levels["breaks"] = sum(m.breaks.values())
    if previous is not None:
        kept = [m.x[r, s] for r, s in previous.items() if (r, s) in m.x]
        lost = sum(1 for r, s in previous.items() if (r, s) not in m.x)
        m.levels["moved"] = len(kept) + lost - sum(kept)


def build_model(
    problem: Problem, *, previous: dict[str, str] | None = None, explain: bool = False, with_breaks: bool = True
) -> Model:
    """Build the full model, rule by rule."""
    m = Model(problem=problem, explain=explain)
    add_meeting_variables(m)
    add_slot_restrictions(m)
    add_required(m)
    add_party_capacity(m)
    add_table_capacity(m)
    add_precedences(m)
    if with_breaks:
        add_busy(m)
        add_busy_per_slot(m)
        add_breaks(m)
        add_break_spread(m)
    add_served(m)
    add_levels(m, previous)
    return m
