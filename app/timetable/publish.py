"""Publishing a draft: it becomes the live timetable, applied to the Meeting rows attendees and calendars read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Booth,
    EventStatus,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    MeetingStatus,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
    utcnow,
)
from app.timetable.signals import timetable_published
from app.timetable.versions import previous_published

# Meetings that already took place (or not) are history: a new version never rewrites them.
SETTLED = (MeetingStatus.HELD, MeetingStatus.NO_SHOW)


class NotADraft(Exception):
    """Raised when asked to publish a version that is not the event's draft."""


@dataclass(frozen=True)
class Placement:
    """Where a meeting sits: a slot, a booth (None: shared tables) and a table number."""

    slot_id: int
    booth_id: int | None
    table_number: int


@dataclass(frozen=True)
class Change:
    """One meeting that is new, moved or cancelled between two versions, with the organizations it concerns."""

    request_id: int
    before: Placement | None
    after: Placement | None
    organization_ids: tuple[int, ...]
    meeting_id: int | None = None


@dataclass(frozen=True)
class TimetableDiff:
    """What changed from one version to the next, computed from the two versions."""

    new: tuple[Change, ...] = ()
    moved: tuple[Change, ...] = ()
    cancelled: tuple[Change, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        """Every change: new, then moved, then cancelled."""
        return self.new + self.moved + self.cancelled

    @property
    def affected_organization_ids(self) -> set[int]:
        """The organizations with at least one new, moved or cancelled meeting."""
        return {org for change in self.changes for org in change.organization_ids}

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing changed."""
        return not self.changes

    def with_meeting_ids(self, meeting_ids: dict[int, int]) -> TimetableDiff:
        """Return the same diff with the live meeting id of each change filled in."""

        def fill(changes: tuple[Change, ...]) -> tuple[Change, ...]:
            return tuple(
                Change(c.request_id, c.before, c.after, c.organization_ids, meeting_ids.get(c.request_id))
                for c in changes
            )

        return TimetableDiff(fill(self.new), fill(self.moved), fill(self.cancelled))


def diff_versions(old: TimetableVersion | None, new: TimetableVersion) -> TimetableDiff:
    """Compare two versions request by request: new, moved (other slot, booth or table) and cancelled meetings."""
    before = _placements(old.entries if old is not None else [])
    after = _placements(new.entries)
    parties = _parties(set(before) | set(after))
    added = tuple(Change(r, None, after[r], parties[r]) for r in sorted(after.keys() - before.keys()))
    moved = tuple(
        Change(r, before[r], after[r], parties[r])
        for r in sorted(after.keys() & before.keys())
        if before[r] != after[r]
    )
    gone = tuple(Change(r, before[r], None, parties[r]) for r in sorted(before.keys() - after.keys()))
    return TimetableDiff(added, moved, gone)


def diff_against_published(version: TimetableVersion) -> TimetableDiff:
    """Return what a version changes compared with the version published before it."""
    return diff_versions(previous_published(version), version)


def publish_version(version: TimetableVersion) -> TimetableDiff:
    """Make a draft the published version and apply it to the live meetings; flushes, the caller commits."""
    if version.status != VersionStatus.DRAFT:
        raise NotADraft(version.id)
    old = previous_published(version)
    diff = diff_versions(old, version)
    for published in db.session.scalars(
        select(TimetableVersion).where(
            TimetableVersion.event_id == version.event_id, TimetableVersion.status == VersionStatus.PUBLISHED
        )
    ):
        published.status = VersionStatus.SUPERSEDED
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    version.event.status = EventStatus.PUBLISHED
    db.session.flush()
    meeting_ids = apply_to_meetings(version)
    return diff.with_meeting_ids(meeting_ids)


def announce_published(version: TimetableVersion, diff: TimetableDiff) -> None:
    """Tell the listening areas (calendar updates, notifications) once the publication is committed."""
    timetable_published.send(version.event, version=version, diff=diff)


def apply_to_meetings(version: TimetableVersion) -> dict[int, int]:
    """Make the live meetings match the version; return the meeting id of each request it touched."""
    event_id = version.event_id
    entries = {e.request_id: e for e in version.entries}
    meetings = {m.request_id: m for m in db.session.scalars(select(Meeting).where(Meeting.event_id == event_id))}
    single_seat = _single_seat_parties(event_id, set(entries) | set(meetings))

    changing: list[tuple[Meeting, TimetableEntry | None]] = []
    for request_id, meeting in meetings.items():
        entry = entries.get(request_id)
        if meeting.status in SETTLED:
            continue
        if entry is None:
            if meeting.status != MeetingStatus.CANCELLED:
                changing.append((meeting, None))
        elif meeting.status == MeetingStatus.CANCELLED or _placement_of(meeting) != _placement_of(entry):
            changing.append((meeting, entry))
        else:
            meeting.locked = entry.locked
    # Two steps, so that meetings trading places never hold the same table or seat for a moment:
    # first every changing meeting gives up its place, then each takes its new one.
    for meeting, _entry in changing:
        meeting.seats.clear()
        meeting.status = MeetingStatus.CANCELLED
    db.session.flush()
    for meeting, entry in changing:
        meeting.revision += 1
        if entry is not None:
            _place(meeting, entry)
    db.session.flush()
    for meeting, entry in changing:
        if entry is not None:
            _seat(meeting, single_seat[meeting.request_id])
    for request_id, entry in entries.items():
        if request_id not in meetings:
            meeting = Meeting(event_id=event_id, request_id=request_id, revision=0)
            _place(meeting, entry)
            db.session.add(meeting)
            _seat(meeting, single_seat[request_id])
            meetings[request_id] = meeting
    db.session.flush()
    return {request_id: meeting.id for request_id, meeting in meetings.items()}


def _place(meeting: Meeting, entry: TimetableEntry) -> None:
    meeting.slot_id = entry.slot_id
    meeting.booth_id = entry.booth_id
    meeting.table_number = entry.table_number
    meeting.locked = entry.locked
    meeting.status = MeetingStatus.SCHEDULED


def _seat(meeting: Meeting, organization_ids: Iterable[int]) -> None:
    for organization_id in organization_ids:
        meeting.seats.append(MeetingSeat(organization_id=organization_id, slot_id=meeting.slot_id))


def _placement_of(row: Meeting | TimetableEntry) -> Placement:
    return Placement(row.slot_id, row.booth_id, row.table_number)


def _placements(entries: Iterable[TimetableEntry]) -> dict[int, Placement]:
    return {e.request_id: _placement_of(e) for e in entries}


def _parties(request_ids: set[int]) -> dict[int, tuple[int, int]]:
    if not request_ids:
        return {}
    rows = db.session.execute(
        select(MeetingRequest.id, MeetingRequest.requester_id, MeetingRequest.target_id).where(
            MeetingRequest.id.in_(request_ids)
        )
    )
    return {row.id: (row.requester_id, row.target_id) for row in rows}


def _single_seat_parties(event_id: int, request_ids: set[int]) -> dict[int, tuple[int, ...]]:
    """Per request, its organizations that sit in one meeting at a time: those without a booth at the event."""
    booth_holders = set(db.session.scalars(select(Booth.organization_id).where(Booth.event_id == event_id)))
    return {
        request_id: tuple(org for org in pair if org not in booth_holders)
        for request_id, pair in _parties(request_ids).items()
    }
