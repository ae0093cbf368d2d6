"""An organization's registration for an event, with the hours it can attend."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Event
from app.models.organization import Organization
from app.models.types import UTCDateTime, utcnow


class Registration(db.Model):
    """A cooperative (or other guest) taking part in an event; booth holders take part through Booth."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    # A cooperative arriving late or leaving early: no meetings outside [available_from, available_until).
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    available_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Questions or topics the cooperative would like the panel sessions to take up (shown to moderators).
    topics: Mapped[str | None] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the attendee last confirmed having seen the agenda; changes after it are shown as news.
    agenda_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    organization: Mapped[Organization] = relationship()

    def is_available(self, starts_at: datetime, ends_at: datetime) -> bool:
        """Tell whether the guest is there for the whole of a slot."""
        if self.available_from and starts_at < self.available_from:
            return False
        return not (self.available_until and ends_at > self.available_until)
