"""Real Celery workers on Redis: a killed solve leaves the published timetable alone, limits hold, emails go out.

Each test starts `celery worker --concurrency 1` (prefork) as a subprocess on a database shared with the test
(scratch PostgreSQL, else a SQLite file) and Redis database 9; they skip where Redis does not answer.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from sqlalchemy import func, select

from app.calendar.feeds import issue_feed
from app.extensions import db
from app.jobs.celery_app import CeleryJobRunner, CeleryRunner, visibility_timeout
from app.models import FeedKind, Meeting, MeetingSeat, Role, SolveRun, SolveStatus, TimetableVersion, VersionStatus
from app.timetable import jobs
from app.timetable.jobs import runner_for, start_solve
from app.timetable.publish import publish_version
from tests.jobs.celery_harness import (
    celery_worker,
    flush_redis,
    require_redis,
    shared_app,
    shared_database,
    wait_until,
)
from tests.jobs.conftest import make_draft, make_publishable_event
from tests.jobs.smtp_sink import SMTPSink
from tests.timetable.conftest import log_in, make_user

pytestmark = pytest.mark.slow


@pytest.fixture
def broker():
    url = require_redis()
    yield url
    flush_redis()


def published_event(cooperatives: int, booths: int, slots: int):
    """An event with a published timetable and the first cooperative's calendar feed."""
    small = make_publishable_event(cooperatives=cooperatives, booths=booths, slots=slots)
    at_nine = [(0, 0, 1), (booths, 0, 2)]  # the first two cooperatives at the first booth (request = coop x booths)
    then = [(1, 1, 1)] if booths > 1 else []  # the first cooperative at the second booth at 9.20
    publish_version(make_draft(small, at_nine + then))
    token = issue_feed(small.event, FeedKind.ATTENDEE, organization=small.cooperatives[0])
    db.session.commit()
    return small, token


def live_timetable() -> tuple[list, list]:
    """Every column of every meeting and seat, as attendees' pages and feeds read them."""
    meetings = db.session.execute(select(Meeting.__table__).order_by(Meeting.id)).all()
    seats = db.session.execute(
        select(MeetingSeat.__table__).order_by(MeetingSeat.meeting_id, MeetingSeat.organization_id)
    ).all()
    return [tuple(row) for row in meetings], [tuple(row) for row in seats]


def run_now(run_id: int) -> SolveRun:
    """Read the run as the worker last committed it."""
    db.session.rollback()
    return db.session.get(SolveRun, run_id)


def test_the_app_hands_solves_and_jobs_to_celery_with_durable_settings(broker, tmp_path):
    with shared_database(tmp_path) as url, shared_app(url, broker) as app:
        assert isinstance(runner_for(app), CeleryRunner)
        assert isinstance(app.extensions["jobs.runner"], CeleryJobRunner)
        conf = app.extensions["celery"].conf
        assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
        longest_hard_limit = max(app.config["SOLVER_TIME_LIMIT"], 600) + 2 * app.config["SOLVE_GRACE_SECONDS"]
        assert conf.broker_transport_options["visibility_timeout"] == visibility_timeout(app.config)
        assert visibility_timeout(app.config) > longest_hard_limit


