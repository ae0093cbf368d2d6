"""Whom moving or cancelling a session affects: people on stage, signed-up attendees, clashing meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Meeting,
    MeetingRequest,
    MeetingStatus,
    Organization,
    ProgrammeSession,
    SessionPerson,
    SessionSignup,
    Slot,
)
from app.programme.signups import session_signups


@dataclass(frozen=True)
class SessionSnapshot:
    """The parts of a session that attendees plan around: time, room, cancellation."""

    starts_at: datetime
    ends_at: datetime
    room: str | None
    cancelled: bool

    @classmethod
    def of(cls, session: ProgrammeSession) -> SessionSnapshot:
        """Return the session's current time, room and cancellation."""
        return cls(session.starts_at, session.ends_at, session.room, session.cancelled)

    def fingerprint(self) -> str:
        """Return a short text naming this state, to confirm that a previewed change is the one saved."""
        room = (self.room or "").strip()
        start, end = self.starts_at.astimezone(UTC).isoformat(), self.ends_at.astimezone(UTC).isoformat()
        return f"{start}|{end}|{room}|{int(self.cancelled)}"


@dataclass(frozen=True)
class Clash:
    """A published meeting held by an organization whose person is on stage at the session's new time."""

    meeting: Meeting
    on_stage: Organization
    cooperative: Organization


@dataclass
class Impact:
    """Everyone a change of a session touches."""

    people: list[SessionPerson] = field(default_factory=list)
    signups: list[SessionSignup] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Tell whether nobody is affected."""
        return not (self.people or self.signups or self.clashes)


def is_planning_change(before: SessionSnapshot, after: SessionSnapshot) -> bool:
    """Tell whether attendees must hear of a change: time, room or cancellation differ."""
    return before.fingerprint() != after.fingerprint()


def impact_of(session: ProgrammeSession, after: SessionSnapshot) -> Impact:
    """Return who is affected if the session takes the new time, room or cancellation."""
    before = SessionSnapshot.of(session)
    if not is_planning_change(before, after):
        return Impact()
    clashes = [] if after.cancelled else clashing_meetings(session, after.starts_at, after.ends_at)
    return Impact(people=list(session.people), signups=session_signups(session), clashes=clashes)


def clashing_meetings(session: ProgrammeSession, starts_at: datetime, ends_at: datetime) -> list[Clash]:
    """Return the scheduled meetings of the session's people's organizations that overlap the given time."""
    on_stage = {p.organization_id for p in session.people if p.organization_id is not None}
    if not on_stage:
        return []
    changeover = timedelta(minutes=session.event.changeover_minutes or 0)
    start, end = starts_at - changeover, ends_at + changeover
    meetings = db.session.scalars(
        select(Meeting)
        .join(Meeting.slot)
        .join(Meeting.request)
        .where(
            Meeting.event_id == session.event_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Slot.starts_at < end,
            Slot.ends_at > start,
            or_(MeetingRequest.requester_id.in_(on_stage), MeetingRequest.target_id.in_(on_stage)),
        )
        .options(
            selectinload(Meeting.slot),
            selectinload(Meeting.request).selectinload(MeetingRequest.requester),
            selectinload(Meeting.request).selectinload(MeetingRequest.target),
        )
        .order_by(Slot.starts_at, Meeting.table_number)
    ).all()
    clashes = []
    for meeting in meetings:
        busy, other = meeting.request.requester, meeting.request.target
        if busy.id not in on_stage:
            busy, other = other, busy
        clashes.append(Clash(meeting=meeting, on_stage=busy, cooperative=other))
    return clashes
