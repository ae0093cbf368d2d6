"""The slot-free relaxation as a min-cost flow, for events where every meeting is a guest at a host's table.

When each request joins a guest (a cooperative) to a host whose own tables it uses (a booth), and nobody
is a guest in one request and a host in another, the relaxation of bounds.py is a transportation problem:
source -> host (its table capacity) -> request (one unit, paying its weight) -> guest (its free slots) ->
sink. "Served" rewards a party's first meeting: its first unit of flow takes an arc paying a bonus larger
than all weights together, so one min-cost flow gives the lexicographic optimum of served, then weight,
and the flow is integral, so it is the relaxation's exact optimum in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from ortools.graph.python import min_cost_flow

from .problem import Problem


def bipartite(problem: Problem) -> bool:
    """True when the relaxation is a flow: host-guest requests only, nothing required."""
    hosts, guests = set(), set()
    for req in problem.requests:
        if req.required:
            return False
        host = problem.host_of(req)
        if host is None:
            return False
        guest = req.parties[1] if req.parties[0] == host else req.parties[0]
        hosts.add(host)
        guests.add(guest)
    return not hosts & guests


def flow_selection(
    problem: Problem, with_served: bool, hosts_served: bool = True, prefer: Collection[str] = ()
) -> tuple[int, int, set[str]]:
    """(served, weight, chosen requests) of the relaxation's optimum: served first when `with_served`,
    else weight alone; `hosts_served=False` counts only the guests as served. Among the optima, the one
    with the most requests of `prefer` (a published timetable's meetings). Only call when
    `bipartite(problem)`."""
    usable = [r for r in problem.requests if problem.could_hold(r)]
    slots_of: dict[str, set[str]] = defaultdict(set)
    host_slots: dict[str, set[str]] = defaultdict(set)
    for req in usable:
        allowed = problem.allowed_slots(req)
        for pid in req.parties:
            slots_of[pid].update(allowed)
        host_slots[problem.host_of(req)].update(allowed)
    hosts = sorted({problem.host_of(r) for r in usable})
    guests = sorted({p for r in usable for p in r.parties} - set(hosts))
    node = {pid: i + 2 for i, pid in enumerate(hosts + guests)}
    source, sink = 0, 1
    preferred = {r.id for r in usable} & set(prefer)
    scale = len(preferred) + 1  # weight counts this many times more than keeping a preferred request
    bonus = scale * sum(r.weight for r in usable) + len(preferred) + 1 if with_served else 0
    tails, heads, caps, costs = [], [], [], []

    def arc(tail: int, head: int, cap: int, cost: int) -> int:
        tails.append(tail)
        heads.append(head)
        caps.append(cap)
        costs.append(cost)
        return len(tails) - 1

    first_arcs = []
    for host in hosts:
        party = problem.party_by_id[host]
        cap = min(party.capacity * len(slots_of[host]), problem.table_count(host) * len(host_slots[host]))
        first_arcs.append(arc(source, node[host], min(cap, 1), -bonus if hosts_served else 0))
        arc(source, node[host], max(0, cap - 1), 0)
    request_arcs = {}
    for req in usable:
        host = problem.host_of(req)
        guest = req.parties[1] if req.parties[0] == host else req.parties[0]
        request_arcs[req.id] = arc(node[host], node[guest], 1, -(scale * req.weight + (req.id in preferred)))
    for guest in guests:
        cap = problem.party_by_id[guest].capacity * len(slots_of[guest])
        first_arcs.append(arc(node[guest], sink, min(cap, 1), -bonus))
        arc(node[guest], sink, max(0, cap - 1), 0)
    total = len(usable)
    arc(source, sink, total, 0)  # flow that no meeting uses
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = [0] * (len(node) + 2)
    supplies[source], supplies[sink] = total, -total
    solver.set_nodes_supplies(list(range(len(supplies))), supplies)
    if solver.solve() != solver.OPTIMAL:
        raise RuntimeError("the selection flow has no optimum")  # cannot happen: the bypass arc is free
    chosen = {rid for rid, a in request_arcs.items() if solver.flow(a) > 0}
    served = len({p for rid in chosen for p in problem.request_by_id[rid].parties})
    weight = sum(problem.request_by_id[rid].weight for rid in chosen)
    return served, weight, chosen
