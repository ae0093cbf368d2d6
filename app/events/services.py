"""Services for an event's set-up: keeping the stored slot grid in line with days and breaks."""

from __future__ import annotations

from sqlalchemy import select

from app.events.slot_grid import BreakWindow, DayWindow, SlotTimes, generate_slot_grid
from app.extensions import db
from app.models import Event, Meeting, ProgrammeSession, Slot, TimetableEntry


class SlotGridLocked(Exception):
    """Raised when a new grid would drop a slot that already holds meetings."""


def event_break_windows(event: Event) -> list[BreakWindow]:
    """Return the event's breaks plus its for-everyone sessions (opening, plenary) as windows."""
    windows = [BreakWindow(b.starts, b.ends, b.day.date if b.day else None, b.fridays_only) for b in event.breaks]
    sessions = db.session.scalars(
        select(ProgrammeSession).where(
            ProgrammeSession.event_id == event.id,
            ProgrammeSession.for_everyone,
            ProgrammeSession.cancelled.is_(False),
        )
    )
    for session in sessions:
        start, end = session.starts_at.astimezone(event.zone), session.ends_at.astimezone(event.zone)
        windows.append(BreakWindow(start.time(), end.time(), start.date()))
    return windows


def planned_slots(event: Event) -> list[SlotTimes]:
    """Return the slot grid the event's current settings give."""
    days = [DayWindow(d.date, d.meetings_start, d.meetings_end) for d in event.days]
    return generate_slot_grid(days, event.slot_minutes, event.gap_minutes, event_break_windows(event), event.timezone)


def rebuild_slots(event: Event) -> list[Slot]:
    """Make the stored slots match the settings, keeping unchanged slots and refusing to drop used ones."""
    days_by_date = {d.date: d for d in event.days}
    wanted = {(s.starts_at, s.ends_at): s for s in planned_slots(event)}
    stale = []
    for slot in list(event.slots):
        if (slot.starts_at, slot.ends_at) in wanted:
            planned = wanted.pop((slot.starts_at, slot.ends_at))
            slot.session_label = planned.session
        else:
            stale.append(slot)
    used = used_slot_ids([s.id for s in stale if s.id is not None])
    for slot in sorted(stale, key=lambda s: s.starts_at):
        if slot.id in used:
            raise SlotGridLocked(slot.starts_at)
        event.slots.remove(slot)
    # Drop the old slots before adding new ones: a new slot may start where a dropped one did.
    db.session.flush()
    for planned in wanted.values():
        event.slots.append(
            Slot(
                starts_at=planned.starts_at,
                ends_at=planned.ends_at,
                day=days_by_date[planned.day],
                session_label=planned.session,
            )
        )
    db.session.flush()
    return sorted(event.slots, key=lambda s: s.starts_at)


def used_slot_ids(slot_ids: list[int]) -> set[int]:
    """Return those of the given slots that hold a live meeting or an entry of any timetable version."""
    if not slot_ids:
        return set()
    in_meetings = select(Meeting.slot_id).where(Meeting.slot_id.in_(slot_ids))
    in_versions = select(TimetableEntry.slot_id).where(TimetableEntry.slot_id.in_(slot_ids))
    return set(db.session.scalars(in_meetings.union(in_versions)))
