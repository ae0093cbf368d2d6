"""A solve run is the durable record of its job: delivered twice it never solves twice, and never overruns its limit."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import SolveRun, SolveStatus, TimetableVersion, VersionStatus
from app.timetable import jobs
from app.timetable.jobs import ThreadRunner, claim_run, fail_unfinished_run, run_solve, solve_time_limits, start_solve
from tests.timetable.conftest import make_small_event


@pytest.fixture
def small():
    built = make_small_event()
    db.session.commit()
    return built


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(TimetableVersion))


def reread(run_id: int) -> SolveRun:
    db.session.expire_all()
    return db.session.get(SolveRun, run_id)


def test_a_solve_delivered_again_after_its_worker_died_is_marked_failed_and_writes_nothing(small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    assert claim_run(run.id)  # the first delivery took it... and its worker was killed mid-solve
    run_solve(run.id)  # the broker hands the same job to the next worker
    run = reread(run.id)
    assert run.status == SolveStatus.FAILED and run.error == jobs.INTERRUPTED and run.finished_at is not None
    assert run.version_id is None and versions() == 0


def test_a_solve_delivered_again_after_it_ended_leaves_its_draft_alone(small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    run_solve(run.id)
    draft_id = reread(run.id).version_id
    run_solve(run.id)  # a duplicate delivery of a finished job
    run = reread(run.id)
    assert run.status == SolveStatus.SUCCEEDED and run.version_id == draft_id and versions() == 1


def test_two_queued_solves_of_one_event_never_run_at_the_same_time(small):
    first = start_solve(small.event, None, 3.0)
    second = SolveRun(event_id=small.event.id, time_limit=3.0, status=SolveStatus.QUEUED)  # two clicks at once
    db.session.add(second)
    db.session.commit()
    assert claim_run(first.id)
    assert not claim_run(second.id)
    assert reread(second.id).status == SolveStatus.FAILED and reread(second.id).error == jobs.ANOTHER_RUN
    assert reread(first.id).status == SolveStatus.RUNNING


def test_a_run_settled_while_solving_writes_no_draft(small, monkeypatch):
    real_solve = jobs.solve

    def solve_while_the_limit_strikes(problem, options, on_progress=None):
        timetable = real_solve(problem, options, on_progress)
        fail_unfinished_run(run.id, jobs.OVERRAN)  # the hard limit fired just before the result came back
        return timetable

    monkeypatch.setattr(jobs, "solve", solve_while_the_limit_strikes)
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    run_solve(run.id)
    run = reread(run.id)
    assert run.status == SolveStatus.FAILED and run.error == jobs.OVERRAN
    assert run.version_id is None and versions() == 0


def test_a_stop_before_the_first_delivery_is_kept(small):
    run = start_solve(small.event, None, 3.0)
    run.stop_requested = True
    db.session.commit()
    run_solve(run.id)
    run_solve(run.id)
    assert reread(run.id).status == SolveStatus.STOPPED and versions() == 0


def test_limits_are_the_time_limit_plus_one_and_two_graces(app, monkeypatch):
    monkeypatch.setitem(app.config, "SOLVE_GRACE_SECONDS", 30)
    assert solve_time_limits(60.0) == (90.0, 120.0)


def test_a_stuck_in_process_solve_is_failed_at_its_hard_limit_and_its_late_result_dropped(app, small, monkeypatch):
    monkeypatch.setitem(app.config, "SOLVE_GRACE_SECONDS", 0.5)
    real_solve, released = jobs.solve, []

    def stuck_solver(problem, options, on_progress=None):
        # A solver that only notices its stop flag: it would think for 30 s past its 1 s limit otherwise.
        deadline = time.monotonic() + 30
        while not options.stopped() and time.monotonic() < deadline:
            time.sleep(0.05)
        released.append(time.monotonic())
        return real_solve(problem, jobs.SolveOptions(time_limit=1.0, workers=1), on_progress)

    monkeypatch.setattr(jobs, "solve", stuck_solver)
    run = start_solve(small.event, None, 1.0)
    db.session.commit()
    runner = ThreadRunner()
    started = time.monotonic()
    runner.submit(app, run.id)
    runner.join(run.id, timeout=30)
    assert not runner._threads[run.id].is_alive()
    assert released, "the solver was never told to stop"
    run = reread(run.id)
    assert run.status == SolveStatus.FAILED and run.error == jobs.OVERRAN
    assert released[0] - started < 1.0 + 2 * 0.5 + 3  # stopped soon after its hard limit, not 30 s later
    assert (run.finished_at - run.started_at).total_seconds() < 1.0 + 2 * 0.5 + 3
    assert run.version_id is None and versions() == 0
    assert db.session.scalar(select(func.count()).where(TimetableVersion.status == VersionStatus.DRAFT)) == 0
