"""Organizations (village cooperatives, state-owned enterprises), their sectors and representatives."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.types import UTCDateTime, utcnow


class OrganizationKind(enum.StrEnum):
    """What kind of organization takes part."""

    COOPERATIVE = "cooperative"
    STATE_ENTERPRISE = "state_enterprise"
    OTHER = "other"


organization_needs = Table(
    "organization_needs",
    db.metadata,
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_code", ForeignKey("sectors.code", ondelete="CASCADE"), primary_key=True),
)

organization_offers = Table(
    "organization_offers",
    db.metadata,
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_code", ForeignKey("sectors.code", ondelete="CASCADE"), primary_key=True),
)


class Sector(db.Model):
    """A line of business that is needed or offered: rice, cooking oil, LPG, fertiliser, financing..."""

    __tablename__ = "sectors"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    def label(self, locale: str) -> str:
        """Return the sector's name in the given language."""
        return self.name_en if locale == "en" else self.name_id


class Organization(db.Model):
    """A cooperative, a state-owned enterprise or another organization that meets at events."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganizationKind] = mapped_column(string_enum(OrganizationKind))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(60))
    # Official area code of the village (desa/kelurahan) of a KDKMP, e.g. 35.14.09.2019; one KDKMP per village.
    village_code: Mapped[str | None] = mapped_column(String(13), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    needs: Mapped[list[Sector]] = relationship(secondary=organization_needs, order_by=Sector.code)
    offers: Mapped[list[Sector]] = relationship(secondary=organization_offers, order_by=Sector.code)
    representatives: Mapped[list[Representative]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Representative.id"
    )

    @property
    def display_name(self) -> str:
        """Return the short name when there is one, else the full name."""
        return self.short_name or self.name

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"


class Representative(db.Model):
    """A person who speaks for an organization: name, WhatsApp number, email."""

    __tablename__ = "representatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(120))
    # Stored in E.164 form (+62812...), the form wa.me links and SMS gateways take.
    whatsapp: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))

    organization: Mapped[Organization] = relationship(back_populates="representatives")
