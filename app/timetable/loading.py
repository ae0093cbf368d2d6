"""Loading the rows a timetable route works on, or answering 404 when they are not the event's."""

from __future__ import annotations

from flask import abort

from app.extensions import db
from app.models import Event, MeetingRequest, SolveRun, TimetableEntry, TimetableVersion


def event_or_404(event_id: int) -> Event:
    """Return the event or answer 404."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def version_or_404(event: Event, version_id: int) -> TimetableVersion:
    """Return one of the event's timetable versions or answer 404."""
    version = db.session.get(TimetableVersion, version_id)
    if version is None or version.event_id != event.id:
        abort(404)
    return version


def entry_or_404(version: TimetableVersion, entry_id: int) -> TimetableEntry:
    """Return one of the version's entries or answer 404."""
    entry = db.session.get(TimetableEntry, entry_id)
    if entry is None or entry.version_id != version.id:
        abort(404)
    return entry


def run_or_404(event: Event, run_id: int) -> SolveRun:
    """Return one of the event's solve runs or answer 404."""
    run = db.session.get(SolveRun, run_id)
    if run is None or run.event_id != event.id:
        abort(404)
    return run


def request_or_404(event: Event, request_id: int) -> MeetingRequest:
    """Return one of the event's meeting requests or answer 404."""
    request = db.session.get(MeetingRequest, request_id)
    if request is None or request.event_id != event.id:
        abort(404)
    return request
