"""The meeting-slot grid of an event, computed from day windows, slot length, gaps and breaks (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

FRIDAY = 4


@dataclass(frozen=True)
class DayWindow:
    """A day of the event and the local hours in which meetings may take place."""

    date: date
    start: time
    end: time


@dataclass(frozen=True)
class BreakWindow:
    """Local hours without meetings; on one date, on every day (date None), or on Fridays only."""

    start: time
    end: time
    date: date | None = None
    fridays_only: bool = False

    def applies_to(self, day: date) -> bool:
        """Tell whether the break falls on the given day."""
        if self.date is not None and self.date != day:
            return False
        return not (self.fridays_only and day.weekday() != FRIDAY)


@dataclass(frozen=True)
class SlotTimes:
    """One meeting slot: aware UTC start and end, the local day, and a session label (am / pm)."""

    starts_at: datetime
    ends_at: datetime
    day: date
    session: str


def generate_slot_grid(
    days: Iterable[DayWindow],
    slot_minutes: int,
    gap_minutes: int,
    breaks: Iterable[BreakWindow],
    timezone: str,
) -> list[SlotTimes]:
    """Return the slots of every day in order: back to back with gaps, resuming right after each break."""
    if slot_minutes <= 0:
        raise ValueError("slot length must be positive")
    if gap_minutes < 0:
        raise ValueError("gap between slots cannot be negative")
    zone = ZoneInfo(timezone)
    slot, gap = timedelta(minutes=slot_minutes), timedelta(minutes=gap_minutes)
    breaks = list(breaks)
    grid: list[SlotTimes] = []
    for day in sorted(days, key=lambda d: d.date):
        pauses = sorted(
            (_local(day.date, b.start, zone), _local(day.date, b.end, zone))
            for b in breaks
            if b.applies_to(day.date) and b.end > b.start
        )
        cursor, end = _local(day.date, day.start, zone), _local(day.date, day.end, zone)
        while cursor + slot <= end:
            clash = [p_end for p_start, p_end in pauses if p_start < cursor + slot and cursor < p_end]
            if clash:
                cursor = max(clash)
                continue
            session = "am" if cursor.time() < time(12, 0) else "pm"
            grid.append(SlotTimes(cursor.astimezone(UTC), (cursor + slot).astimezone(UTC), day.date, session))
            cursor += slot + gap
    return grid


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)
