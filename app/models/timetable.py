"""Timetable versions (drafts from the solver, published snapshots) and their entries."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.booth import Booth
from app.models.enums import string_enum
from app.models.event import Event, Slot
from app.models.meeting_request import MeetingRequest
from app.models.types import UTCDateTime, partial_unique_index, utcnow


class VersionStatus(enum.StrEnum):
    """Where a timetable version stands."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


class TimetableVersion(db.Model):
    """A whole timetable of an event at one moment, with the solver's figures."""

    __tablename__ = "timetable_versions"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(string_enum(VersionStatus), default=VersionStatus.DRAFT)
    solver_status: Mapped[str | None] = mapped_column(String(20))  # optimal / feasible / manual / imported
    served: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[int | None] = mapped_column(Integer)
    meeting_count: Mapped[int | None] = mapped_column(Integer)
    breaks: Mapped[int | None] = mapped_column(Integer)
    bound_served: Mapped[int | None] = mapped_column(Integer)
    bound_weight: Mapped[int | None] = mapped_column(Integer)
    bound_breaks: Mapped[int | None] = mapped_column(Integer)
    moved: Mapped[int | None] = mapped_column(Integer)
    # Requests left out, as [{"request": id, "reason": text, "kind": ...}], straight from the solver.
    unscheduled: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last hand edit (move, swap, cancel, lock) of a draft.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    entries: Mapped[list[TimetableEntry]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="TimetableEntry.id"
    )


class TimetableEntry(db.Model):
    """One request placed in a slot at a table, within one version."""

    __tablename__ = "timetable_entries"
    __table_args__ = (
        UniqueConstraint("version_id", "request_id"),
        UniqueConstraint("version_id", "booth_id", "table_number", "slot_id"),
        # The constraint above lets rows without a booth repeat (NULLs differ): one entry per pool table per slot.
        partial_unique_index(
            "uq_timetable_entries_pool_table_slot", "version_id", "table_number", "slot_id", where="booth_id IS NULL"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("timetable_versions.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_requests.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    table_number: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(default=False)

    version: Mapped[TimetableVersion] = relationship(back_populates="entries")
    request: Mapped[MeetingRequest] = relationship()
    slot: Mapped[Slot] = relationship()
    booth: Mapped[Booth | None] = relationship()
