"""People who log in, with one role and, for booth staff and attendees, an organization."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.enums import string_enum
from app.models.organization import Organization
from app.models.types import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a user may do."""

    ORGANIZER = "organizer"
    MODERATOR = "moderator"
    BOOTH_STAFF = "booth_staff"
    ATTENDEE = "attendee"


class User(UserMixin, db.Model):
    """A login: an organizer, a panel moderator, a booth staff member or an attendee."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(string_enum(Role))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step login with an authenticator app (TOTP, RFC 6238): the shared secret, when it was switched on,
    # and the last time step used, so a code cannot be replayed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    organization: Mapped[Organization | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_organizer(self) -> bool:
        """Tell whether the user runs events."""
        return self.role == Role.ORGANIZER

    @property
    def uses_two_factor(self) -> bool:
        """Tell whether logging in asks for an authenticator code after the password."""
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def belongs_to(self, organization_id: int | None) -> bool:
        """Tell whether the user speaks for the given organization."""
        return organization_id is not None and self.organization_id == organization_id
