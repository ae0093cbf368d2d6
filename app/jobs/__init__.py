"""Background work: declared jobs run in a thread of this process, or on Celery workers when a broker is set."""

from __future__ import annotations

from flask import Flask

from app.jobs.registry import MAIL_QUEUE, SOLVE_QUEUE, RetryLater, background_job, job_spec
from app.jobs.runners import submit_job, thread_runner

__all__ = [
    "MAIL_QUEUE",
    "SOLVE_QUEUE",
    "RetryLater",
    "background_job",
    "job_spec",
    "register_jobs",
    "submit_job",
    "thread_runner",
]


def register_jobs(app: Flask) -> None:
    """Run solves and jobs on Celery when CELERY_BROKER_URL is set; otherwise they stay in this process."""
    from app.jobs.celery_app import init_celery

    init_celery(app)
