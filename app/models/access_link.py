"""Personal access links: a secret token lets a registered cooperative return without a password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Event
from app.models.organization import Organization
from app.models.registration import Registration
from app.models.types import UTCDateTime, utcnow


class AccessLink(db.Model):
    """A registration's secret link; only the token's SHA-256 hash is stored, and it can be revoked."""

    __tablename__ = "access_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration] = relationship()
    organization: Mapped[Organization] = relationship()

    @property
    def is_active(self) -> bool:
        """Tell whether the link still opens the attendee's pages."""
        return self.revoked_at is None

    def revoke(self) -> None:
        """Stop the link from working, at once and for good."""
        if self.revoked_at is None:
            self.revoked_at = utcnow()
