"""`flask calendar ...`: write every feed of a published event as files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.calendar import services
from app.extensions import db
from app.models import Booth, Event, ProgrammeSession, SessionPerson, User

calendar_cli = AppGroup("calendar", help="Calendar feeds and files.")


@calendar_cli.command("export")
@click.argument("event_id", type=int)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--locale", default="id", type=click.Choice(["id", "en"]), show_default=True)
def export_command(event_id: int, out_dir: Path, locale: str) -> None:
    """Write the .ics of every attendee, booth and moderator of a published event, plus its programme."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    if not event.is_published:
        raise click.ClickException(f"event {event_id} has no published timetable")
    written = export_event(event, out_dir, locale)
    click.echo(f"{len(written)} files written to {out_dir}")


def export_event(event: Event, out_dir: Path, locale: str = "id") -> list[Path]:
    """Write every calendar of an event into folders attendees/, booths/, moderators/; return the files."""
    files: list[tuple[str, services.CalendarFile]] = [("", services.programme_calendar(event, locale))]
    for organization in services.organizations_with_meetings(event):
        files.append(("attendees", services.attendee_calendar(event, organization, locale)))
    for booth in db.session.scalars(select(Booth).where(Booth.event_id == event.id).order_by(Booth.id)):
        files.append(("booths", services.booth_calendar(booth, None, locale)))
    on_stage = (
        select(User)
        .join(SessionPerson, SessionPerson.user_id == User.id)
        .join(ProgrammeSession, ProgrammeSession.id == SessionPerson.session_id)
        .where(ProgrammeSession.event_id == event.id)
        .distinct()
        .order_by(User.id)
    )
    for user in db.session.scalars(on_stage):
        files.append(("moderators", services.moderator_calendar(event, user, locale)))
    written = []
    for folder, calendar in files:
        target = out_dir / folder if folder else out_dir
        target.mkdir(parents=True, exist_ok=True)
        path = _free_path(target / calendar.filename, written)
        path.write_bytes(calendar.body)
        written.append(path)
    return written


def _free_path(path: Path, taken: list[Path]) -> Path:
    """Return the path, or path-2, path-3... when two subjects share a file name."""
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
