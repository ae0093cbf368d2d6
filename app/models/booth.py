"""A booth: an organization's stand at an event, with numbered tables, present on some days."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Event, EventDay
from app.models.organization import Organization

booth_days = Table(
    "booth_days",
    db.metadata,
    Column("booth_id", ForeignKey("booths.id", ondelete="CASCADE"), primary_key=True),
    Column("day_id", ForeignKey("event_days.id", ondelete="CASCADE"), primary_key=True),
)


class Booth(db.Model):
    """An organization's stand with `table_count` tables numbered 1..N."""

    __tablename__ = "booths"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(40))  # e.g. "A1" on the floor plan
    hall: Mapped[str | None] = mapped_column(String(120))
    table_count: Mapped[int] = mapped_column(Integer, default=1)
    # What the booth offers cooperatives, in a few lines kept up to date by its staff.
    description: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship()
    organization: Mapped[Organization] = relationship()
    days: Mapped[list[EventDay]] = relationship(secondary=booth_days, order_by=EventDay.date)

    @property
    def name(self) -> str:
        """Return the name shown for the booth: its organization's."""
        return self.organization.display_name
