"""Declared jobs: plain data in, run in a thread of this process without a broker, failures logged not raised."""

from __future__ import annotations

import threading

import pytest

from app.jobs import MAIL_QUEUE, background_job, submit_job
from app.jobs.registry import UnknownJob, declared_jobs
from app.jobs.runners import JOB_RUNNER_KEY, runner_for, thread_runner

received: list[tuple[str, dict]] = []
gate = threading.Event()


@background_job("tests.record", queue=MAIL_QUEUE)
def record(label: str, data: dict) -> None:
    """Keep what the job received, and in which thread it ran."""
    received.append((threading.current_thread().name, {"label": label, "data": data}))


@background_job("tests.wait_then_record", queue=MAIL_QUEUE)
def wait_then_record(label: str) -> None:
    """Wait until the test opens the gate, then record."""
    assert gate.wait(timeout=10)
    received.append((threading.current_thread().name, {"label": label}))


@background_job("tests.explode", queue=MAIL_QUEUE)
def explode() -> None:
    """Fail as a job can: the mail server is down."""
    raise OSError("SMTP server down")


@pytest.fixture(autouse=True)
def _clean():
    received.clear()
    gate.clear()
    yield
    gate.set()


def test_a_job_runs_in_its_own_thread_and_the_caller_does_not_wait(background):
    submit_job("tests.wait_then_record", label="invitations")
    assert received == []  # the caller is back while the job still waits
    gate.set()
    assert background.join(timeout=10)
    [(thread_name, kwargs)] = received
    assert thread_name == "job-tests.wait_then_record" and kwargs == {"label": "invitations"}


def test_a_job_sees_its_arguments_as_json_on_every_runner(background):
    submit_job("tests.record", label="changes", data={12: "new", 13: "moved"})
    assert background.join(timeout=10)
    assert received[0][1] == {"label": "changes", "data": {"12": "new", "13": "moved"}}


def test_job_arguments_must_be_plain_data(background):
    with pytest.raises(TypeError, match="plain JSON"):
        submit_job("tests.record", label="x", data={"when": threading.Event()})
    assert received == []


def test_an_unknown_job_is_refused_at_once(background):
    with pytest.raises(UnknownJob):
        submit_job("tests.nobody_declared_this")


def test_a_failing_job_is_logged_and_never_reaches_the_caller(background, caplog):
    submit_job("tests.explode")
    assert background.join(timeout=10)
    assert "background job tests.explode failed" in caplog.text and "SMTP server down" in caplog.text


def test_in_eager_mode_the_job_is_done_when_submit_returns(app):
    assert app.config["JOBS_EAGER"]  # the suite's setting, so other areas' tests see emails at once
    submit_job("tests.record", label="now", data={})
    assert received[0][1]["label"] == "now" and received[0][0] == threading.current_thread().name


def test_jobs_travel_on_a_queue_the_workers_consume():
    assert {spec.queue for spec in declared_jobs()} <= {"solve", "mail"}
    assert "calendar.send_invitations" in {spec.name for spec in declared_jobs()}
    with pytest.raises(ValueError, match="queue"):
        background_job("tests.lost", queue="default")


def test_without_a_broker_jobs_stay_in_this_process(app):
    assert app.config["CELERY_BROKER_URL"] is None
    assert JOB_RUNNER_KEY not in app.extensions and runner_for(app) is thread_runner
