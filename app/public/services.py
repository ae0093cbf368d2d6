"""What the public event page shows, read from the database in a few queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Booth, Event, EventStatus, Organization, ProgrammeSession, Registration, utcnow


@dataclass(frozen=True)
class EventPage:
    """Everything the public page of an event shows."""

    sessions: list[ProgrammeSession]
    booths: list[Booth]
    registered: int
    registration: str  # "open", "not_yet", "closed" or "published"
    first_slot: datetime | None
    last_slot_end: datetime | None


def event_page(event: Event) -> EventPage:
    """Collect the programme, booths and registration figures of an event."""
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == event.id)
        .options(selectinload(ProgrammeSession.people))
        .order_by(ProgrammeSession.starts_at)
    ).all()
    booths = db.session.scalars(
        select(Booth)
        .where(Booth.event_id == event.id)
        .join(Booth.organization)
        .options(selectinload(Booth.organization).selectinload(Organization.offers), selectinload(Booth.days))
        .order_by(Booth.label, Organization.name)
    ).all()
    registered = db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    slots = event.slots
    return EventPage(
        sessions=list(sessions),
        booths=list(booths),
        registered=registered or 0,
        registration=registration_state(event),
        first_slot=slots[0].starts_at if slots else None,
        last_slot_end=slots[-1].ends_at if slots else None,
    )


def registration_state(event: Event, now: datetime | None = None) -> str:
    """Tell where registration stands now: open, not_yet (opens later), closed or published."""
    if event.status == EventStatus.PUBLISHED:
        return "published"
    if event.status != EventStatus.REGISTRATION_OPEN:
        return "not_yet" if event.status == EventStatus.DRAFT else "closed"
    now = now or utcnow()
    if event.registration_opens_at and now < event.registration_opens_at:
        return "not_yet"
    if event.registration_closes_at and now >= event.registration_closes_at:
        return "closed"
    return "open"


def is_registration_open(event: Event, now: datetime | None = None) -> bool:
    """Tell whether cooperatives can register now."""
    return registration_state(event, now) == "open"
