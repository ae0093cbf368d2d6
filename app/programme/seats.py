"""What a cooperative sees of the sessions it can sign up for: free seats, its place, clashes with its meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Meeting,
    MeetingRequest,
    MeetingStatus,
    ProgrammeSession,
    Registration,
    SessionSignup,
    Slot,
)
from app.programme.signups import OPEN_STATUSES, free_seats, waiting_position


@dataclass(frozen=True)
class SessionChoice:
    """One session as a cooperative sees it: can it still get a seat, where it stands, what it would miss."""

    session: ProgrammeSession
    signup: SessionSignup | None
    waiting_position: int | None
    free_seats: int | None
    open_for_signup: bool
    clashing_meetings: list[Meeting] = field(default_factory=list)


def session_choices(registration: Registration, now: datetime) -> list[SessionChoice]:
    """Return the event's sessions (not the ones for everyone) with the cooperative's place in each."""
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == registration.event_id, ProgrammeSession.for_everyone.is_(False))
        .options(selectinload(ProgrammeSession.people))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    mine = {
        s.session_id: s
        for s in db.session.scalars(
            select(SessionSignup).where(
                SessionSignup.registration_id == registration.id, SessionSignup.status.in_(OPEN_STATUSES)
            )
        )
    }
    meetings = _my_meetings(registration)
    return [
        SessionChoice(
            session=s,
            signup=mine.get(s.id),
            waiting_position=waiting_position(mine[s.id]) if s.id in mine else None,
            free_seats=free_seats(s),
            open_for_signup=not s.cancelled and s.ends_at > now,
            clashing_meetings=[m for m in meetings if m.slot.starts_at < s.ends_at and s.starts_at < m.slot.ends_at],
        )
        for s in sessions
    ]


def find_session(registration: Registration, session_id: int) -> ProgrammeSession | None:
    """Return a session of the cooperative's event, else None."""
    session = db.session.get(ProgrammeSession, session_id)
    return session if session is not None and session.event_id == registration.event_id else None


def _my_meetings(registration: Registration) -> list[Meeting]:
    org = registration.organization_id
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Meeting.request)
            .join(Meeting.slot)
            .where(
                Meeting.event_id == registration.event_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                or_(MeetingRequest.requester_id == org, MeetingRequest.target_id == org),
            )
            .options(selectinload(Meeting.slot), selectinload(Meeting.booth))
            .order_by(Slot.starts_at)
        )
    )
