"""Calendar feeds: secret subscription links (stored hashed) to one person's or one booth's meetings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.booth import Booth
from app.models.enums import string_enum
from app.models.event import Event
from app.models.organization import Organization
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class FeedKind(enum.StrEnum):
    """Whose slots a feed carries."""

    ATTENDEE = "attendee"  # an organization's meetings and the sessions it attends
    BOOTH = "booth"  # every table of a booth
    BOOTH_TABLE = "booth_table"  # one table of a booth
    MODERATOR = "moderator"  # the sessions a user moderates or speaks in
    PROGRAMME = "programme"  # the event's public programme


class CalendarFeed(db.Model):
    """One subscription link of an event for one subject; only the SHA-256 of its token is kept."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint("table_number IS NULL OR table_number >= 1", name="table_positive"),
        Index("ix_calendar_feeds_subject", "event_id", "kind", "organization_id", "booth_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FeedKind] = mapped_column(string_enum(FeedKind))
    # The subject: an organization (attendee), a booth (+ table), a user (moderator); none for the programme.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    table_number: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Language of the texts inside the feed (descriptions, reminders): "id" or "en".
    locale: Mapped[str] = mapped_column(String(5), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    organization: Mapped[Organization | None] = relationship()
    booth: Mapped[Booth | None] = relationship()
    user: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Tell whether the link still answers: neither revoked nor expired at `now`."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.kind} event={self.event_id}>"