def test_a_worker_killed_mid_solve_leaves_the_published_timetable_and_feeds_as_they_were(broker, tmp_path):
    with shared_database(tmp_path) as url, shared_app(url, broker) as app:
        small, token = published_event(cooperatives=80, booths=5, slots=12)
        feed = app.test_client().get(f"/calendar/feed/{token}.ics")
        feed_before, timetable_before = feed.data, live_timetable()
        assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed_before
        versions_before = db.session.scalar(select(func.count()).select_from(TimetableVersion))

        # a solver that surely still runs when killed (small events are now proven optimal in milliseconds)
        with celery_worker(url, broker, tmp_path, module="tests.jobs.slow_solver_worker") as worker:
            run = start_solve(small.event, None, 25.0, keep_published=True)
            db.session.commit()
            runner_for(app).submit(app, run.id)
            wait_until(lambda: run_now(run.id).phase is not None, 120, "the solver to report progress")
            [pool_process] = worker.pool_pids()
            os.kill(pool_process, signal.SIGKILL)  # the worker process dies in the middle of the solve

            failed = wait_until(lambda: run_now(run.id).is_finished and run_now(run.id), 90, "the run to be settled")
            assert failed.status == SolveStatus.FAILED and failed.error == jobs.INTERRUPTED
            assert failed.version_id is None
            assert "WorkerLostError" in worker.log  # the pool saw its process die and gave the task back...
            assert "delivered again while running" in worker.log  # ...and the second delivery settled the run

            assert live_timetable() == timetable_before
            assert app.test_client().get(f"/calendar/feed/{token}.ics").data == feed_before
            assert db.session.scalar(select(func.count()).select_from(TimetableVersion)) == versions_before
            assert db.session.scalar(select(func.count()).where(TimetableVersion.status == VersionStatus.DRAFT)) == 0

            # The organizer starts again; the same worker (a new pool process) takes it.
            again = start_solve(small.event, None, 5.0, keep_published=True)
            db.session.commit()
            runner_for(app).submit(app, again.id)
            wait_until(lambda: run_now(again.id).is_finished, 90, "the new solve to end")
            assert run_now(again.id).status in (SolveStatus.SUCCEEDED, SolveStatus.STOPPED, SolveStatus.FAILED)
            assert run_now(again.id).error not in (jobs.INTERRUPTED, jobs.ANOTHER_RUN)


def test_a_solve_hung_past_its_hard_limit_is_killed_and_marked_failed(broker, tmp_path):
    grace, limit = 1.0, 2.0
    with shared_database(tmp_path) as url, shared_app(url, broker, SOLVE_GRACE_SECONDS=grace) as app:
        small, _token = published_event(cooperatives=3, booths=1, slots=3)
        timetable_before = live_timetable()
        module = "tests.jobs.hung_solver_worker"
        with celery_worker(url, broker, tmp_path, module=module, SOLVE_GRACE_SECONDS=str(grace)) as worker:
            run = start_solve(small.event, None, limit)
            db.session.commit()
            runner_for(app).submit(app, run.id)
            wait_until(lambda: run_now(run.id).status == SolveStatus.RUNNING, 120, "the solve to start")
            started = time.monotonic()
            settled = wait_until(lambda: run_now(run.id).is_finished and run_now(run.id), 60, "the hard limit")
            assert time.monotonic() - started < limit + 2 * grace + 10
            assert settled.status == SolveStatus.FAILED and settled.error == jobs.OVERRAN
            assert (settled.finished_at - settled.started_at).total_seconds() < limit + 2 * grace + 5
            assert "Hard time limit" in worker.log
        assert live_timetable() == timetable_before and settled.version_id is None


def test_publishing_queues_the_invitations_and_a_worker_emails_them(broker, tmp_path):
    with (
        SMTPSink() as smtp,
        shared_database(tmp_path) as url,
        shared_app(url, broker) as app,
    ):
        small = make_publishable_event(cooperatives=3)
        version = make_draft(small, [(0, 0, 1), (1, 0, 2), (2, 1, 1)])
        organizer = make_user(Role.ORGANIZER)
        db.session.commit()
        client = app.test_client()
        log_in(client, organizer)

        response = client.post(f"/organizer/events/{small.event.id}/timetable/versions/{version.id}/publish")
        assert response.status_code == 302  # answered with no worker running: the emails wait in the queue
        assert smtp.messages == []

        mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_USE_TLS": "0"}
        with celery_worker(url, broker, tmp_path, **mail):
            wait_until(lambda: len(smtp.messages) >= 3, 60, "three invitations at the SMTP server")
        assert sorted(m["To"] for m in smtp.messages) == [f"ketua{n}@kdkmp.example" for n in (1, 2, 3)]
        for message in smtp.messages:
            [calendar] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
            assert calendar.get_param("method") == "REQUEST" and "BEGIN:VTIMEZONE" in calendar.get_content()
