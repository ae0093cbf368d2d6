"""The serializer as it was written with `icalendar`'s component objects: the reference the direct writer in
app/calendar/serializer.py must match byte for byte (tests/calendar/test_serializer.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vDuration, vText

from app.calendar.serializer import DEFAULT_REFRESH, PRODID, CalendarItem, Method, Person, _vtimezone_text


def build_calendar(
    name: str,
    items: Sequence[CalendarItem],
    *,
    timezone: str = "UTC",
    description: str | None = None,
    refresh: timedelta | None = DEFAULT_REFRESH,
    method: Method | None = None,
    now: datetime | None = None,
) -> bytes:
    """Return an iCalendar file of the items: times in `timezone` (with its VTIMEZONE), sorted by start.

    Without `method` it is a feed or a plain file: DTSTAMP is each item's last change, so the bytes depend
    only on the data. With a `method` it is an iTIP message and DTSTAMP is `now` (the time it is sent).
    """
    if method is not None and now is None:
        raise ValueError("an iTIP message needs `now` for its DTSTAMP")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method is not None:
        calendar.add("method", method.value)
    else:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        if description:
            calendar.add("x-wr-caldesc", description)
        if timezone != "UTC":
            calendar.add("x-wr-timezone", timezone)
        if refresh is not None:
            calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
            calendar.add("x-published-ttl", vDuration(refresh))
    zone = ZoneInfo(timezone)
    if timezone != "UTC":  # also keeps an empty calendar valid: RFC 5545 wants one component at least
        calendar.add_component(vtimezone(timezone))
    # RFC 5545 3.8.7.2: with a METHOD, DTSTAMP is when the message was made; without, when the data last changed.
    stamp = now.astimezone(UTC) if method is not None and now is not None else None
    for item in sorted(items, key=lambda i: (i.starts_at, i.uid)):
        calendar.add_component(_event(item, zone, stamp, method))
    return calendar.to_ical()


def vtimezone(tzid: str) -> Timezone:
    """Return a fresh VTIMEZONE component of a zone, from a copy computed once per zone."""
    return Timezone.from_ical(_vtimezone_text(tzid))


def _event(item: CalendarItem, zone: ZoneInfo, stamp: datetime | None, method: Method | None) -> Event:
    if item.starts_at.tzinfo is None or item.ends_at.tzinfo is None or item.updated_at.tzinfo is None:
        raise ValueError(f"{item.uid}: datetimes must be aware")
    event = Event()
    event.add("uid", item.uid)
    changed = item.updated_at.astimezone(UTC).replace(microsecond=0)
    event.add("dtstamp", stamp.replace(microsecond=0) if stamp is not None else changed)
    event.add("last-modified", changed)
    event.add("sequence", item.sequence)
    event.add("dtstart", item.starts_at.astimezone(zone))
    event.add("dtend", item.ends_at.astimezone(zone))
    event.add("summary", item.title)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", list(item.categories))
    cancelled = item.cancelled or method == Method.CANCEL
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if item.organizer is not None:
        event.add("organizer", _address(item.organizer, role=None))
    for person in item.attendees:
        event.add("attendee", _address(person, role="REQ-PARTICIPANT"))
    if item.alarm_minutes is not None and not cancelled:
        event.add_component(_alarm(item))
    return event


def _address(person: Person, role: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    if role:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "FALSE"
    return address


def _alarm(item: CalendarItem) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-item.alarm_minutes))
    alarm.add("description", item.alarm_text or item.title)
    return alarm
