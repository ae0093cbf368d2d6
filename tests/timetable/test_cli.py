"""`flask schedule solve | publish | export-problem` for organizers who prefer the command line."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import EventStatus, Meeting, TimetableVersion, VersionStatus
from app.scheduling import Problem


def test_solve_prints_a_one_line_summary_and_leaves_a_draft(runner, small):
    result = runner.invoke(args=["schedule", "solve", str(small.event.id), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("succeeded: draft version 1 (optimal), 3 meetings, 4 parties served")
    assert result.output.count("\n") == 1
    draft = db.session.scalars(select(TimetableVersion)).one()
    assert draft.status == VersionStatus.DRAFT


def test_publish_publishes_the_latest_draft(runner, small):
    runner.invoke(args=["schedule", "solve", str(small.event.id), "--time-limit", "3"])
    result = runner.invoke(args=["schedule", "publish", str(small.event.id)])
    assert result.exit_code == 0, result.output
    assert "published version 1: 3 new, 0 moved, 0 cancelled, 4 parties affected" in result.output
    db.session.expire_all()
    assert len(db.session.scalars(select(Meeting)).all()) == 3
    assert small.event.status == EventStatus.PUBLISHED


def test_publish_without_a_draft_says_so(runner, small):
    result = runner.invoke(args=["schedule", "publish", str(small.event.id)])
    assert result.exit_code != 0 and "no draft" in result.output


def test_an_unknown_event_is_a_clear_error(runner):
    result = runner.invoke(args=["schedule", "solve", "999"])
    assert result.exit_code != 0 and "no event with id 999" in result.output


def test_export_problem_writes_a_matching_problem(runner, small, tmp_path):
    target = tmp_path / "pasuruan.json"
    result = runner.invoke(args=["schedule", "export-problem", str(small.event.id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    problem = Problem.from_dict(json.loads(target.read_text()))
    assert len(problem.requests) == 3 and len(problem.slots) == 3
