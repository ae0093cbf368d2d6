"""Solving in the background: the job function `run_solve` and the runner that hands it a SolveRun id.

The SolveRun row is the durable record: the job reads its settings from it, writes live figures onto it in
short transactions of its own, and ends by writing either a draft version (one transaction) or nothing but
its own status. The same `run_solve` runs in a background thread (the default), in the foreground (CLI,
tests) or in a Celery worker when CELERY_BROKER_URL is set (app/jobs registers its runner, see `runner_for`).

Celery acknowledges a solve late, so a job whose worker died is delivered again. The row decides what a
delivery may do: only the one that moves the run from queued to running solves (one conditional UPDATE), a
delivery that finds its run already running marks it failed (its worker died mid-solve; the organizer starts
again), and the draft is committed in the same transaction as the running -> finished move, so a run never
writes two drafts nor a draft after something else (time limit, watchdog, redelivery) has settled it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, aliased

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
DEFAULT_GRACE_SECONDS = 30.0  # SOLVE_GRACE_SECONDS: building the problem and writing the draft, around the solve
INTERRUPTED = "interrupted: the worker stopped during the solve"
OVERRAN = "stopped: the solve ran past its time limit"
ANOTHER_RUN = "another solve of this event was running"
STALE = "interrupted"  # a run whose process stopped answering (see expire_stale_runs)
NO_TIMETABLE = "no timetable found within the time limit"
BROKE_RULES = "the solver's timetable breaks the rules: "


class SolveAlreadyRunning(Exception):
    """Raised when an event already has a solve queued or running."""


class SolveRunner(Protocol):
    """Something that runs `run_solve(solve_run_id)` somewhere else than the request."""

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Start the job for this solve run."""


