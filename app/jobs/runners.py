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

from app.jobs.registry import JobSpec, RetryLater, job_spec

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

    def submit(self, app: Flask, spec: JobSpec, kwargs: dict[str, Any], attempt: int = 0) -> None:
        """Start the job in a new thread."""
        thread = threading.Thread(
            target=self._run, args=(app, spec, kwargs, attempt), name=f"job-{spec.name}", daemon=False
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _run(self, app: Flask, spec: JobSpec, kwargs: dict[str, Any], attempt: int) -> None:
        with app.app_context():
            retry = run_job(spec, kwargs, attempt)
        if retry is not None:
            # A daemon timer: a retry still waiting when the process exits is dropped (and was logged).
            timer = threading.Timer(spec.retry_delays[attempt], self.submit, args=(app, spec, retry, attempt + 1))
            timer.daemon = True
            with self._lock:
                self._threads.append(timer)
            timer.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every job started so far and its retries; tell whether they all ended within `timeout` s."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                alive = [t for t in self._threads if t.is_alive()]
            if not alive:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            alive[0].join(remaining)


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
        run_job(spec, data, attempt=len(spec.retry_delays))  # in the caller: no waiting for a later attempt
        return
    runner_for(app).submit(app, spec, data)


def plain_data(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return the arguments as a job receives them on every runner: through JSON (dict keys become strings)."""
    try:
        return json.loads(json.dumps(kwargs))
    except (TypeError, ValueError) as error:
        raise TypeError(f"job arguments must be plain JSON data: {error}") from None


def run_job(spec: JobSpec, kwargs: dict[str, Any], attempt: int = 0) -> dict[str, Any] | None:
    """Run a job here and now; return the arguments of a retry it asked for and may have, else None.

    A failure is logged, never raised to whoever submitted the job.
    """
    started = time.monotonic()
    try:
        spec.function(**kwargs)
    except RetryLater as retry:
        if attempt < len(spec.retry_delays):
            log.warning("background job %s will try again in %.0f s: %s", spec.name, spec.retry_delays[attempt], retry)
            return plain_data(retry.kwargs)
        log.error("background job %s gave up after %s attempts: %s", spec.name, attempt + 1, retry)
        return None
    except Exception:
        log.exception("background job %s failed", spec.name)
        return None
    log.info("background job %s done in %.1f s", spec.name, time.monotonic() - started)
    return None
