"""Solving in the background: the job function `run_solve` and the runner that hands it a SolveRun id.

The SolveRun row is the durable record: the job reads its settings from it, writes live figures onto it in
short transactions of its own, and ends by writing either a draft version (one transaction) or nothing but
its own status. The same `run_solve` runs in a background thread (the default), in the foreground (CLI,
tests) or, once a production deployment registers one, in a Celery worker (see `runner_for`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Event, SolveRun, SolveStatus, utcnow
from app.models.solve_run import FINISHED_STATUSES
from app.scheduling import SolveOptions, Timetable, check, solve
from app.timetable.problem_builder import build_problem, solve_pins
from app.timetable.versions import published_version, version_timetable, write_draft

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes; the page polls every 2 s
STOP_CHECK_EVERY = 0.5  # seconds between two reads of SolveRun.stop_requested
STALE_AFTER = timedelta(minutes=3)  # a run silent this long past its time limit died with its process
UNSCHEDULED_RUN_STATUSES = (SolveStatus.QUEUED, SolveStatus.RUNNING)


class SolveAlreadyRunning(Exception):
    """Raised when an event already has a solve queued or running."""


class SolveRunner(Protocol):
    """Something that runs `run_solve(solve_run_id)` somewhere else than the request."""

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Start the job for this solve run."""


class ThreadRunner:
    """Runs each solve in a daemon thread of this process, with its own app context."""

    def __init__(self) -> None:
        self._threads: dict[int, threading.Thread] = {}

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Start `run_solve` in a new thread."""
        thread = threading.Thread(
            target=_run_in_context, args=(app, solve_run_id), name=f"solve-{solve_run_id}", daemon=True
        )
        self._threads[solve_run_id] = thread
        thread.start()

    def join(self, solve_run_id: int, timeout: float | None = None) -> None:
        """Wait for a run's thread to end (tests and shutdown)."""
        thread = self._threads.get(solve_run_id)
        if thread is not None:
            thread.join(timeout)


class InlineRunner:
    """Runs the solve in the caller's thread: the command line, and tests that need no thread."""

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Run `run_solve` now and return when it is done."""
        run_solve(solve_run_id)


RUNNER_KEY = "timetable.solve_runner"
_thread_runner = ThreadRunner()


def runner_for(app: Flask) -> SolveRunner:
    """Return the app's solve runner: a registered one (e.g. Celery), else the in-process thread runner.

    Production plugs in here: when CELERY_BROKER_URL is set, the deployment registers a runner whose
    `submit` sends a Celery task, and that task calls `run_solve(solve_run_id)` inside an app context:
    ``app.extensions[RUNNER_KEY] = CeleryRunner(solve_task)``.
    """
    runner = app.extensions.get(RUNNER_KEY)
    if runner is not None:
        return runner
    if app.config.get("CELERY_BROKER_URL"):
        log.warning("CELERY_BROKER_URL is set but no Celery solve runner is registered: solving in-process")
    return _thread_runner


def start_solve(event: Event, user_id: int | None, time_limit: float, keep_published: bool = True) -> SolveRun:
    """Record a queued solve run for the event; refuse while another one is queued or running. Flushes."""
    expire_stale_runs(event)
    if active_run(event) is not None:
        raise SolveAlreadyRunning(event.id)
    run = SolveRun(
        event_id=event.id,
        requested_by_id=user_id,
        time_limit=time_limit,
        keep_published=keep_published,
        status=SolveStatus.QUEUED,
    )
    db.session.add(run)
    db.session.flush()
    return run


def active_run(event: Event) -> SolveRun | None:
    """Return the event's queued or running solve, if any."""
    return db.session.scalar(
        select(SolveRun).where(SolveRun.event_id == event.id, SolveRun.status.in_(UNSCHEDULED_RUN_STATUSES)).limit(1)
    )


def expire_stale_runs(event: Event) -> None:
    """Mark runs that stopped answering (their process died) as failed, so the event can be solved again."""
    now = utcnow()
    for run in db.session.scalars(
        select(SolveRun).where(SolveRun.event_id == event.id, SolveRun.status.in_(UNSCHEDULED_RUN_STATUSES))
    ):
        deadline = (run.started_at or run.created_at) + timedelta(seconds=run.time_limit) + STALE_AFTER
        if now > deadline:
            run.status = SolveStatus.FAILED
            run.error = "interrupted"
            run.finished_at = now


def request_stop(run: SolveRun) -> None:
    """Ask a queued or running solve to stop and keep the best timetable found so far."""
    if not run.is_finished:
        run.stop_requested = True


