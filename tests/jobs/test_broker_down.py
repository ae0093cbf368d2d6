"""When the broker does not answer: a solve is marked failed at once, emails are sent from this process instead."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.jobs import MAIL_QUEUE, background_job, submit_job, thread_runner
from app.jobs.celery_app import CELERY_KEY, UNQUEUED, CeleryJobRunner, CeleryRunner, init_celery
from app.jobs.runners import JOB_RUNNER_KEY
from app.models import SolveRun, SolveStatus
from app.timetable.jobs import RUNNER_KEY, runner_for, start_solve
from tests.timetable.conftest import make_small_event

NOBODY_LISTENS = "redis://127.0.0.1:1/0"  # port 1: the connection is refused at once
delivered: list[str] = []


@background_job("tests.deliver", queue=MAIL_QUEUE)
def deliver(to: str) -> None:
    """Record a delivery."""
    delivered.append(to)


@pytest.fixture
def broker_down_app(app, monkeypatch):
    """The suite's app, believing in a broker that does not answer."""
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", NOBODY_LISTENS)
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    init_celery(app)
    yield app
    app.extensions[CELERY_KEY].close()
    for key in (CELERY_KEY, RUNNER_KEY, JOB_RUNNER_KEY):
        app.extensions.pop(key, None)


def test_a_solve_that_cannot_be_queued_is_marked_failed_so_the_event_is_not_blocked(broker_down_app):
    small = make_small_event()
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    assert isinstance(runner_for(broker_down_app), CeleryRunner)
    runner_for(broker_down_app).submit(broker_down_app, run.id)
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    assert run.status == SolveStatus.FAILED and run.error == UNQUEUED
    assert start_solve(small.event, None, 3.0).id != run.id  # the organizer can try again


def test_a_job_that_cannot_be_queued_runs_in_this_process(broker_down_app, caplog):
    delivered.clear()
    assert isinstance(broker_down_app.extensions[JOB_RUNNER_KEY], CeleryJobRunner)
    submit_job("tests.deliver", to="ketua@kdkmp.example")
    assert thread_runner.join(timeout=30)
    assert delivered == ["ketua@kdkmp.example"]
    assert "could not queue job tests.deliver: running it in this process" in caplog.text
