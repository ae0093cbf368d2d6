"""Setting up an event: details, days and their meeting windows, breaks, rooms and the status flow."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from app.events.services import SlotGridLocked, rebuild_slots
from app.extensions import db
from app.i18n import local_date, local_time
from app.models import BreakKind, Event, EventBreak, EventDay, EventStatus, Room, Slot

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The organizer moves an event along this flow; PUBLISHED is set by publishing a timetable.
STATUS_FLOW: dict[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.DRAFT: (EventStatus.REGISTRATION_OPEN,),
    EventStatus.REGISTRATION_OPEN: (EventStatus.DRAFT, EventStatus.REGISTRATION_CLOSED),
    EventStatus.REGISTRATION_CLOSED: (EventStatus.REGISTRATION_OPEN,),
    EventStatus.PUBLISHED: (),
}

# Quick-add prayer breaks, in local time: Dzuhur every day, Friday prayers on Fridays only.
PRAYER_PRESETS: dict[str, tuple[str, time, time, bool]] = {
    "dzuhur": ("Sholat Dzuhur", time(11, 45), time(12, 30), False),
    "jumat": ("Sholat Jumat", time(11, 30), time(13, 0), True),
}


class SetupError(ValueError):
    """Raised with a message for the organizer when a set-up change cannot be made."""


@dataclass(frozen=True)
class EventDetails:
    """What the details form gives: everything about the event except its days, breaks and booths."""

    name: str
    slug: str
    venue: str
    city: str | None
    description: str | None
    timezone: str
    slot_minutes: int
    gap_minutes: int
    registration_opens: datetime | None  # naive, in the event's local time
    registration_closes: datetime | None
    meeting_cap: int | None
    changeover_minutes: int


def slugify(text: str) -> str:
    """Return a URL-safe slug made from a name, e.g. temu-bisnis-kdkmp-pasuruan-2025."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "acara"


def list_events() -> list[Event]:
    """Return every event, newest first (organizers are trusted staff of the regency)."""
    return list(db.session.scalars(select(Event).order_by(Event.id.desc())))


def create_event(details: EventDetails) -> Event:
    """Create a draft event from the details form."""
    event = Event(status=EventStatus.DRAFT)
    _apply_details(event, details)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, details: EventDetails) -> list[Slot]:
    """Change an event's details and rebuild its slot grid (slot length, gap and timezone shape it)."""
    _apply_details(event, details)
    db.session.flush()
    return _rebuild(event)


def _apply_details(event: Event, details: EventDetails) -> None:
    slug = details.slug or slugify(details.name)
    if not SLUG_PATTERN.match(slug):
        raise SetupError(_("The web address may hold only small letters, digits and dashes."))
    taken = db.session.scalar(select(Event.id).where(Event.slug == slug, Event.id != (event.id or 0)))
    if taken:
        raise SetupError(_("Another event already uses the web address %(slug)s.", slug=slug))
    opens = _to_utc(details.registration_opens, details.timezone)
    closes = _to_utc(details.registration_closes, details.timezone)
    if opens and closes and closes <= opens:
        raise SetupError(_("Registration must close after it opens."))
    event.name, event.slug, event.venue = details.name.strip(), slug, details.venue.strip()
    event.city = (details.city or "").strip() or None
    event.description = (details.description or "").strip() or None
    event.timezone = details.timezone
    event.slot_minutes, event.gap_minutes = details.slot_minutes, details.gap_minutes
    event.registration_opens_at, event.registration_closes_at = opens, closes
    event.meeting_cap = details.meeting_cap or None
    event.changeover_minutes = details.changeover_minutes


def _to_utc(local: datetime | None, timezone: str) -> datetime | None:
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def change_status(event: Event, target: EventStatus) -> None:
    """Move the event along draft -> registration open -> closed (and back one step)."""
    if target not in STATUS_FLOW[event.status]:
        raise SetupError(_("The event cannot go from this status to that one."))
    if target == EventStatus.REGISTRATION_OPEN and not event.days:
        raise SetupError(_("Add at least one day before opening registration."))
    event.status = target
    db.session.flush()