class ThreadRunner:
    """Runs each solve in a daemon thread of this process, with its own app context.

    A thread cannot be killed, so a watchdog marks the run failed once it outlives its hard limit (time limit
    plus twice SOLVE_GRACE_SECONDS); the run's stop flag then stops the solver and nothing it writes later counts.
    """

    def __init__(self) -> None:
        self._threads: dict[int, threading.Thread] = {}

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Start `run_solve` in a new thread, watched by a timer at its hard time limit."""
        run = db.session.get(SolveRun, solve_run_id)
        _soft, hard = solve_time_limits(run.time_limit if run is not None else 0.0)
        watchdog = threading.Timer(hard, _fail_overrun_in_context, args=(app, solve_run_id))
        watchdog.daemon = True
        thread = threading.Thread(
            target=_run_in_context, args=(app, solve_run_id, watchdog), name=f"solve-{solve_run_id}", daemon=True
        )
        self._threads[solve_run_id] = thread
        watchdog.start()
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

    Production plugs in here: when CELERY_BROKER_URL is set, app.jobs.celery_app registers a CeleryRunner
    whose `submit` sends a task to the `solve` queue, and the task calls `run_solve(solve_run_id)` inside an
    app context.
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
            run.error = STALE
            run.finished_at = now


def solve_time_limits(time_limit: float) -> tuple[float, float]:
    """Return a solve job's (soft, hard) limits in seconds: its time limit plus one, then two SOLVE_GRACE_SECONDS."""
    grace = float(current_app.config.get("SOLVE_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    return time_limit + grace, time_limit + 2 * grace


def fail_unfinished_run(solve_run_id: int, error: str) -> bool:
    """Mark a queued or running run failed in a transaction of its own; tell whether it was still unfinished."""
    with Session(db.engine) as session, session.begin():
        result = session.execute(
            update(SolveRun)
            .where(SolveRun.id == solve_run_id, SolveRun.status.in_(UNSCHEDULED_RUN_STATUSES))
            .values(status=SolveStatus.FAILED, error=error, finished_at=utcnow(), phase=None)
        )
    return result.rowcount == 1


def request_stop(run: SolveRun) -> None:
    """Ask a queued or running solve to stop and keep the best timetable found so far."""
    if not run.is_finished:
        run.stop_requested = True


def run_solve(solve_run_id: int) -> None:
    """The job: claim the run, build the problem, solve with live progress, check, write a draft in one transaction."""
    if not claim_run(solve_run_id):
        return
    run = db.session.get(SolveRun, solve_run_id)
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


def claim_run(solve_run_id: int) -> bool:
    """Move a queued run to running unless another solve of its event runs; settle it otherwise. Commits.

    Only one delivery of a job wins the conditional UPDATE. A delivery that finds its run already running is
    a second one, made after the worker that had the first died mid-solve: it marks the run failed.
    """
    run = db.session.get(SolveRun, solve_run_id)
    if run is None or run.is_finished:
        return False
    if run.status == SolveStatus.RUNNING:
        log.warning("solve run %s was delivered again while running: its worker died; marking it failed", run.id)
        run.error = INTERRUPTED
        _finish(run, SolveStatus.FAILED)
        return False
    if run.stop_requested:
        _finish(run, SolveStatus.STOPPED, from_status=SolveStatus.QUEUED)
        return False
    # PostgreSQL: claims for one event wait for each other on the event row, so each sees the one before it.
    db.session.execute(select(Event.id).where(Event.id == run.event_id).with_for_update())
    other = aliased(SolveRun)
    busy = exists().where(other.event_id == run.event_id, other.status == SolveStatus.RUNNING, other.id != run.id)
    claimed = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run.id, SolveRun.status == SolveStatus.QUEUED, ~busy)
        .values(status=SolveStatus.RUNNING, started_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed == 1:
        db.session.commit()
        return True
    db.session.rollback()
    run = db.session.get(SolveRun, solve_run_id)
    if run is not None and run.status == SolveStatus.QUEUED:
        run.error = ANOTHER_RUN
        _finish(run, SolveStatus.FAILED, from_status=SolveStatus.QUEUED)
    return False


def _store_result(solve_run_id: int, problem: Any, timetable: Timetable, locked: set[int]) -> None:
    run = db.session.get(SolveRun, solve_run_id)
    db.session.refresh(run)
    if run.status != SolveStatus.RUNNING:  # settled meanwhile (time limit, watchdog): its result no longer counts
        log.warning("solve run %s ended as %s before its result was written", run.id, run.status.value)
        db.session.rollback()
        return
    stopped = run.stop_requested
    if timetable.status == "infeasible":
        run.conflicts = [c.to_dict() for c in timetable.conflicts]
        _finish(run, SolveStatus.INFEASIBLE)
        return
    if timetable.status == "unknown":
        run.error = None if stopped else NO_TIMETABLE
        _finish(run, SolveStatus.STOPPED if stopped else SolveStatus.FAILED)
        return
    report = check(problem, timetable)
    if not report.ok:
        run.error = BROKE_RULES + "; ".join(report.violations[:5])
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


def _finish(run: SolveRun, status: SolveStatus, from_status: SolveStatus = SolveStatus.RUNNING) -> bool:
    """Commit the run's end with what the session holds (a draft), if the run is still `from_status`; else roll back.

    The status moves in one conditional UPDATE, so of two writers (this job, and the time limit, the watchdog or a
    second delivery) only one settles the run, and a draft is never committed for a run settled by another.
    """
    db.session.flush()
    settled = db.session.execute(
        update(SolveRun)
        .where(SolveRun.id == run.id, SolveRun.status == from_status)
        .values(status=status, finished_at=utcnow(), phase=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if settled == 1:
        db.session.commit()
        return True
    log.warning("solve run %s was settled by something else; its %s outcome is dropped", run.id, status.value)
    db.session.rollback()
    return False


def _run_in_context(app: Flask, solve_run_id: int, watchdog: threading.Timer | None = None) -> None:
    with app.app_context():
        try:
            run_solve(solve_run_id)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            db.session.remove()


def _fail_overrun_in_context(app: Flask, solve_run_id: int) -> None:
    with app.app_context():
        if fail_unfinished_run(solve_run_id, OVERRAN):
            log.error("solve run %s outlived its hard time limit: marked failed", solve_run_id)


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
