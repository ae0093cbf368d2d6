"""The solve job: live progress on the run, a draft written in one go, nothing else on failure."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import SolveRun, SolveStatus, TimetableVersion, VersionStatus
from app.scheduling import check
from app.timetable import jobs
from app.timetable.jobs import (
    InlineRunner,
    ProgressRecorder,
    SolveAlreadyRunning,
    StopFlag,
    ThreadRunner,
    run_solve,
    start_solve,
)
from app.timetable.problem_builder import build_problem
from app.timetable.versions import version_timetable
from tests.timetable.conftest import make_small_event


def solve_now(event, time_limit=3.0, **kwargs) -> SolveRun:
    run = start_solve(event, None, time_limit, **kwargs)
    db.session.commit()
    run_solve(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id)


def test_a_solve_writes_a_checked_draft_with_its_figures(small):
    run = solve_now(small.event)
    assert run.status == SolveStatus.SUCCEEDED and run.finished_at is not None
    version = run.version
    assert version.status == VersionStatus.DRAFT and version.solver_status == "optimal"
    assert len(version.entries) == 3 and version.served == 4 and version.meeting_count == 3
    assert (run.best_served, run.bound_served) == (4, 4)
    problem = build_problem(small.event, {})
    assert check(problem, version_timetable(version, problem)).ok


def test_a_new_draft_discards_the_older_one(small):
    first = solve_now(small.event).version_id
    second = solve_now(small.event).version_id
    assert db.session.get(TimetableVersion, first).status == VersionStatus.DISCARDED
    assert db.session.get(TimetableVersion, second).status == VersionStatus.DRAFT


def test_unscheduled_requests_keep_the_solvers_reason():
    small = make_small_event(slots=1, tables=1, cooperatives=2)
    db.session.commit()
    version = solve_now(small.event).version
    assert len(version.entries) == 1
    [left_out] = version.unscheduled
    assert left_out["kind"] == "host_full" and left_out["request"] in {r.id for r in small.requests}


def test_a_failed_solve_leaves_the_previous_draft_intact(small, monkeypatch):
    draft = solve_now(small.event).version

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(jobs, "solve", broken)
    run = solve_now(small.event)
    assert run.status == SolveStatus.FAILED and "solver crashed" in run.error
    assert run.version_id is None
    db.session.refresh(draft)
    assert draft.status == VersionStatus.DRAFT and len(draft.entries) == 3
    assert db.session.scalar(select(func.count()).select_from(TimetableVersion)) == 1


def test_a_failure_while_writing_the_draft_writes_nothing(small, monkeypatch):
    draft = solve_now(small.event).version

    def failing_write(*args, **kwargs):
        db.session.add(TimetableVersion(event_id=small.event.id, number=99))
        db.session.flush()
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "write_draft", failing_write)
    run = solve_now(small.event)
    assert run.status == SolveStatus.FAILED
    assert db.session.scalar(select(func.count()).select_from(TimetableVersion)) == 1
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DRAFT


def test_an_infeasible_problem_keeps_the_conflicts_for_display(small):
    from app.models import TimetableEntry

    draft = TimetableVersion(event=small.event, number=1, status=VersionStatus.DRAFT)
    for table, request in enumerate(small.requests[:2], start=1):  # two locked meetings at nine...
        draft.entries.append(
            TimetableEntry(request=request, slot=small.slots[0], booth=small.booths[0], table_number=table, locked=True)
        )
    small.booths[0].table_count = 1  # ...then the booth brings one table only
    db.session.add(draft)
    db.session.commit()
    run = solve_now(small.event)
    assert run.status == SolveStatus.INFEASIBLE and run.version_id is None
    assert run.conflicts and run.conflicts[0]["kind"] == "pinned_overload"
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DRAFT


def test_a_stop_before_the_job_starts_writes_nothing(small):
    run = start_solve(small.event, None, 3.0)
    run.stop_requested = True
    db.session.commit()
    run_solve(run.id)
    db.session.refresh(run)
    assert run.status == SolveStatus.STOPPED and run.version_id is None


def test_stop_keeps_the_best_timetable_found_so_far(small, monkeypatch):
    real_solve = jobs.solve

    def solve_until_stopped(problem, options, on_progress=None):
        with db.engine.begin() as connection:  # the organizer presses Stop while the solver works
            connection.execute(SolveRun.__table__.update().values(stop_requested=True))
        assert options.stopped()
        return real_solve(problem, options, on_progress)

    monkeypatch.setattr(jobs, "solve", solve_until_stopped)
    run = solve_now(small.event, time_limit=5.0)
    assert run.status == SolveStatus.STOPPED
    assert run.version is not None and run.version.status == VersionStatus.DRAFT
    problem = build_problem(small.event, {})
    assert check(problem, version_timetable(run.version, problem)).ok


def test_progress_is_recorded_on_the_run_as_the_solver_reports(small):
    run = start_solve(small.event, None, 3.0)
    run.status = SolveStatus.RUNNING
    db.session.commit()
    now = [0.0]
    record = ProgressRecorder(run.id, clock=lambda: now[0])
    record({"level": "served", "objective": {"served": 3}, "bound": {"served": 4}})
    record({"level": "served", "objective": {"served": 4}, "bound": {"served": 4}})  # too soon: skipped
    db.session.expire_all()
    assert (run.best_served, run.bound_served, run.phase) == (3, 4, "served")
    now[0] = 1.0
    record({"level": "weight", "objective": {"served": 4, "weight": 6}, "bound": {"served": 4, "weight": 8}})
    db.session.expire_all()
    assert (run.best_served, run.best_weight, run.bound_weight, run.phase) == (4, 6, 8, "weight")


def test_the_stop_flag_reads_the_run(small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    now = [0.0]
    flag = StopFlag(run.id, clock=lambda: now[0])
    assert flag() is False
    run.stop_requested = True
    db.session.commit()
    assert flag() is False  # read again only after a short while
    now[0] = 1.0
    assert flag() is True


def test_only_one_solve_at_a_time_per_event(small):
    start_solve(small.event, None, 3.0)
    db.session.commit()
    with pytest.raises(SolveAlreadyRunning):
        start_solve(small.event, None, 3.0)
    other = make_small_event()
    assert start_solve(other.event, None, 3.0).id


def test_a_run_whose_process_died_no_longer_blocks_the_event(small):
    from datetime import timedelta

    stale = start_solve(small.event, None, 3.0)
    stale.created_at = stale.created_at - timedelta(hours=1)
    db.session.commit()
    assert start_solve(small.event, None, 3.0).id != stale.id
    assert stale.status == SolveStatus.FAILED


def test_the_thread_runner_solves_in_the_background(app, small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    runner = ThreadRunner()
    runner.submit(app, run.id)
    runner.join(run.id, timeout=30)
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).status == SolveStatus.SUCCEEDED


def test_a_registered_runner_replaces_the_thread_runner(app):
    class Recorder(InlineRunner):
        submitted = []

        def submit(self, app, solve_run_id):
            self.submitted.append(solve_run_id)

    assert isinstance(jobs.runner_for(app), ThreadRunner)
    app.extensions[jobs.RUNNER_KEY] = Recorder()
    try:
        assert isinstance(jobs.runner_for(app), Recorder)
    finally:
        del app.extensions[jobs.RUNNER_KEY]


def test_a_new_build_keeps_published_meetings_at_their_times(small):
    from app.models import Meeting
    from app.timetable.publish import publish_version

    publish_version(solve_now(small.event).version)
    db.session.commit()
    published = {m.request_id: m.slot_id for m in db.session.scalars(select(Meeting))}
    from app.models import Registration
    from tests.factories import make_organization, make_request

    newcomer = make_organization(name="KDKMP Desa Baru")
    db.session.add(Registration(event=small.event, organization=newcomer))
    make_request(small.event, newcomer, small.booths[0], priority=3)
    db.session.commit()
    redraft = solve_now(small.event, keep_published=True).version
    placed = {e.request_id: e.slot_id for e in redraft.entries}
    assert all(placed[r] == s for r, s in published.items())
    assert len(redraft.entries) == 4
