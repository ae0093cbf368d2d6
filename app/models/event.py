"""An event (a business-matching day or several), its days, breaks and meeting slots."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.types import UTCDateTime, utcnow


class EventStatus(enum.StrEnum):
    """Where an event stands, from set-up to a published timetable."""

    DRAFT = "draft"
    REGISTRATION_OPEN = "registration_open"
    REGISTRATION_CLOSED = "registration_closed"
    PUBLISHED = "published"


class BreakKind(enum.StrEnum):
    """Why no meetings take place in a window of a day."""

    LUNCH = "lunch"
    PRAYER = "prayer"
    PLENARY = "plenary"
    OTHER = "other"


class Event(db.Model):
    """A business-matching event held by an organizer, in one timezone."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Jakarta")
    status: Mapped[EventStatus] = mapped_column(string_enum(EventStatus), default=EventStatus.DRAFT)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    gap_minutes: Mapped[int] = mapped_column(Integer, default=0)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Most meetings one cooperative may ask for; None means no cap.
    meeting_cap: Mapped[int | None] = mapped_column(Integer)
    # Minutes kept free before and after a session for the people on stage (0: none).
    changeover_minutes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Counts the changes to what the event's calendars and agendas show besides meetings, programme and seats (the
    # event, its days, slots, booths and rooms, the people on stage, the organizations taking part); written by
    # app.calendar.content_revision in the transaction of each such change, read by the cached feeds' fingerprint.
    content_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    days: Mapped[list[EventDay]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventDay.date"
    )
    breaks: Mapped[list[EventBreak]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventBreak.starts"
    )
    slots: Mapped[list[Slot]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )

    @property
    def zone(self) -> ZoneInfo:
        """Return the event's timezone."""
        return ZoneInfo(self.timezone)

    @property
    def is_published(self) -> bool:
        """Tell whether attendees may see the timetable."""
        return self.status == EventStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.slug}>"


class EventDay(db.Model):
    """One day of an event with its meeting window in local time."""

    __tablename__ = "event_days"
    __table_args__ = (UniqueConstraint("event_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    meetings_start: Mapped[time] = mapped_column(Time)
    meetings_end: Mapped[time] = mapped_column(Time)

    event: Mapped[Event] = relationship(back_populates="days")


class EventBreak(db.Model):
    """A window without meetings: lunch, a prayer time, a plenary session; on one day or on every day."""

    __tablename__ = "event_breaks"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # None: the break repeats on every day of the event.
    day_id: Mapped[int | None] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"))
    kind: Mapped[BreakKind] = mapped_column(string_enum(BreakKind), default=BreakKind.OTHER)
    title: Mapped[str] = mapped_column(String(120))
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    # Friday prayers (Sholat Jumat) replace Dzuhur on Fridays only.
    fridays_only: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="breaks")
    day: Mapped[EventDay | None] = relationship()


class Slot(db.Model):
    """A meeting slot of the event's grid, stored in UTC."""

    __tablename__ = "slots"
    __table_args__ = (UniqueConstraint("event_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Label the solver's `session` rule uses, e.g. "am" / "pm".
    session_label: Mapped[str | None] = mapped_column(String(20))

    event: Mapped[Event] = relationship(back_populates="slots")
    day: Mapped[EventDay] = relationship()

    @property
    def code(self) -> str:
        """Return the slot's id in the scheduling format, e.g. d20251008-0800 in local time."""
        local = self.starts_at.astimezone(self.event.zone)
        return local.strftime("d%Y%m%d-%H%M")
