"""What a moderator sees: their sessions, a session's people and attendees, the day's sessions now and next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Event,
    EventStatus,
    Organization,
    ProgrammeSession,
    Registration,
    Role,
    SessionPerson,
    SessionRole,
    SessionSignup,
    SignupStatus,
    User,
)
from app.phone import wa_link
from app.programme.signups import session_signups

STAGE_ORDER = {SessionRole.MODERATOR: 0, SessionRole.SPEAKER: 1, SessionRole.PANELIST: 2}


@dataclass(frozen=True)
class Contact:
    """A way to reach someone: a name, a WhatsApp number with its chat link, an email."""

    name: str
    whatsapp: str | None
    email: str | None

    @property
    def whatsapp_link(self) -> str | None:
        """Return a wa.me link to chat with the number."""
        return wa_link(self.whatsapp) if self.whatsapp else None


@dataclass(frozen=True)
class StagePerson:
    """A person on stage with their organization and where to reach them."""

    person: SessionPerson
    contacts: list[Contact]


@dataclass(frozen=True)
class SeatedAttendee:
    """What a moderator may know of a signed-up cooperative: its name and one representative to call."""

    signup: SessionSignup
    cooperative: str
    representative: Contact | None
    waiting_position: int | None


@dataclass(frozen=True)
class Topic:
    """A question or topic a cooperative asked the session to take up."""

    cooperative: str
    text: str


@dataclass
class SessionSheet:
    """Everything a moderator's session page and run sheet show."""

    session: ProgrammeSession
    stage: list[StagePerson]
    seated: list[SeatedAttendee]
    waiting: list[SeatedAttendee]
    topics: list[Topic]

    @property
    def checked_in(self) -> int:
        """Return how many seated cooperatives have arrived."""
        return sum(1 for a in self.seated if a.signup.checked_in_at is not None)


@dataclass
class DayProgramme:
    """One day's sessions of an event, filtered by room and time, with what is on now and next."""

    day: date
    days: list[date]
    rooms: list[str]
    sessions: list[ProgrammeSession]
    now_ids: set[int] = field(default_factory=set)
    next_ids: set[int] = field(default_factory=set)


def my_sessions(user: User) -> list[ProgrammeSession]:
    """Return the sessions the user moderates in time order; an organizer sees every session."""
    query = select(ProgrammeSession).options(
        selectinload(ProgrammeSession.people), selectinload(ProgrammeSession.event)
    )
    if user.role != Role.ORGANIZER:
        moderated = select(SessionPerson.session_id).where(
            SessionPerson.user_id == user.id, SessionPerson.role == SessionRole.MODERATOR
        )
        query = query.where(ProgrammeSession.id.in_(moderated))
    return list(db.session.scalars(query.order_by(ProgrammeSession.starts_at, ProgrammeSession.id)))


def session_for(user: User, session_id: int) -> ProgrammeSession | None:
    """Return the session when the user may moderate it, else None (a stranger learns nothing of it)."""
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or not session.can_moderate(user):
        return None
    return session


def signup_for(session: ProgrammeSession, signup_id: int) -> SessionSignup | None:
    """Return a sign-up of this session, else None."""
    signup = db.session.get(SessionSignup, signup_id)
    return signup if signup is not None and signup.session_id == session.id else None


def session_sheet(session: ProgrammeSession) -> SessionSheet:
    """Collect the session's people on stage, its seated and waiting cooperatives and their questions."""
    stage = [
        StagePerson(person=p, contacts=stage_contacts(p))
        for p in sorted(session.people, key=lambda p: (STAGE_ORDER[p.role], p.id))
    ]
    seated, waiting = [], []
    rank = 0
    for signup in session_signups(session):
        if signup.status == SignupStatus.WAITLISTED:
            rank += 1
        attendee = SeatedAttendee(
            signup=signup,
            cooperative=signup.organization.display_name,
            representative=_first_representative(signup.organization),
            waiting_position=rank if signup.status == SignupStatus.WAITLISTED else None,
        )
        (waiting if signup.status == SignupStatus.WAITLISTED else seated).append(attendee)
    return SessionSheet(session=session, stage=stage, seated=seated, waiting=waiting, topics=session_topics(session))


def stage_contacts(person: SessionPerson) -> list[Contact]:
    """Return how to reach a person on stage: their own contact, else their organization's representatives."""
    if person.whatsapp or person.email:
        return [Contact(person.name, person.whatsapp, person.email)]
    if person.organization is None:
        return []
    return [Contact(r.name, r.whatsapp, r.email) for r in person.organization.representatives]


def session_topics(session: ProgrammeSession) -> list[Topic]:
    """Return the questions for the session: asked at sign-up, and the topics given at registration."""
    if session.for_everyone:
        registrations = db.session.scalars(
            select(Registration)
            .where(Registration.event_id == session.event_id, Registration.topics.is_not(None))
            .options(selectinload(Registration.organization))
            .order_by(Registration.registered_at, Registration.id)
        ).all()
        return [Topic(r.organization.display_name, r.topics.strip()) for r in registrations if r.topics.strip()]
    topics = []
    for signup in session_signups(session):
        name = signup.organization.display_name
        if signup.question:
            topics.append(Topic(name, signup.question))
        if signup.registration.topics and signup.registration.topics.strip():
            topics.append(Topic(name, signup.registration.topics.strip()))
    return topics


def visible_event(user: User, event_id: int) -> Event | None:
    """Return the event when the user may read its day programme: organizers, and moderators of a public event."""
    event = db.session.get(Event, event_id)
    if event is None:
        return None
    if user.role == Role.ORGANIZER or event.status != EventStatus.DRAFT:
        return event
    return event if any(s.event_id == event.id for s in my_sessions(user)) else None


def day_programme(
    event: Event, now: datetime, day: date | None = None, room: str | None = None, after: time | None = None
) -> DayProgramme:
    """Return one day's sessions (today's while the event runs), filtered, with the ones on now and next."""
    zone = event.zone
    days = [d.date for d in event.days]
    today = now.astimezone(zone).date()
    if day not in days:
        day = today if today in days else (days[0] if days else today)
    sessions = [
        s
        for s in db.session.scalars(
            select(ProgrammeSession)
            .where(ProgrammeSession.event_id == event.id)
            .options(selectinload(ProgrammeSession.people))
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.room, ProgrammeSession.id)
        )
        if s.starts_at.astimezone(zone).date() == day
    ]
    rooms = sorted({s.room for s in sessions if s.room})
    now_ids, next_ids = _now_and_next(sessions, now)
    shown = [
        s
        for s in sessions
        if (not room or s.room == room) and (after is None or s.ends_at.astimezone(zone).time() > after)
    ]
    return DayProgramme(day=day, days=days, rooms=rooms, sessions=shown, now_ids=now_ids, next_ids=next_ids)


def _now_and_next(sessions: list[ProgrammeSession], now: datetime) -> tuple[set[int], set[int]]:
    """Return the sessions running now and, per room, the first one still to come."""
    live = [s for s in sessions if not s.cancelled]
    now_ids = {s.id for s in live if s.starts_at <= now < s.ends_at}
    next_by_room: dict[str | None, ProgrammeSession] = {}
    for session in live:
        if session.starts_at > now and session.room not in next_by_room:
            next_by_room[session.room] = session
    return now_ids, {s.id for s in next_by_room.values()}


def _first_representative(organization: Organization) -> Contact | None:
    for r in organization.representatives:
        return Contact(r.name, r.whatsapp, None)
    return None
