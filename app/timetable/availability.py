"""Who cannot meet when: one small function per source of unavailability, each returning slot ids."""

from __future__ import annotations

from collections.abc import Iterable

from app.models import Booth, Event, Registration, Slot
from app.programme.availability import busy_slots


def booth_absent_slots(booth: Booth, slots: Iterable[Slot]) -> set[int]:
    """Return the ids of slots on days the booth is not staffed (a booth with no days chosen is there every day)."""
    present_days = {day.id for day in booth.days}
    if not present_days:
        return set()
    return {slot.id for slot in slots if slot.day_id not in present_days}


def guest_unavailable_slots(registration: Registration, slots: Iterable[Slot]) -> set[int]:
    """Return the ids of slots outside the hours a registered guest said it can attend."""
    return {slot.id for slot in slots if not registration.is_available(slot.starts_at, slot.ends_at)}


def on_stage_slots(event: Event) -> dict[int, set[int]]:
    """Return, per organization id, the ids of slots its people spend on the programme's stage."""
    return busy_slots(event)
