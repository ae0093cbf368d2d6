"""The organizer's work on the programme: sessions, people on stage, moves and cancellations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.events.services import SlotGridLocked, rebuild_slots
from app.extensions import db
from app.i18n import local_time
from app.models import (
    Booth,
    Event,
    Organization,
    ProgrammeSession,
    Registration,
    Role,
    Room,
    SessionKind,
    SessionPerson,
    SessionRole,
    SessionSignup,
    SignupStatus,
    User,
)
from app.programme.changes import Impact, SessionSnapshot, impact_of, is_planning_change
from app.programme.notices import Notice, change_notices, seat_notices
from app.programme.signups import confirmed_count, fill_freed_seats, lock_session


class ProgrammeError(Exception):
    """A change of the programme the rules refuse; the message is for the user, already translated."""


@dataclass(frozen=True)
class SessionInput:
    """What the organizer entered for a session, with times already in UTC."""

    title: str
    kind: SessionKind
    room: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = None
    for_everyone: bool = False
    description: str | None = None

    def snapshot(self, cancelled: bool = False) -> SessionSnapshot:
        """Return the time, room and cancellation this input would give."""
        return SessionSnapshot(self.starts_at, self.ends_at, self.room, cancelled)


@dataclass(frozen=True)
class PersonInput:
    """A moderator, speaker or panelist as the organizer entered them."""

    role: SessionRole
    name: str
    position: str | None = None
    organization_id: int | None = None
    user_id: int | None = None
    whatsapp: str | None = None
    email: str | None = None


@dataclass
class ChangeResult:
    """A saved change: whom it affected and the emails to send once the change is committed."""

    session: ProgrammeSession
    impact: Impact = field(default_factory=Impact)
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class SeatCount:
    """How full a session is."""

    confirmed: int
    waiting: int
    capacity: int | None


def event_sessions(event: Event) -> list[ProgrammeSession]:
    """Return the event's sessions in time order, with their people."""
    return list(
        db.session.scalars(
            select(ProgrammeSession)
            .where(ProgrammeSession.event_id == event.id)
            .options(selectinload(ProgrammeSession.people).selectinload(SessionPerson.organization))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
        )
    )


def seat_counts(event: Event) -> dict[int, SeatCount]:
    """Return, per session id of the event, its taken seats and waiting list length."""
    rows = db.session.execute(
        select(SessionSignup.session_id, SessionSignup.status, func.count())
        .join(SessionSignup.session)
        .where(ProgrammeSession.event_id == event.id)
        .group_by(SessionSignup.session_id, SessionSignup.status)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for session_id, status, number in rows:
        counts.setdefault(session_id, {})[status] = number
    return {
        s.id: SeatCount(
            confirmed=counts.get(s.id, {}).get(SignupStatus.CONFIRMED, 0),
            waiting=counts.get(s.id, {}).get(SignupStatus.WAITLISTED, 0),
            capacity=s.capacity,
        )
        for s in event_sessions(event)
    }


def create_session(event: Event, data: SessionInput) -> ProgrammeSession:
    """Add a session to the programme; a for-everyone session frees its time of meetings in the slot grid."""
    _check_session(event, data, None)
    session = ProgrammeSession(event=event)
    _apply(session, data)
    db.session.add(session)
    db.session.flush()
    if data.for_everyone:
        _rebuild_grid(event)
    return session


def preview_update(session: ProgrammeSession, data: SessionInput) -> Impact:
    """Return who a change of time or room would affect, without saving it."""
    return impact_of(session, data.snapshot(session.cancelled))


def update_session(session: ProgrammeSession, data: SessionInput) -> ChangeResult:
    """Save a session's new details; a new time or room raises its revision and notifies those affected."""
    session = lock_session(session.id)
    _check_session(session.event, data, session)
    taken = confirmed_count(session)
    if data.capacity is not None and data.capacity < taken and not data.for_everyone:
        raise ProgrammeError(
            _(
                "%(taken)d cooperatives already hold a seat: the capacity cannot be lower than that.",
                taken=taken,
            )
        )
    before = SessionSnapshot.of(session)
    impact = impact_of(session, data.snapshot(session.cancelled))
    grid_involved = session.for_everyone or data.for_everyone
    _apply(session, data)
    if is_planning_change(before, SessionSnapshot.of(session)):
        session.revision += 1
    db.session.flush()
    if grid_involved:
        _rebuild_grid(session.event)
    promoted = fill_freed_seats(session)
    notices = change_notices(session, before, impact) if not impact.is_empty else []
    return ChangeResult(session=session, impact=impact, notices=notices + seat_notices(promoted))


def preview_cancel(session: ProgrammeSession) -> Impact:
    """Return who cancelling the session would affect."""
    return impact_of(session, _with_cancelled(session, True))


def cancel_session(session: ProgrammeSession) -> ChangeResult:
    """Cancel a session (its sign-ups are kept, should it take place after all) and notify those affected."""
    return _set_cancelled(session, True)


def reinstate_session(session: ProgrammeSession) -> ChangeResult:
    """Let a cancelled session take place after all, at its time, and notify those affected."""
    _check_session(session.event, _input_of(session), session)
    return _set_cancelled(session, False)


def delete_session(session: ProgrammeSession) -> None:
    """Remove a session entered by mistake; one with sign-ups must be cancelled instead."""
    if any(s.status != SignupStatus.CANCELLED for s in session.signups):
        raise ProgrammeError(_("Cooperatives have signed up for this session: cancel it instead, so they are told."))
    event, for_everyone = session.event, session.for_everyone
    db.session.delete(session)
    db.session.flush()
    if for_everyone:
        db.session.refresh(event)
        _rebuild_grid(event)


def add_person(session: ProgrammeSession, data: PersonInput) -> SessionPerson:
    """Put a moderator, speaker or panelist on the session's stage."""
    if data.organization_id is not None and db.session.get(Organization, data.organization_id) is None:
        raise ProgrammeError(_("This organization does not exist."))
    if data.user_id is not None:
        user = db.session.get(User, data.user_id)
        if user is None or user.role not in (Role.MODERATOR, Role.ORGANIZER):
            raise ProgrammeError(_("Only moderator or organizer accounts can be linked."))
    person = SessionPerson(
        role=data.role,
        name=data.name.strip(),
        position=(data.position or "").strip() or None,
        organization_id=data.organization_id,
        user_id=data.user_id,
        whatsapp=data.whatsapp,
        email=(data.email or "").strip() or None,
    )
    session.people.append(person)
    db.session.flush()
    return person


def remove_person(person: SessionPerson) -> None:
    """Take a person off the session's stage."""
    person.session.people.remove(person)
    db.session.flush()


def organization_choices(event: Event) -> list[Organization]:
    """Return the organizations that can be on stage: the event's booth holders, then its registered guests."""
    booth_orgs = db.session.scalars(
        select(Organization).join(Booth, Booth.organization_id == Organization.id).where(Booth.event_id == event.id)
    ).all()
    guests = db.session.scalars(
        select(Organization)
        .join(Registration, Registration.organization_id == Organization.id)
        .where(Registration.event_id == event.id)
    ).all()
    seen: set[int] = set()
    ordered = []
    for org in sorted(booth_orgs, key=lambda o: o.display_name) + sorted(guests, key=lambda o: o.display_name):
        if org.id not in seen:
            seen.add(org.id)
            ordered.append(org)
    return ordered


def room_names(event: Event) -> list[str]:
    """Return the rooms to suggest for a session: the venue's rooms set up for the event, and rooms already used."""
    rooms = db.session.scalars(select(Room.name).where(Room.event_id == event.id)).all()
    used = db.session.scalars(
        select(ProgrammeSession.room).where(ProgrammeSession.event_id == event.id, ProgrammeSession.room.is_not(None))
    ).all()
    return sorted(set(rooms) | set(used))


def moderator_accounts() -> list[User]:
    """Return the active accounts that can moderate a session: moderators, then organizers."""
    users = db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_((Role.MODERATOR, Role.ORGANIZER)))
    ).all()
    return sorted(users, key=lambda u: (u.role != Role.MODERATOR, u.name))


