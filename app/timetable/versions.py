"""Timetable versions: writing a draft from the solver's answer, reading one back in the spec's format."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Event, MeetingRequest, Slot, TimetableEntry, TimetableVersion, VersionStatus, utcnow
from app.scheduling import CheckReport, Problem, Timetable
from app.scheduling.timetable import Meeting as SpecMeeting
from app.scheduling.timetable import Unscheduled
from app.timetable.problem_builder import REQUEST_PREFIX, id_from_key, request_key

# Kinds of unscheduled reasons the app adds to the solver's own.
NEW_REQUEST = "new_request"
REMOVED_BY_ORGANIZER = "removed_by_organizer"


class TimetableMismatch(ValueError):
    """A timetable names requests or slots the event does not have."""


def published_version(event: Event) -> TimetableVersion | None:
    """Return the event's published version, if any."""
    return db.session.scalar(
        select(TimetableVersion).where(
            TimetableVersion.event_id == event.id, TimetableVersion.status == VersionStatus.PUBLISHED
        )
    )


def previous_published(version: TimetableVersion) -> TimetableVersion | None:
    """Return the version that was published before this one (for a draft: the one published now)."""
    query = select(TimetableVersion).where(
        TimetableVersion.event_id == version.event_id,
        TimetableVersion.published_at.is_not(None),
        TimetableVersion.id != version.id,
    )
    if version.published_at is not None:
        query = query.where(TimetableVersion.published_at < version.published_at)
    return db.session.scalar(query.order_by(TimetableVersion.published_at.desc()).limit(1))


def event_versions(event: Event) -> list[TimetableVersion]:
    """Return the event's versions, newest first."""
    return list(
        db.session.scalars(
            select(TimetableVersion)
            .where(TimetableVersion.event_id == event.id)
            .order_by(TimetableVersion.number.desc())
        )
    )


def write_draft(
    event: Event,
    problem: Problem,
    timetable: Timetable,
    report: CheckReport,
    solver_status: str,
    locked_requests: Iterable[int] = (),
) -> TimetableVersion:
    """Store a checked timetable as the event's new draft; older drafts are discarded. Flushes, never commits."""
    entries = _entries(event, problem, timetable, set(locked_requests))
    db.session.execute(
        update(TimetableVersion)
        .where(TimetableVersion.event_id == event.id, TimetableVersion.status == VersionStatus.DRAFT)
        .values(status=VersionStatus.DISCARDED)
    )
    version = TimetableVersion(
        event_id=event.id,
        number=next_version_number(event),
        status=VersionStatus.DRAFT,
        solver_status=solver_status,
        unscheduled=[_unscheduled_document(u) for u in timetable.unscheduled],
        entries=entries,
    )
    apply_figures(version, report, timetable.bound, timetable.stability)
    db.session.add(version)
    db.session.flush()
    return version


def next_version_number(event: Event) -> int:
    """Return the number the event's next version takes."""
    highest = db.session.scalar(select(func.max(TimetableVersion.number)).where(TimetableVersion.event_id == event.id))
    return (highest or 0) + 1


def apply_figures(
    version: TimetableVersion,
    report: CheckReport,
    bound: dict[str, int] | None = None,
    stability: dict[str, int] | None = None,
) -> None:
    """Copy the recomputed objective (and the solver's bounds, when known) onto a version."""
    version.served = report.objective.get("served")
    version.weight = report.objective.get("weight")
    version.breaks = report.objective.get("breaks")
    version.meeting_count = report.objective.get("meetings")
    if bound is not None:
        version.bound_served = bound.get("served")
        version.bound_weight = bound.get("weight")
        version.bound_breaks = bound.get("breaks")
    if stability is not None:
        version.moved = stability.get("moved", 0) + stability.get("dropped", 0)


