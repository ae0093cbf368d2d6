"""Run searches side by side in threads (CP-SAT with one worker each, or another solver) and stop the others
once one settles it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass
class Job:
    """One search: a model, a configured solver and an optional solution callback; `status` once done.

    `settles` says whether the ended search answers the whole question (default: proven optimal or
    infeasible); `then` is the search the same thread runs next when it does not.
    """

    model: cp_model.CpModel
    solver: cp_model.CpSolver
    callback: cp_model.CpSolverSolutionCallback | None = None
    settles: Callable[[Job], bool] | None = None
    then: Job | OtherJob | None = None
    limit: float | None = None  # seconds of its own, at most (else until the deadline)
    status: int = cp_model.UNKNOWN
    ran: bool = False

    def settled(self) -> bool:
        """True when this ended search answers the whole question."""
        if self.settles is not None:
            return self.settles(self)
        return self.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)

    def run(self, seconds: float) -> None:
        """Search for at most `seconds`."""
        self.solver.parameters.max_time_in_seconds = seconds
        self.ran = True
        self.status = self.solver.solve(self.model, self.callback)

    def stop(self) -> None:
        """Ask the running search to end now."""
        self.solver.stop_search()


@dataclass
class OtherJob:
    """A search by another solver: `search(deadline, stopped)` returns a cp_model status (OPTIMAL when it
    settles the question, INFEASIBLE, or UNKNOWN) and keeps its result itself."""

    search: Callable[[float, Callable[[], bool]], int]
    label: str = ""  # what it searches, for people reading a trace or a test
    then: Job | OtherJob | None = None
    limit: float | None = None
    status: int = cp_model.UNKNOWN
    ran: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)

    def settled(self) -> bool:
        """True when this ended search answers the whole question."""
        return self.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)

    def run(self, seconds: float) -> None:
        """Search for at most `seconds`."""
        self.ran = True
        self.status = self.search(time.monotonic() + seconds, self._stop.is_set)

    def stop(self) -> None:
        """Ask the running search to end now."""
        self._stop.set()


def chain(job: Job | OtherJob | None) -> Iterator[Job | OtherJob]:
    """The job and the jobs it chains with `then`, in the order one thread runs them."""
    while job is not None:
        yield job
        job = job.then


def race(jobs: list[Job | OtherJob], stopped: Callable[[], bool], deadline: float, leader_only: bool = False) -> None:
    """Solve each job (and the jobs it chains with `then`) in its own thread until `deadline` (monotonic);
    the first one that settles the question stops all. With `leader_only`, only the first thread's jobs
    or an infeasibility proof may (so which timetable comes back does not depend on which thread is
    faster: a seeded solve stays reproducible).
    """
    decided = threading.Event()
    current = list(jobs)

    def work(i: int) -> None:
        for job in chain(jobs[i]):
            if decided.is_set():
                return
            current[i] = job
            left = deadline - time.monotonic()
            job.run(max(0.01, min(left, job.limit or left)))
            if job.settled() and (i == 0 or not leader_only or job.status == cp_model.INFEASIBLE):
                decided.set()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        decided.wait(0.05)
        if not decided.is_set() and stopped():
            decided.set()
        if decided.is_set():  # repeated: a search that was just starting may have missed an earlier stop
            for job in current:
                job.stop()
            time.sleep(0.01)
    for thread in threads:
        thread.join()
