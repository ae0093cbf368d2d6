"""Seat sign-ups for sessions with limited seats: confirmed seats, a waiting list in order, check-in."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ProgrammeSession, Registration, SessionSignup, SignupStatus, utcnow

OPEN_STATUSES = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


class SignupError(Exception):
    """A sign-up, leave or check-in the rules refuse; the message is for the user, already translated."""


def lock_session(session_id: int) -> ProgrammeSession:
    """Load a session and lock its row (PostgreSQL), so two sign-ups never count the same free seat."""
    session = db.session.execute(
        select(ProgrammeSession)
        .where(ProgrammeSession.id == session_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if session is None:
        raise SignupError(_("This session does not exist."))
    return session


def confirmed_count(session: ProgrammeSession) -> int:
    """Return how many seats of the session are taken, counted in the database."""
    return db.session.scalar(
        select(func.count())
        .select_from(SessionSignup)
        .where(SessionSignup.session_id == session.id, SessionSignup.status == SignupStatus.CONFIRMED)
    )


def free_seats(session: ProgrammeSession) -> int | None:
    """Return the number of free seats, or None when the session has no seat limit."""
    if session.capacity is None:
        return None
    return max(0, session.capacity - confirmed_count(session))


def find_signup(session: ProgrammeSession, registration: Registration) -> SessionSignup | None:
    """Return the registration's sign-up for the session (in any status), if there is one."""
    return db.session.scalar(
        select(SessionSignup).where(
            SessionSignup.session_id == session.id, SessionSignup.registration_id == registration.id
        )
    )


def sign_up(
    session_id: int, registration: Registration, question: str | None = None, now: datetime | None = None
) -> SessionSignup:
    """Give the cooperative a seat when one is free, else a place at the end of the waiting list."""
    session = lock_session(session_id)
    _check_open_for_signup(session, registration, now or utcnow())
    signup = find_signup(session, registration)
    if signup is not None and signup.status in OPEN_STATUSES:
        if question:
            signup.question = question.strip()
        return signup
    # Count before the new row exists, so autoflush cannot write a half-built sign-up.
    position, seats = _next_position(session), free_seats(session)
    if signup is None:
        signup = SessionSignup(session_id=session.id, registration_id=registration.id)
        db.session.add(signup)
    signup.position = position
    signup.created_at = now or utcnow()
    signup.checked_in_at = None
    signup.question = question.strip() if question and question.strip() else None
    signup.status = SignupStatus.CONFIRMED if seats is None or seats > 0 else SignupStatus.WAITLISTED
    db.session.flush()
    return signup


def leave(signup: SessionSignup) -> list[SessionSignup]:
    """Give up a seat or a place on the waiting list; return the waiting sign-ups that got the freed seat."""
    session = lock_session(signup.session_id)
    db.session.refresh(signup)
    if signup.status == SignupStatus.CANCELLED:
        return []
    signup.status = SignupStatus.CANCELLED
    signup.checked_in_at = None
    db.session.flush()
    return fill_freed_seats(session)


def fill_freed_seats(session: ProgrammeSession) -> list[SessionSignup]:
    """Move waiting sign-ups, first come first served, into the seats that are free; return them."""
    waiting = db.session.scalars(
        select(SessionSignup)
        .where(SessionSignup.session_id == session.id, SessionSignup.status == SignupStatus.WAITLISTED)
        .order_by(SessionSignup.position)
    ).all()
    seats = free_seats(session)
    promoted = waiting if seats is None else waiting[:seats]
    for signup in promoted:
        signup.status = SignupStatus.CONFIRMED
    db.session.flush()
    return list(promoted)


def waiting_position(signup: SessionSignup) -> int | None:
    """Return the sign-up's place on the waiting list (1 is next), or None when it is not waiting."""
    if signup.status != SignupStatus.WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(SessionSignup)
        .where(
            SessionSignup.session_id == signup.session_id,
            SessionSignup.status == SignupStatus.WAITLISTED,
            SessionSignup.position <= signup.position,
        )
    )


def session_signups(session: ProgrammeSession) -> list[SessionSignup]:
    """Return the session's open sign-ups, seats first then the waiting list, each in order of arrival."""
    signups = db.session.scalars(
        select(SessionSignup)
        .where(SessionSignup.session_id == session.id, SessionSignup.status.in_(OPEN_STATUSES))
        .options(selectinload(SessionSignup.registration).selectinload(Registration.organization))
        .order_by(SessionSignup.position)
    ).all()
    return sorted(signups, key=lambda s: (s.status != SignupStatus.CONFIRMED, s.position))


def check_in(signup: SessionSignup, now: datetime | None = None) -> SessionSignup:
    """Record that the cooperative holding a seat has arrived (checking in twice keeps the first time)."""
    if signup.status != SignupStatus.CONFIRMED:
        raise SignupError(_("Only attendees with a seat can be checked in."))
    if signup.checked_in_at is None:
        signup.checked_in_at = now or utcnow()
    db.session.flush()
    return signup


def undo_check_in(signup: SessionSignup) -> SessionSignup:
    """Take back a check-in made by mistake."""
    signup.checked_in_at = None
    db.session.flush()
    return signup


def _check_open_for_signup(session: ProgrammeSession, registration: Registration, now: datetime) -> None:
    if registration.event_id != session.event_id:
        raise SignupError(_("This session belongs to another event."))
    if session.cancelled:
        raise SignupError(_("This session is cancelled."))
    if session.for_everyone:
        raise SignupError(_("Everyone attends this session; no sign-up is needed."))
    if session.ends_at <= now:
        raise SignupError(_("This session is over."))


def _next_position(session: ProgrammeSession) -> int:
    highest = db.session.scalar(select(func.max(SessionSignup.position)).where(SessionSignup.session_id == session.id))
    return (highest or 0) + 1
