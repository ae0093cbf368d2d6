"""`flask schedule ...`: solve, publish and export from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.models import Event, SolveRun, SolveStatus
from app.timetable.adjust import draft_problems
from app.timetable.exports import problem_json
from app.timetable.jobs import SolveAlreadyRunning, run_solve, start_solve
from app.timetable.problem_builder import current_draft
from app.timetable.publish import announce_published, publish_version

schedule_cli = AppGroup("schedule", help="Solve, publish and export timetables.")


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event with id {event_id}")
    return event


@schedule_cli.command("solve")
@click.argument("event_id", type=int)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=None, help="Seconds the solver may take.")
@click.option("--move-published/--keep-published", default=False, help="May published meetings change time?")
def solve_command(event_id: int, time_limit: float | None, move_published: bool) -> None:
    """Build a draft timetable for EVENT_ID in the foreground and print a one-line summary."""
    event = _event(event_id)
    try:
        run = start_solve(event, None, time_limit or current_app.config["SOLVER_TIME_LIMIT"], not move_published)
        db.session.commit()
    except SolveAlreadyRunning:
        raise click.ClickException("a solve is already running for this event") from None
    run_solve(run.id)
    db.session.expire_all()
    run = db.session.get(SolveRun, run.id)
    if run.version is not None:
        version = run.version
        click.echo(
            f"{run.status.value}: draft version {version.number} ({version.solver_status}), "
            f"{version.meeting_count} meetings, {version.served} parties served, weight {version.weight}, "
            f"{version.breaks} breaks, {len(version.unscheduled or [])} unscheduled"
        )
        return
    if run.status == SolveStatus.INFEASIBLE:
        messages = "; ".join(c.get("message", "") for c in run.conflicts or [])
        raise click.ClickException(f"infeasible: {messages}")
    raise click.ClickException(f"{run.status.value}: {run.error or 'no timetable'}")


@schedule_cli.command("publish")
@click.argument("event_id", type=int)
def publish_command(event_id: int) -> None:
    """Publish the latest draft of EVENT_ID."""
    event = _event(event_id)
    draft = current_draft(event)
    if draft is None:
        raise click.ClickException("this event has no draft to publish")
    problems = draft_problems(draft)
    if problems:
        raise click.ClickException("the draft cannot be published: " + "; ".join(problems))
    diff = publish_version(draft)
    db.session.commit()
    announce_published(draft, diff)
    click.echo(
        f"published version {draft.number}: {len(diff.new)} new, {len(diff.moved)} moved, "
        f"{len(diff.cancelled)} cancelled, {len(diff.affected_organization_ids)} parties affected"
    )


@schedule_cli.command("export-problem")
@click.argument("event_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export_problem_command(event_id: int, output: Path) -> None:
    """Write EVENT_ID as a matching-problem/1 JSON file."""
    output.write_text(problem_json(_event(event_id)), encoding="utf-8")
    click.echo(f"wrote {output}")
