"""Running declared jobs: in a thread of this process (the default), on Celery workers, or in the caller.

`submit_job(name, **kwargs)` is what areas call. Where it runs is the deployment's choice: with
CELERY_BROKER_URL set, `init_celery` registers a Celery runner; without, each job gets a thread of the web
process; with JOBS_EAGER (the test suite) it runs in the caller before `submit_job` returns.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Protocol

from flask import Flask, current_app

from app.jobs.registry import JobSpec, job_spec

log = logging.getLogger(__name__)

JOB_RUNNER_KEY = "jobs.runner"


class JobRunner(Protocol):
    """Something that runs a declared job somewhere else than the caller."""

    def submit(self, app: Flask, spec: JobSpec, kwargs: dict[str, Any]) -> None:
        """Start the job with these keyword arguments."""


class ThreadJobRunner:
    """Runs each job in a thread of this process, with an app context of its own.

    The threads are not daemons: a command line (`flask schedule publish`) waits for its emails before it exits,
    and a web worker shutting down finishes the jobs it started.
    """

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, app: Flask, spec: JobSpec, kwargs: dict[str, Any]) -> None:
        """Start the job in a new thread."""
        thread = threading.Thread(target=_run_in_app_context, args=(app, spec, kwargs), name=f"job-{spec.name}")
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every job started so far; tell whether they all ended within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)


thread_runner = ThreadJobRunner()


def runner_for(app: Flask) -> JobRunner:
    """Return the app's job runner: a registered one (Celery), else the in-process thread runner."""
    return app.extensions.get(JOB_RUNNER_KEY) or thread_runner


def submit_job(name: str, **kwargs: Any) -> None:
    """Run the declared job `name` in the background with plain-data keyword arguments (submit after commit)."""
    spec = job_spec(name)
    data = plain_data(kwargs)
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_EAGER"):
        run_job(spec, data)
        return
    runner_for(app).submit(app, spec, data)


def plain_data(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the arguments as a job receives them on every runner: through JSON (dict keys become strings)."""
    try:
        return json.loads(json.dumps(kwargs))
    except (TypeError, ValueError) as error:
        raise TypeError(f"job arguments must be plain JSON data: {error}") from None


def run_job(spec: JobSpec, kwargs: dict[str, Any]) -> None:
    """Run a job here and now; a failure is logged, never raised to whoever submitted it."""
    started = time.monotonic()
    try:
        spec.function(**kwargs)
    except Exception:
        log.exception("background job %s failed", spec.name)
        return
    log.info("background job %s done in %.1f s", spec.name, time.monotonic() - started)


def _run_in_app_context(app: Flask, spec: JobSpec, kwargs: dict[str, Any]) -> None:
    with app.app_context():
        run_job(spec, kwargs)
