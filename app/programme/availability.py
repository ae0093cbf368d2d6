"""Who cannot meet when because of the programme: people on stage and cooperatives holding a seat."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, ProgrammeSession, Registration, SessionSignup, SignupStatus, Slot


def busy_slots(event: Event) -> dict[int, set[int]]:
    """Return, per organization id, the ids of slots it spends in sessions: on stage (plus changeover) or seated."""
    changeover = timedelta(minutes=event.changeover_minutes or 0)
    slots = db.session.scalars(select(Slot).where(Slot.event_id == event.id)).all()
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == event.id, ProgrammeSession.cancelled.is_(False))
        .options(selectinload(ProgrammeSession.people))
    ).all()
    busy: dict[int, set[int]] = defaultdict(set)
    for session in sessions:
        on_stage = _overlapping(slots, session.starts_at - changeover, session.ends_at + changeover)
        for person in session.people:
            if person.organization_id is not None:
                busy[person.organization_id] |= on_stage
    for organization_id, starts_at, ends_at in _seated(event):
        busy[organization_id] |= _overlapping(slots, starts_at, ends_at)
    return {org: ids for org, ids in busy.items() if ids}


def _overlapping(slots: list[Slot], start: datetime, end: datetime) -> set[int]:
    return {s.id for s in slots if s.starts_at < end and start < s.ends_at}


def _seated(event: Event) -> list[tuple[int, datetime, datetime]]:
    """Return (organization id, start, end) for every confirmed seat in a session that takes place."""
    rows = db.session.execute(
        select(Registration.organization_id, ProgrammeSession.starts_at, ProgrammeSession.ends_at)
        .select_from(SessionSignup)
        .join(SessionSignup.session)
        .join(SessionSignup.registration)
        .where(
            ProgrammeSession.event_id == event.id,
            ProgrammeSession.cancelled.is_(False),
            SessionSignup.status == SignupStatus.CONFIRMED,
        )
    ).all()
    return [(org_id, start, end) for org_id, start, end in rows]
