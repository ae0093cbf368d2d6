"""Background jobs by name: an area declares a job function once, `submit_job(name, **kwargs)` runs it elsewhere.

A job takes plain JSON data (ids, strings, numbers, lists, dicts with string keys) and loads what it needs from
the database itself, so the same function runs in a thread of the web process or in a Celery worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SOLVE_QUEUE = "solve"
MAIL_QUEUE = "mail"  # light work that follows a publication: invitation emails, attendee feeds built ahead
QUEUES = (SOLVE_QUEUE, MAIL_QUEUE)  # what `celery ... worker -Q solve,mail` consumes


class UnknownJob(LookupError):
    """Raised when a job name was never declared with `background_job`."""


class RetryLater(Exception):
    """Raised by a job whose work partly failed for a passing reason (the mail server did not answer).

    It carries the arguments of the next attempt (e.g. only the emails not sent yet); the job runs again with
    them after the next of its `retry_delays`, and once they are used up the failure is logged and dropped.
    """

    def __init__(self, reason: str, **kwargs: Any) -> None:
        super().__init__(reason)
        self.kwargs = kwargs


@dataclass(frozen=True)
class JobSpec:
    """A declared job: its name, the function that does the work, and the Celery queue it travels on."""

    name: str
    function: Callable[..., Any]
    queue: str
    # Seconds before each new attempt after RetryLater; keep each under the Redis visibility timeout (15 min),
    # since a worker holds a retry that waits.
    retry_delays: tuple[float, ...] = ()


_jobs: dict[str, JobSpec] = {}


def background_job(
    name: str, queue: str, retry_delays: tuple[float, ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a function as the job `name` on `queue` (one of QUEUES); the function itself is unchanged."""
    if queue not in QUEUES:
        raise ValueError(f"job {name!r}: queue must be one of {QUEUES}, not {queue!r}")

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        known = _jobs.get(name)
        if known is not None and known.function.__qualname__ != function.__qualname__:
            raise ValueError(f"job {name!r} is already declared by {known.function.__module__}")
        _jobs[name] = JobSpec(name, function, queue, tuple(retry_delays))
        return function

    return declare


def job_spec(name: str) -> JobSpec:
    """Return the declared job called `name`."""
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(name) from None


def declared_jobs() -> list[JobSpec]:
    """Return every declared job, by name."""
    return [_jobs[name] for name in sorted(_jobs)]