def _set_cancelled(session: ProgrammeSession, cancelled: bool) -> ChangeResult:
    session = lock_session(session.id)
    if session.cancelled == cancelled:
        return ChangeResult(session=session)
    before = SessionSnapshot.of(session)
    impact = impact_of(session, _with_cancelled(session, cancelled))
    session.cancelled = cancelled
    session.revision += 1
    db.session.flush()
    if session.for_everyone:
        _rebuild_grid(session.event)
    return ChangeResult(session=session, impact=impact, notices=change_notices(session, before, impact))


def _with_cancelled(session: ProgrammeSession, cancelled: bool) -> SessionSnapshot:
    return SessionSnapshot(session.starts_at, session.ends_at, session.room, cancelled)


def _input_of(session: ProgrammeSession) -> SessionInput:
    return SessionInput(
        title=session.title,
        kind=session.kind,
        room=session.room,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        for_everyone=session.for_everyone,
        description=session.description,
    )


def _apply(session: ProgrammeSession, data: SessionInput) -> None:
    session.title = data.title.strip()
    session.kind = data.kind
    session.room = (data.room or "").strip() or None
    session.starts_at = data.starts_at
    session.ends_at = data.ends_at
    session.capacity = data.capacity
    session.for_everyone = data.for_everyone
    session.description = (data.description or "").strip() or None


def _check_session(event: Event, data: SessionInput, session: ProgrammeSession | None) -> None:
    if data.ends_at <= data.starts_at:
        raise ProgrammeError(_("The session must end after it starts."))
    day = data.starts_at.astimezone(event.zone).date()
    if day not in {d.date for d in event.days}:
        raise ProgrammeError(_("The session must be on one of the event's days."))
    room = (data.room or "").strip().lower()
    if not room:
        return
    others = db.session.scalars(
        select(ProgrammeSession).where(
            ProgrammeSession.event_id == event.id,
            ProgrammeSession.cancelled.is_(False),
            ProgrammeSession.starts_at < data.ends_at,
            ProgrammeSession.ends_at > data.starts_at,
        )
    ).all()
    for other in others:
        if other is not session and (other.room or "").strip().lower() == room:
            raise ProgrammeError(
                _(
                    "%(room)s is already used by “%(title)s” from %(start)s to %(end)s.",
                    room=other.room,
                    title=other.title,
                    start=local_time(other.starts_at, event.timezone, False),
                    end=local_time(other.ends_at, event.timezone),
                )
            )


def _rebuild_grid(event: Event) -> None:
    try:
        rebuild_slots(event)
    except SlotGridLocked as locked:
        at = locked.args[0]
        raise ProgrammeError(
            _(
                "Meetings are already scheduled at %(time)s, when everyone is expected at a session. "
                "Move those meetings first, or do not mark the session as one for all attendees.",
                time=local_time(at, event.timezone),
            )
        ) from locked
