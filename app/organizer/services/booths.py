"""Booths of an event: the organization (picked or created), label, hall, tables, days and sectors offered."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Booth, Event, Meeting, MeetingRequest, Organization, OrganizationKind, Sector


class BoothError(ValueError):
    """Raised with a message for the organizer when a booth cannot be saved or removed."""


@dataclass(frozen=True)
class BoothDetails:
    """What the booth form gives: an existing organization or a new one's name, and the booth's set-up."""

    organization_id: int | None
    new_organization_name: str | None
    new_organization_short_name: str | None
    label: str | None
    hall: str | None
    table_count: int
    day_ids: list[int]
    sector_codes: list[str]


def list_booths(event: Event) -> list[Booth]:
    """Return the event's booths by label, then organization name."""
    return list(
        db.session.scalars(
            select(Booth)
            .join(Booth.organization)
            .where(Booth.event_id == event.id)
            .options(selectinload(Booth.organization).selectinload(Organization.offers), selectinload(Booth.days))
            .order_by(Booth.label, Organization.name)
        )
    )


def booth_organizations() -> list[Organization]:
    """Return the organizations that may hold a booth (everything but village cooperatives), by name."""
    return list(
        db.session.scalars(
            select(Organization).where(Organization.kind != OrganizationKind.COOPERATIVE).order_by(Organization.name)
        )
    )


def list_sectors() -> list[Sector]:
    """Return every sector by code."""
    return list(db.session.scalars(select(Sector).order_by(Sector.name_id)))


def save_booth(event: Event, details: BoothDetails, booth: Booth | None = None) -> Booth:
    """Create a booth (or change one): organization, label, hall, tables, days present and sectors offered."""
    organization = _organization_for(details)
    if booth is None or booth.organization_id != organization.id:
        clash = select(Booth.id).where(Booth.event_id == event.id, Booth.organization_id == organization.id)
        if db.session.scalar(clash):
            raise BoothError(_("%(name)s already has a booth at this event.", name=organization.display_name))
    if booth is not None and details.table_count < booth.table_count:
        _check_tables_free(booth, details.table_count)
    if booth is None:
        booth = Booth(event=event)
        db.session.add(booth)
    elif booth.organization_id != organization.id and _has_requests(booth):
        raise BoothError(_("This booth already has meeting requests; its organization cannot change."))
    booth.organization = organization
    booth.label = (details.label or "").strip() or None
    booth.hall = (details.hall or "").strip() or None
    booth.table_count = details.table_count
    booth.days = [d for d in event.days if d.id in set(details.day_ids)] or list(event.days)
    sectors = db.session.scalars(select(Sector).where(Sector.code.in_(details.sector_codes))).all()
    organization.offers = sorted(sectors, key=lambda s: s.code)
    db.session.flush()
    return booth


def _organization_for(details: BoothDetails) -> Organization:
    if details.organization_id:
        organization = db.session.get(Organization, details.organization_id)
        if organization is None or organization.kind == OrganizationKind.COOPERATIVE:
            raise BoothError(_("Choose an organization from the list."))
        return organization
    name = (details.new_organization_name or "").strip()
    if not name:
        raise BoothError(_("Choose an organization or fill in the name of a new one."))
    same = db.session.scalar(select(Organization).where(func.lower(Organization.name) == name.lower()))
    if same is not None:
        return same
    organization = Organization(
        kind=OrganizationKind.STATE_ENTERPRISE,
        name=name,
        short_name=(details.new_organization_short_name or "").strip() or None,
    )
    db.session.add(organization)
    db.session.flush()
    return organization


def _check_tables_free(booth: Booth, table_count: int) -> None:
    used = db.session.scalar(
        select(func.max(Meeting.table_number)).where(Meeting.booth_id == booth.id, Meeting.table_number > table_count)
    )
    if used:
        raise BoothError(_("Table %(num)d of this booth holds meetings, so the booth needs it.", num=used))


def _has_requests(booth: Booth) -> bool:
    return bool(db.session.scalar(select(exists().where(MeetingRequest.booth_id == booth.id))))


def remove_booth(booth: Booth) -> None:
    """Remove a booth that has no meeting requests yet (requests would be lost with it)."""
    if _has_requests(booth):
        raise BoothError(_("This booth has meeting requests. Decline or move them before removing the booth."))
    db.session.delete(booth)
    db.session.flush()


def add_sector(code: str, name_id: str, name_en: str) -> Sector:
    """Add a line of business that cooperatives need and booths offer."""
    code = code.strip().lower()
    if db.session.get(Sector, code) is not None:
        raise BoothError(_("The sector code %(code)s is already used.", code=code))
    sector = Sector(code=code, name_id=name_id.strip(), name_en=name_en.strip())
    db.session.add(sector)
    db.session.flush()
    return sector


def add_standard_sectors(standard: list[tuple[str, str, str]]) -> int:
    """Add the given (code, Indonesian name, English name) sectors that are missing; return how many."""
    added = 0
    for code, name_id, name_en in standard:
        if db.session.get(Sector, code) is None:
            db.session.add(Sector(code=code, name_id=name_id, name_en=name_en))
            added += 1
    db.session.flush()
    return added
