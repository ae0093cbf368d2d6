"""A wish for a one-to-one meeting: who asks whom, how much it matters, where it stands."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.booth import Booth
from app.models.enums import string_enum
from app.models.event import Event
from app.models.organization import Organization
from app.models.types import UTCDateTime, utcnow


class RequestStatus(enum.StrEnum):
    """The answer to a meeting request."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# Requests the solver tries to place; declined and withdrawn ones are left out.
SCHEDULABLE_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class MeetingRequest(db.Model):
    """One organization asks to meet another at an event, usually a cooperative asking a booth."""

    __tablename__ = "meeting_requests"
    __table_args__ = (
        UniqueConstraint("event_id", "requester_id", "target_id"),
        CheckConstraint("requester_id <> target_id", name="not_self"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    # The booth whose tables host the meeting; None when neither side has a booth (shared tables).
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 1 low .. 3 high
    status: Mapped[RequestStatus] = mapped_column(string_enum(RequestStatus), default=RequestStatus.PENDING)
    # Both sides asked for the meeting; the solver weighs it more.
    mutual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    requester: Mapped[Organization] = relationship(foreign_keys=[requester_id])
    target: Mapped[Organization] = relationship(foreign_keys=[target_id])
    booth: Mapped[Booth | None] = relationship()

    @property
    def weight(self) -> int:
        """Return the request's worth to the solver: its priority, plus one when interest is mutual."""
        return self.priority + (1 if self.mutual else 0)

    @property
    def parties(self) -> tuple[Organization, Organization]:
        """Return the two organizations that would meet."""
        return self.requester, self.target
