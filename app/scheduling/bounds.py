"""Cheap upper bounds on served and weight from a relaxation that forgets which slot a meeting takes."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from .problem import Problem


def relaxed_bounds(problem: Problem, time_limit: float = 2.0, workers: int = 1) -> dict[str, int]:
    """Upper bounds on served and weight: each party and host may hold capacity x free slots meetings."""
    cp = cp_model.CpModel()
    sched = {}
    for req in problem.requests:
        allowed = problem.allowed_slots(req)
        if not allowed:
            continue
        v = cp.new_bool_var(req.id)
        sched[req.id] = v
        if req.required:
            cp.add(v == 1)
    by_party: dict[str, list[str]] = defaultdict(list)
    by_host: dict[str | None, list[str]] = defaultdict(list)
    for rid in sched:
        req = problem.request_by_id[rid]
        for pid in req.parties:
            by_party[pid].append(rid)
        by_host[problem.host_of(req)].append(rid)
    for pid, rids in by_party.items():
        free = {s for r in rids for s in problem.allowed_slots(problem.request_by_id[r])}
        cp.add(sum(sched[r] for r in rids) <= problem.party_by_id[pid].capacity * len(free))
    for host, rids in by_host.items():
        free = {s for r in rids for s in problem.allowed_slots(problem.request_by_id[r])}
        cp.add(sum(sched[r] for r in rids) <= problem.table_count(host) * len(free))
    served = []
    for pid, rids in by_party.items():
        v = cp.new_bool_var(f"served_{pid}")
        cp.add(v <= sum(sched[r] for r in rids))
        served.append(v)
    out = {}
    for name, expr in (("served", sum(served)), ("weight", sum(problem.request_by_id[r].weight * v
                                                                   for r, v in sched.items()))):
        cp.maximize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.num_workers = workers
        status = solver.solve(cp)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out[name] = int(solver.best_objective_bound + 1e-6)
        elif status == cp_model.INFEASIBLE:
            return {}
    return out
