"""An invitation to join as co-organizer, moderator or booth staff, accepted through a secret link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.event import Event
from app.models.organization import Organization
from app.models.types import UTCDateTime, utcnow
from app.models.user import Role, User


class Invitation(db.Model):
    """A pending account: the link's token is stored only as a hash, and the invitation can be revoked."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(string_enum(Role))
    # Booth staff speak for their booth's organization.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization | None] = relationship()
    event: Mapped[Event | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        """Tell whether the link may still be used: not accepted, not revoked, not expired."""
        now = now or utcnow()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    @property
    def state(self) -> str:
        """Return where the invitation stands: accepted, revoked, expired or pending."""
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "pending" if self.is_usable() else "expired"