def version_timetable(version: TimetableVersion, problem: Problem | None = None) -> Timetable:
    """Return a version in the spec's matching-timetable/1 form; with `problem`, list its other requests too."""
    meetings = sorted(
        (SpecMeeting(request_key(e.request_id), e.slot.code, e.table_number) for e in version.entries),
        key=lambda m: (m.slot, m.table, m.request),
    )
    unscheduled = [
        Unscheduled(
            request=request_key(u["request"]),
            reason=u.get("reason", ""),
            kind=u.get("kind", ""),
            parties=tuple(u.get("parties", ())),
            slots=tuple(u.get("slots", ())),
        )
        for u in version.unscheduled or []
    ]
    if problem is not None:
        listed = {m.request for m in meetings} | {u.request for u in unscheduled}
        unscheduled = [u for u in unscheduled if u.request in problem.request_by_id]
        unscheduled += [
            Unscheduled(r.id, "requested after this version was made", NEW_REQUEST, r.parties)
            for r in problem.requests
            if r.id not in listed
        ]
    status = version.solver_status if version.solver_status in ("optimal", "feasible") else "feasible"
    objective = {
        key: value
        for key, value in (
            ("served", version.served),
            ("weight", version.weight),
            ("meetings", version.meeting_count),
            ("breaks", version.breaks),
        )
        if value is not None
    }
    return Timetable(status=status, meetings=tuple(meetings), unscheduled=tuple(unscheduled), objective=objective)


def _entries(event: Event, problem: Problem, timetable: Timetable, locked: set[int]) -> list[TimetableEntry]:
    slot_ids = {slot.code: slot.id for slot in db.session.scalars(select(Slot).where(Slot.event_id == event.id))}
    wanted = {id_from_key(m.request, REQUEST_PREFIX) for m in timetable.meetings}
    requests = {
        r.id: r
        for r in db.session.scalars(
            select(MeetingRequest).where(MeetingRequest.event_id == event.id, MeetingRequest.id.in_(wanted - {None}))
        )
    }
    entries = []
    for meeting in timetable.meetings:
        request = requests.get(id_from_key(meeting.request, REQUEST_PREFIX) or -1)
        if request is None or meeting.slot not in slot_ids:
            raise TimetableMismatch(f"{meeting.request} / {meeting.slot}")
        host = problem.host_of(problem.request_by_id[meeting.request])
        entries.append(
            TimetableEntry(
                request_id=request.id,
                slot_id=slot_ids[meeting.slot],
                booth_id=request.booth_id if host is not None else None,
                table_number=meeting.table,
                locked=request.id in locked,
            )
        )
    return entries


def _unscheduled_document(item: Unscheduled) -> dict[str, object]:
    doc: dict[str, object] = {"request": id_from_key(item.request, REQUEST_PREFIX), "reason": item.reason}
    if item.kind:
        doc["kind"] = item.kind
    if item.parties:
        doc["parties"] = list(item.parties)
    if item.slots:
        doc["slots"] = list(item.slots)
    return doc


def touch(version: TimetableVersion) -> None:
    """Mark a draft as edited by hand now."""
    version.edited_at = utcnow()
    version.solver_status = "manual"


class NotPublished(Exception):
    """Raised when asked to start a draft from a version that is not the published one."""


def copy_to_draft(version: TimetableVersion) -> TimetableVersion:
    """Start a new draft from the published version, to adjust it by hand; older drafts are discarded."""
    if version.status != VersionStatus.PUBLISHED:
        raise NotPublished(version.id)
    db.session.execute(
        update(TimetableVersion)
        .where(TimetableVersion.event_id == version.event_id, TimetableVersion.status == VersionStatus.DRAFT)
        .values(status=VersionStatus.DISCARDED)
    )
    draft = TimetableVersion(
        event_id=version.event_id,
        number=next_version_number(version.event),
        status=VersionStatus.DRAFT,
        solver_status="manual",
        served=version.served,
        weight=version.weight,
        breaks=version.breaks,
        meeting_count=version.meeting_count,
        unscheduled=list(version.unscheduled or []),
        entries=[
            TimetableEntry(
                request_id=e.request_id,
                slot_id=e.slot_id,
                booth_id=e.booth_id,
                table_number=e.table_number,
                locked=e.locked,
            )
            for e in version.entries
        ],
    )
    db.session.add(draft)
    db.session.flush()
    return draft


def discard_draft(version: TimetableVersion) -> None:
    """Set a draft aside; the published version stays as it is."""
    if version.status == VersionStatus.DRAFT:
        version.status = VersionStatus.DISCARDED
        db.session.flush()