def save_day(event: Event, day: date, starts: time, ends: time) -> list[Slot]:
    """Add a day with its meeting window, or change the window of an existing day; rebuild the slots."""
    if ends <= starts:
        raise SetupError(_("Meetings must end after they start."))
    existing = next((d for d in event.days if d.date == day), None)
    if existing:
        existing.meetings_start, existing.meetings_end = starts, ends
    else:
        event.days.append(EventDay(date=day, meetings_start=starts, meetings_end=ends))
    db.session.flush()
    return _rebuild(event)


def remove_day(event: Event, day: EventDay) -> list[Slot]:
    """Remove a day (its breaks go with it); refused when one of its slots holds meetings."""
    event.days.remove(day)
    for item in [b for b in event.breaks if b.day_id == day.id]:
        event.breaks.remove(item)
    return _rebuild(event)


@dataclass(frozen=True)
class BreakDetails:
    """A window without meetings: its name and kind, its times, and its day (None: every day) or Fridays only."""

    title: str
    kind: BreakKind
    starts: time
    ends: time
    day: EventDay | None = None
    fridays_only: bool = False


def add_break(event: Event, details: BreakDetails) -> list[Slot]:
    """Add a window without meetings (on one day or every day, or Fridays only) and rebuild the slots."""
    item = EventBreak()
    event.breaks.append(item)
    return change_break(event, item, details)


def change_break(event: Event, item: EventBreak, details: BreakDetails) -> list[Slot]:
    """Set a break's name, kind, times and days, and rebuild the slots."""
    if details.ends <= details.starts:
        raise SetupError(_("A break must end after it starts."))
    item.title, item.kind, item.starts, item.ends = details.title.strip(), details.kind, details.starts, details.ends
    item.day, item.fridays_only = details.day, details.fridays_only
    db.session.flush()
    return _rebuild(event)


def add_prayer_break(event: Event, preset: str) -> list[Slot]:
    """Quick-add Sholat Dzuhur (every day) or Sholat Jumat (Fridays only) with the usual times."""
    if preset not in PRAYER_PRESETS:
        raise SetupError(_("Unknown prayer time."))
    title, starts, ends, fridays_only = PRAYER_PRESETS[preset]
    if any(b.title == title for b in event.breaks):
        raise SetupError(_("%(title)s is already in the breaks.", title=title))
    return add_break(event, BreakDetails(title, BreakKind.PRAYER, starts, ends, None, fridays_only))


def remove_break(event: Event, item: EventBreak) -> list[Slot]:
    """Remove a break and rebuild the slots (the freed time becomes meeting slots)."""
    event.breaks.remove(item)
    db.session.flush()
    return _rebuild(event)


def _rebuild(event: Event) -> list[Slot]:
    """Rebuild the slot grid, turning a locked slot into a message the organizer can act on."""
    try:
        return rebuild_slots(event)
    except SlotGridLocked as locked:
        starts_at = locked.args[0]
        raise SetupError(
            _(
                "The slot at %(time)s on %(date)s already holds meetings, so it cannot be removed. "
                "Move or cancel those meetings first.",
                time=local_time(starts_at, event.timezone),
                date=local_date(starts_at, event.timezone),
            )
        ) from locked


def slot_grid(event: Event) -> list[tuple[EventDay, list[Slot]]]:
    """Return the stored slots grouped by day, for showing the grid."""
    by_day: dict[int, list[Slot]] = {d.id: [] for d in event.days}
    for slot in event.slots:
        by_day.setdefault(slot.day_id, []).append(slot)
    return [(d, by_day.get(d.id, [])) for d in event.days]


def add_room(event: Event, name: str, capacity: int | None) -> Room:
    """Add a room of the venue; names are unique within an event."""
    name = name.strip()
    if db.session.scalar(select(Room.id).where(Room.event_id == event.id, Room.name == name)):
        raise SetupError(_("There is already a room called %(name)s.", name=name))
    room = Room(event=event, name=name, capacity=capacity or None)
    db.session.add(room)
    db.session.flush()
    return room


def list_rooms(event: Event) -> list[Room]:
    """Return the event's rooms by name."""
    return list(db.session.scalars(select(Room).where(Room.event_id == event.id).order_by(Room.name)))


def remove_room(room: Room) -> None:
    """Remove a room."""
    db.session.delete(room)
    db.session.flush()
