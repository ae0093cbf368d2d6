"""Who cannot meet when because of the programme: people on stage (and, later, signed-up attendees)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, ProgrammeSession, Slot


def busy_slots(event: Event) -> dict[int, set[int]]:
    """Return, per organization id, the ids of slots in which its people are on stage (plus changeover)."""
    changeover = timedelta(minutes=event.changeover_minutes or 0)
    slots = db.session.scalars(select(Slot).where(Slot.event_id == event.id)).all()
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == event.id, ProgrammeSession.cancelled.is_(False))
        .options(selectinload(ProgrammeSession.people))
    ).all()
    busy: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        start, end = session.starts_at - changeover, session.ends_at + changeover
        overlapping = {s.id for s in slots if s.starts_at < end and start < s.ends_at}
        for person in session.people:
            if person.organization_id is not None:
                busy[person.organization_id] |= overlapping
    return dict(busy)