def run_solve(solve_run_id: int) -> None:
    """The job: build the problem, solve with live progress, check, then write a draft in one transaction."""
    run = db.session.get(SolveRun, solve_run_id)
    if run is None or run.is_finished:
        return
    if run.stop_requested:
        _finish(run, SolveStatus.STOPPED)
        return
    run.status, run.started_at = SolveStatus.RUNNING, utcnow()
    db.session.commit()
    try:
        event = run.event
        pins = solve_pins(event, run.keep_published)
        problem = build_problem(event, pins)
        published = published_version(event)
        previous = version_timetable(published) if published is not None else None
        options = SolveOptions(
            time_limit=run.time_limit,
            workers=current_app.config.get("SOLVER_WORKERS", 2),
            previous=previous,
            should_stop=StopFlag(solve_run_id),
        )
        # Nothing of the request-less session stays open while the solver works: progress goes through
        # short transactions of its own, and a long read transaction would only hold locks.
        db.session.commit()
        timetable = solve(problem, options, on_progress=ProgressRecorder(solve_run_id))
        _store_result(solve_run_id, problem, timetable, {k for k, pin in pins.items() if pin.required})
    except Exception as exc:  # the run records any failure; nothing else is written
        log.exception("solve run %s failed", solve_run_id)
        db.session.rollback()
        run = db.session.get(SolveRun, solve_run_id)
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        _finish(run, SolveStatus.FAILED)


def _store_result(solve_run_id: int, problem: Any, timetable: Timetable, locked: set[int]) -> None:
    run = db.session.get(SolveRun, solve_run_id)
    db.session.refresh(run)
    stopped = run.stop_requested
    if timetable.status == "infeasible":
        run.conflicts = [c.to_dict() for c in timetable.conflicts]
        _finish(run, SolveStatus.INFEASIBLE)
        return
    if timetable.status == "unknown":
        run.error = None if stopped else "no timetable found within the time limit"
        _finish(run, SolveStatus.STOPPED if stopped else SolveStatus.FAILED)
        return
    report = check(problem, timetable)
    if not report.ok:
        run.error = "the solver's timetable breaks the rules: " + "; ".join(report.violations[:5])
        _finish(run, SolveStatus.FAILED)
        return
    version = write_draft(run.event, problem, timetable, report, timetable.status, locked)
    run.version_id = version.id
    run.best_served = report.objective.get("served")
    run.best_weight = report.objective.get("weight")
    run.best_breaks = report.objective.get("breaks")
    run.bound_served = timetable.bound.get("served", run.bound_served)
    run.bound_weight = timetable.bound.get("weight", run.bound_weight)
    run.bound_breaks = timetable.bound.get("breaks", run.bound_breaks)
    _finish(run, SolveStatus.STOPPED if stopped else SolveStatus.SUCCEEDED)


def _finish(run: SolveRun, status: SolveStatus) -> None:
    run.status, run.finished_at, run.phase = status, utcnow(), None
    db.session.commit()


def _run_in_context(app: Flask, solve_run_id: int) -> None:
    with app.app_context():
        try:
            run_solve(solve_run_id)
        finally:
            db.session.remove()


class ProgressRecorder:
    """The solver's progress callback: writes the best figures and bounds on the run, at most twice a second."""

    def __init__(self, solve_run_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.solve_run_id = solve_run_id
        self.clock = clock
        self.engine = db.engine  # the solver calls back from threads without an app context
        self.last_write = float("-inf")
        self.last_level: str | None = None

    def __call__(self, progress: dict[str, Any]) -> None:
        """Record one progress report (the solver calls this from its own thread)."""
        level = progress.get("level")
        now = self.clock()
        if level == self.last_level and now - self.last_write < PROGRESS_EVERY:
            return
        self.last_write, self.last_level = now, level
        objective, bound = progress.get("objective", {}), progress.get("bound", {})
        values: dict[str, Any] = {"phase": level}
        for key in ("served", "weight", "breaks"):
            if key in objective:
                values[f"best_{key}"] = int(objective[key])
            if key in bound:
                values[f"bound_{key}"] = int(bound[key])
        with Session(self.engine) as session, session.begin():
            session.execute(
                update(SolveRun)
                .where(SolveRun.id == self.solve_run_id, SolveRun.status == SolveStatus.RUNNING)
                .values(**values)
            )


class StopFlag:
    """The solver's stop callback: reads SolveRun.stop_requested in a short transaction, at most twice a second."""

    def __init__(self, solve_run_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.solve_run_id = solve_run_id
        self.clock = clock
        self.engine = db.engine  # polled from the solver's watcher thread, which has no app context
        self.checked_at = float("-inf")
        self.stop = False

    def __call__(self) -> bool:
        """Tell whether the organizer asked the run to stop."""
        if self.stop or self.clock() - self.checked_at < STOP_CHECK_EVERY:
            return self.stop
        self.checked_at = self.clock()
        with Session(self.engine) as session:
            row = session.execute(
                select(SolveRun.stop_requested, SolveRun.status).where(SolveRun.id == self.solve_run_id)
            ).first()
        self.stop = row is None or bool(row.stop_requested) or row.status in FINISHED_STATUSES
        return self.stop
