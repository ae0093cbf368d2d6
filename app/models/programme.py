"""Sessions of the day's programme (opening, talks, panels), the people on stage and the seat sign-ups."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.event import Event
from app.models.organization import Organization
from app.models.registration import Registration
from app.models.types import UTCDateTime, utcnow
from app.models.user import Role, User


class SessionKind(enum.StrEnum):
    """What kind of programme item a session is."""

    OPENING = "opening"
    PLENARY = "plenary"
    TALK = "talk"
    PANEL = "panel"
    WORKSHOP = "workshop"
    CLOSING = "closing"


class SessionRole(enum.StrEnum):
    """What a person does in a session."""

    MODERATOR = "moderator"
    SPEAKER = "speaker"
    PANELIST = "panelist"


class SignupStatus(enum.StrEnum):
    """Where an attendee's seat request for a session stands."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class ProgrammeSession(db.Model):
    """A programme item in a room at a time, e.g. the regent's opening or the partnership panel."""

    __tablename__ = "programme_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SessionKind] = mapped_column(string_enum(SessionKind))
    title: Mapped[str] = mapped_column(String(200))
    room: Mapped[str | None] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Everyone is expected (an opening, a plenary): no one-to-one meetings meanwhile.
    for_everyone: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)
    # Rises whenever time, room or cancellation changes: calendar clients read it as SEQUENCE.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    people: Mapped[list[SessionPerson]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPerson.id"
    )
    signups: Mapped[list[SessionSignup]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSignup.position"
    )

    def people_in(self, role: SessionRole) -> list[SessionPerson]:
        """Return the session's people with the given role."""
        return [p for p in self.people if p.role == role]

    @property
    def has_seat_limit(self) -> bool:
        """Tell whether attendees sign up for a limited number of seats."""
        return self.capacity is not None and not self.for_everyone

    def is_moderated_by(self, user: User) -> bool:
        """Tell whether the user is one of the session's moderators."""
        return any(p.role == SessionRole.MODERATOR and p.user_id == user.id for p in self.people)

    def can_moderate(self, user: User) -> bool:
        """Tell whether the user may open the session's moderator page: its moderators and organizers."""
        return user.role == Role.ORGANIZER or (user.role == Role.MODERATOR and self.is_moderated_by(user))


class SessionPerson(db.Model):
    """A moderator, speaker or panelist of a session; linked to a user account when they have one."""

    __tablename__ = "session_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True)
    role: Mapped[SessionRole] = mapped_column(string_enum(SessionRole))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(160))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The person's own contact, when the organizers have it (E.164 WhatsApp number, email).
    whatsapp: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))

    session: Mapped[ProgrammeSession] = relationship(back_populates="people")
    organization: Mapped[Organization | None] = relationship()
    user: Mapped[User | None] = relationship()


class SessionSignup(db.Model):
    """A cooperative's seat in a session with limited seats, or its place on the waiting list."""

    __tablename__ = "session_signups"
    __table_args__ = (UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("programme_sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(string_enum(SignupStatus), default=SignupStatus.CONFIRMED)
    # Order of arrival within the session; the waiting list fills freed seats in this order.
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A question the cooperative wants the panel to take up.
    question: Mapped[str | None] = mapped_column(Text)

    session: Mapped[ProgrammeSession] = relationship(back_populates="signups")
    registration: Mapped[Registration] = relationship()

    @property
    def organization(self) -> Organization:
        """Return the cooperative that signed up."""
        return self.registration.organization
