"""Upper bounds on served and weight from a relaxation that forgets which slot a meeting takes.

Each party may hold at most capacity x (slots it can use) meetings and each host (or the shared pool) at
most tables x (slots its requests can use). For a fair between booths and cooperatives this relaxation
is a transportation problem whose optimum a real timetable nearly always reaches, so it proves the
timetable's served and weight optimal as soon as the time-indexed search meets it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection

from ortools.sat.python import cp_model

from .flow import bipartite, flow_selection
from .problem import Problem


class Relaxation:
    """The slot-free selection model; `maximise` answers one level given floors on earlier levels."""

    def __init__(self, problem: Problem, prefer: Collection[str] = ()) -> None:
        """The relaxation of `problem`; its selections hold as many requests of `prefer` as an optimum allows."""
        self.problem = problem
        self.prefer = set(prefer)
        # after `maximise`: the most requests of `prefer` any selection reaching its bound can hold (None: unproven)
        self.most_kept: int | None = None
        self.flow = bipartite(problem)
        self.cp = cp_model.CpModel()
        self.pick: dict[str, cp_model.IntVar] = {}
        for req in problem.requests:
            if not problem.could_hold(req):
                continue
            v = self.cp.new_bool_var(req.id)
            self.pick[req.id] = v
            if req.required:
                self.cp.add(v == 1)
        by_party: dict[str, list[str]] = defaultdict(list)
        by_host: dict[str | None, list[str]] = defaultdict(list)
        for rid in self.pick:
            req = problem.request_by_id[rid]
            for pid in req.parties:
                by_party[pid].append(rid)
            by_host[problem.host_of(req)].append(rid)
        for pid, rids in by_party.items():
            self.cp.add(sum(self.pick[r] for r in rids) <= problem.party_by_id[pid].capacity * _usable(problem, rids))
        for host, rids in by_host.items():
            self.cp.add(sum(self.pick[r] for r in rids) <= problem.table_count(host) * _usable(problem, rids))
        served = []
        for rids in by_party.values():
            v = self.cp.new_bool_var("")
            self.cp.add(v <= sum(self.pick[r] for r in rids))
            served.append(v)
        self.levels = {
            "served": sum(served),
            "weight": sum(problem.request_by_id[r].weight * v for r, v in self.pick.items()),
        }

    def maximise(
        self, level: str, floors: dict[str, int], time_limit: float, workers: int = 1
    ) -> tuple[int | None, set[str]]:
        """The proven upper bound of `level` given `floors`, or None when none was proven in time (or the
        relaxation is infeasible, which the full search will then find).

        Also returns the requests of the best selection found, a good set to place first.
        """
        self.most_kept = None
        if self.flow:
            bound, chosen = self._by_flow(level, floors)
            self.most_kept = len(chosen & self.prefer)  # the flow's optimum is exact: level, then kept
            return bound, chosen
        model = self.cp.clone()
        for name, value in floors.items():
            if name in self.levels:
                model.add(self.levels[name] >= value)
        model.maximize(self.levels[level])
        started = time.monotonic()
        solver, status = _solve(model, time_limit, workers)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, set()  # UNKNOWN carries no valid bound
        chosen = {r for r, v in self.pick.items() if solver.boolean_value(v)}
        bound = int(solver.best_objective_bound + 1e-6)
        if self.prefer:
            chosen = self._keeping(model, level, int(round(solver.objective_value)), chosen,
                                   time_limit - (time.monotonic() - started), workers,
                                   proven=status == cp_model.OPTIMAL)
        return bound, chosen

    def _keeping(
        self, model: cp_model.CpModel, level: str, value: int, chosen: set[str], time_limit: float, workers: int,
        proven: bool,
    ) -> set[str]:
        """A selection as good as `chosen` on `level` holding as many preferred requests as found in time;
        `proven` says `value` is the optimum, so a proven most can be recorded in `most_kept`."""
        model.add(self.levels[level] >= value)
        model.maximize(sum(v for r, v in self.pick.items() if r in self.prefer))
        for r, v in self.pick.items():
            model.add_hint(v, r in chosen)
        solver, status = _solve(model, time_limit, workers)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return chosen
        if proven and status == cp_model.OPTIMAL:
            self.most_kept = int(round(solver.objective_value))
        return {r for r, v in self.pick.items() if solver.boolean_value(v)}

    def _by_flow(self, level: str, floors: dict[str, int]) -> tuple[int | None, set[str]]:
        """The exact relaxation optimum of a host-guest event, from one min-cost flow."""
        served, weight, chosen = flow_selection(self.problem, with_served=True, prefer=self.prefer)
        if level == "served":
            return served, chosen
        if floors.get("served", 0) >= served:
            return weight, chosen  # served at its maximum: this is the most weight that allows
        _, weight, chosen = flow_selection(self.problem, with_served=False, prefer=self.prefer)
        return weight, chosen  # fewer served: weight alone bounds it


def _solve(model: cp_model.CpModel, time_limit: float, workers: int) -> tuple[cp_model.CpSolver, int]:
    """One CP-SAT solve of a relaxation model within `time_limit` seconds."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = workers
    return solver, solver.solve(model)


def _usable(problem: Problem, rids: list[str]) -> int:
    return len({s for r in rids for s in problem.allowed_slots(problem.request_by_id[r])})


def relaxed_bounds(problem: Problem, time_limit: float = 2.0, workers: int = 1) -> dict[str, int]:
    """Upper bounds on served and, separately, weight: those proven within the time limit."""
    relaxation = Relaxation(problem)
    out = {}
    for level in ("served", "weight"):
        bound, _ = relaxation.maximise(level, {}, time_limit, workers)
        if bound is not None:
            out[level] = bound
    return out
