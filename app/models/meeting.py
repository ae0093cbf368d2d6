"""A scheduled meeting as attendees see it, with the seats that make double booking impossible."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.booth import Booth
from app.models.enums import string_enum
from app.models.event import Event, Slot
from app.models.meeting_request import MeetingRequest
from app.models.organization import Organization
from app.models.types import UTCDateTime, partial_unique_index, utcnow


class MeetingStatus(enum.StrEnum):
    """What became of a meeting."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"
    NO_SHOW = "no_show"


ACTIVE = "status <> 'cancelled'"


class Meeting(db.Model):
    """The live (published) placement of a request; the same row moves between versions with a new revision."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("request_id"),
        # Target of the seats' composite key, so a seat always sits in its meeting's slot.
        UniqueConstraint("id", "slot_id", name="uq_meetings_id_slot"),
        CheckConstraint("table_number >= 1", name="table_positive"),
        # One meeting per booth table per slot, while the meeting stands.
        partial_unique_index("uq_meetings_booth_table_slot", "booth_id", "table_number", "slot_id", where=ACTIVE),
        # Meetings on the shared pool of tables (no booth): one per pool table per slot.
        partial_unique_index(
            "uq_meetings_pool_table_slot", "event_id", "table_number", "slot_id", where=f"booth_id IS NULL AND {ACTIVE}"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_requests.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    table_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[MeetingStatus] = mapped_column(string_enum(MeetingStatus), default=MeetingStatus.SCHEDULED)
    # Rises whenever time, table or status changes: calendar clients read it as SEQUENCE.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # Locked by the organizer: re-solving keeps it where it is.
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    request: Mapped[MeetingRequest] = relationship()
    slot: Mapped[Slot] = relationship()
    booth: Mapped[Booth | None] = relationship()
    seats: Mapped[list[MeetingSeat]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_updates=False
    )


class MeetingSeat(db.Model):
    """A single-seat party (a cooperative) sitting in a meeting: one seat per party per slot, enforced here."""

    __tablename__ = "meeting_seats"
    __table_args__ = (
        UniqueConstraint("organization_id", "slot_id"),
        # The seat follows its meeting when the meeting moves to another slot.
        ForeignKeyConstraint(
            ["meeting_id", "slot_id"],
            ["meetings.id", "meetings.slot_id"],
            name="fk_meeting_seats_meeting",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )

    meeting_id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    slot_id: Mapped[int] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="seats")
    organization: Mapped[Organization] = relationship()
