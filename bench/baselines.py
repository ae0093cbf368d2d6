"""The two baselines: a plain time-indexed CP-SAT model and a greedy round robin."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from app.scheduling.problem import Problem


def plain_model(problem: Problem, time_limit: float, workers: int = 2, seed: int = 0) -> tuple[str, dict[str, str]]:
    """The textbook model: x[r, s], capacities, breaks as starts of idle runs, one weighted objective."""
    cp = cp_model.CpModel()
    x = {}
    for r in problem.requests:
        for s in problem.allowed_slots(r):
            x[r.id, s] = cp.new_bool_var("")
    sched = {}
    for r in problem.requests:
        v = cp.new_bool_var("")
        cp.add(sum(x[r.id, s] for s in problem.allowed_slots(r)) == v)
        if r.required:
            cp.add(v == 1)
        sched[r.id] = v
    load: dict[tuple[str | None, str], list] = {}
    busy_terms: dict[tuple[str, str], list] = {}
    for (rid, sid), v in x.items():
        req = problem.request_by_id[rid]
        load.setdefault((problem.host_of(req), sid), []).append(v)
        for pid in req.parties:
            busy_terms.setdefault((pid, sid), []).append(v)
    for (host, _sid), vs in load.items():
        cp.add(sum(vs) <= problem.table_count(host))
    busy = {}
    for (pid, sid), vs in busy_terms.items():
        cp.add(sum(vs) <= problem.party_by_id[pid].capacity)
        b = cp.new_bool_var("")
        cp.add_max_equality(b, vs)
        busy[pid, sid] = b
    rank = problem.slot_rank
    for r in problem.requests:
        for a in r.after:
            cp.add(sched[a] == 1).only_enforce_if(sched[r.id])
            cp.add(sum(rank[s] * x[a, s] for s in problem.allowed_slots(problem.request_by_id[a])) + 1
                   <= sum(rank[s] * x[r.id, s] for s in problem.allowed_slots(r))).only_enforce_if(sched[r.id])
    breaks = {}
    for party in problem.parties:
        terms = []
        for day in problem.days:
            bs = [busy.get((party.id, s), 0) for s in day]
            for i in range(1, len(bs) - 1):
                # a break starts at i: busy before, idle now, busy at some later slot
                later = [b for b in bs[i + 1:] if not isinstance(b, int)]
                if isinstance(bs[i - 1], int) or not later:
                    continue
                any_later = cp.new_bool_var("")
                cp.add_max_equality(any_later, later)
                st = cp.new_bool_var("")
                idle = 1 - bs[i] if not isinstance(bs[i], int) else 1
                cp.add(st >= bs[i - 1] + idle + any_later - 2)
                cp.add(st <= bs[i - 1])
                cp.add(st <= idle)
                cp.add(st <= any_later)
                terms.append(st)
        if terms:
            breaks[party.id] = sum(terms)
    spread = problem.rules.max_break_spread
    if spread is not None and breaks:
        # exact break counts are needed for fairness: make the starts exact from above as well
        lo = cp.new_int_var(0, len(problem.slots), "")
        for p in problem.parties:
            cp.add(lo <= breaks.get(p.id, 0))
            cp.add(breaks.get(p.id, 0) <= lo + spread)
    served = []
    for party in problem.parties:
        reqs = [r.id for r in problem.requests_of(party.id)]
        if reqs:
            v = cp.new_bool_var("")
            cp.add_max_equality(v, [sched[r] for r in reqs])
            served.append(v)
    total_breaks = sum(breaks.values())
    weight = sum(r.weight * sched[r.id] for r in problem.requests)
    big_b = len(problem.slots) * len(problem.parties) + 1
    big_w = (sum(r.weight for r in problem.requests) + 1) * big_b
    cp.maximize(big_w * sum(served) + big_b * weight - total_breaks)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(cp)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status).lower(), {}
    slot_of = {r: s for (r, s), v in x.items() if solver.boolean_value(v)}
    return ("optimal" if status == cp_model.OPTIMAL else "feasible"), slot_of


def round_robin(problem: Problem) -> dict[str, str]:
    """Each guest in turn gets its best remaining request at the first slot free for both."""
    hosts = {p.id for p in problem.parties if p.tables > 0}
    guests = [p.id for p in problem.parties if p.id not in hosts] or [p.id for p in problem.parties]
    queues = {}
    for g in guests:
        reqs = sorted(problem.requests_of(g), key=lambda r: (-r.weight, r.id))
        queues[g] = reqs
    party_load: Counter[tuple[str, str]] = Counter()
    host_load: Counter[tuple[str | None, str]] = Counter()
    slot_of: dict[str, str] = {}
    progress = True
    while progress:
        progress = False
        for g in guests:
            while queues[g]:
                r = queues[g].pop(0)
                if r.id in slot_of:
                    continue
                host = problem.host_of(r)
                for s in problem.allowed_slots(r):
                    if all(party_load[p, s] < problem.party_by_id[p].capacity for p in r.parties) and (
                        host_load[host, s] < problem.table_count(host)
                    ):
                        slot_of[r.id] = s
                        for p in r.parties:
                            party_load[p, s] += 1
                        host_load[host, s] += 1
                        progress = True
                        break
                if r.id in slot_of:
                    break
    return slot_of
