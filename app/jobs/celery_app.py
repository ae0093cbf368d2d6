"""Celery on Redis, bound to the Flask app; built by `init_celery(app)` only when CELERY_BROKER_URL is set.

Durability settings, and why:
- task_acks_late + task_reject_on_worker_lost: a task is acknowledged when it ends, and handed back to the
  broker when the process running it dies, so a crash loses no job. `run_solve` is safe to receive twice.
- worker_prefetch_multiplier=1: a worker takes one task at a time, so no solve waits behind another one in a
  busy worker's hands.
- Redis `visibility_timeout` above the longest solve's hard limit: Redis hands an unacknowledged task to
  another worker after that long, which must never happen while the first one still runs it.
- Each solve gets a soft limit (its time limit plus SOLVE_GRACE_SECONDS: the job records the failure) and a
  hard one (plus twice that: the process is killed and the worker marks the run failed).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from app.extensions import db
from app.jobs.registry import MAIL_QUEUE, SOLVE_QUEUE, JobSpec, job_spec
from app.jobs.runners import JOB_RUNNER_KEY, run_job, thread_runner
from app.timetable.jobs import RUNNER_KEY, fail_unfinished_run, solve_time_limits

log = logging.getLogger(__name__)

CELERY_KEY = "celery"
SOLVE_TASK = "temubisnis.solve"
JOB_TASK = "temubisnis.job"
VISIBILITY_MARGIN = 300  # seconds above the longest solve's hard limit before Redis redelivers a task
UNQUEUED = "the job queue could not be reached"


def visibility_timeout(config: Mapping[str, Any]) -> int:
    """Return the seconds Redis waits for an acknowledgement: above the hard limit of the longest possible solve."""
    from app.timetable.forms import MAX_SECONDS  # the longest time limit an organizer can ask for

    longest = max(float(config.get("SOLVER_TIME_LIMIT", 60)), float(MAX_SECONDS))
    grace = float(config.get("SOLVE_GRACE_SECONDS", 30))
    return int(longest + 2 * grace + VISIBILITY_MARGIN)


def broker_errors() -> tuple[type[BaseException], ...]:
    """Return the exceptions that mean the broker cannot be reached."""
    from kombu.exceptions import OperationalError

    return (OperationalError, OSError)


def init_celery(app: Flask):
    """Build the Celery app bound to `app` and register it as the solve and job runner; None without a broker URL."""
    broker_url = app.config.get("CELERY_BROKER_URL")
    if not broker_url:
        return None
    from celery import Celery, Task
    from celery.signals import worker_process_init

    class FlaskTask(Task):
        """A task that runs inside an app context of the Flask app (its own database session)."""

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    class SolveTask(FlaskTask):
        """The solve task: a failure that escapes `run_solve` (a hard time limit, seen by the parent) fails the run."""

        def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
            """Mark the task's run failed unless it already ended (called in the worker, or its parent on a kill)."""
            from celery.exceptions import TimeLimitExceeded

            from app.timetable.jobs import OVERRAN

            solve_run_id = args[0] if args else kwargs.get("solve_run_id")
            error = OVERRAN if isinstance(exc, TimeLimitExceeded) else f"{type(exc).__name__}: {exc}"[:2000]
            with app.app_context():
                if fail_unfinished_run(solve_run_id, error):
                    log.error("solve run %s failed in its worker: %s", solve_run_id, error)

    celery = Celery(app.import_name, broker=broker_url, task_cls=FlaskTask)
    celery.conf.update(
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": visibility_timeout(app.config)},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,  # a job that failed or hit its hard limit is not run again
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=False,  # a solve finishes; its row is the record
        task_ignore_result=True,  # results live in the database (SolveRun), not in a result backend
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=MAIL_QUEUE,
        task_routes={SOLVE_TASK: {"queue": SOLVE_QUEUE}},
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        worker_hijack_root_logger=False,
        enable_utc=True,
        timezone="UTC",
    )

    @celery.task(name=SOLVE_TASK, base=SolveTask, shared=False)  # one per Flask app
    def solve_task(solve_run_id: int) -> None:
        """Run one solve: `run_solve` decides from the SolveRun row whether this delivery may solve."""
        from app.timetable.jobs import run_solve

        run_solve(solve_run_id)

    @celery.task(name=JOB_TASK, bind=True, max_retries=None, shared=False)
    def job_task(self: Task, name: str, kwargs: dict[str, Any]) -> None:
        """Run a declared job (see app.jobs.registry) with its plain-data arguments; retry when it asks to."""
        if self.request.delivery_info and self.request.delivery_info.get("redelivered"):
            log.warning("job %s delivered again (its worker stopped): running it again", name)
        spec = job_spec(name)
        retry = run_job(spec, kwargs, attempt=self.request.retries)
        if retry is not None:
            raise self.retry(args=[name, retry], countdown=spec.retry_delays[self.request.retries])

    @worker_process_init.connect(weak=False)
    def fresh_database_connections(**_kwargs: Any) -> None:
        """A forked worker process opens its own database connections rather than share its parent's."""
        with app.app_context():
            db.engine.dispose(close=False)

    app.extensions[CELERY_KEY] = celery
    app.extensions[RUNNER_KEY] = CeleryRunner(solve_task)
    app.extensions[JOB_RUNNER_KEY] = CeleryJobRunner(job_task)
    return celery


class CeleryRunner:
    """The solve runner on Celery: one task on the `solve` queue, with limits derived from the run's time limit."""

    def __init__(self, task: Any) -> None:
        self.task = task

    def submit(self, app: Flask, solve_run_id: int) -> None:
        """Send the solve to the workers; if the broker cannot be reached, the run is marked failed at once."""
        from app.models import SolveRun

        run = db.session.get(SolveRun, solve_run_id)
        soft, hard = solve_time_limits(run.time_limit)
        try:
            self.task.apply_async(args=[solve_run_id], queue=SOLVE_QUEUE, soft_time_limit=soft, time_limit=hard)
        except broker_errors():
            log.exception("could not queue solve run %s", solve_run_id)
            fail_unfinished_run(solve_run_id, UNQUEUED)


class CeleryJobRunner:
    """The job runner on Celery: one task on the job's queue; if the broker cannot be reached, a thread here."""

    def __init__(self, task: Any) -> None:
        self.task = task

    def submit(self, app: Flask, spec: JobSpec, kwargs: dict[str, Any]) -> None:
        """Send the job to the workers, or run it in a thread of this process when the broker does not answer."""
        try:
            self.task.apply_async(args=[spec.name, kwargs], queue=spec.queue)
        except broker_errors():
            log.exception("could not queue job %s: running it in this process", spec.name)
            thread_runner.submit(app, spec, kwargs)
