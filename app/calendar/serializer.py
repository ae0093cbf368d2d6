"""A pure iCalendar (RFC 5545) serializer: plain frozen objects in, bytes out; no Flask, no database.

Feeds (no METHOD) and iTIP messages (RFC 5546, METHOD:REQUEST / METHOD:CANCEL) are built the same way.
The content lines are written here directly, byte for byte as the `icalendar` library writes them (its
order of properties, its escaping of commas, semicolons and newlines, its quoting of parameters, CRLF line ends
and folding at 75 octets, all with its own helpers); building its component objects took a quarter of the time of
a feed. `icalendar` still works out each zone's VTIMEZONE (once per zone and process).
tests/calendar/test_serializer.py checks the output against `icalendar`'s own for many items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone
from icalendar.parser import Parameters, escape_char, foldline
from icalendar.prop import vDuration
from icalendar.timezone.tzid import tzid_from_tzinfo

PRODID = "-//Temu Bisnis//Kalender Temu Bisnis//ID"
DEFAULT_REFRESH = timedelta(hours=1)
# Octets of a folded piece of a content line (RFC 5545 3.1: lines of at most 75 octets, the fold's space included).
LINE_OCTETS = 74


class Method(StrEnum):
    """iTIP methods this app sends."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Person:
    """Someone named in an invitation: ORGANIZER or ATTENDEE."""

    email: str
    name: str | None = None


@dataclass(frozen=True)
class CalendarItem:
    """One meeting or session as a calendar event (VEVENT); every datetime aware."""

    uid: str  # never changes for the same meeting, e.g. meeting-42@temubisnis.example
    title: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime  # last change: DTSTAMP (in feeds) and LAST-MODIFIED
    sequence: int = 0  # rises with every change of time, place or status
    cancelled: bool = False
    location: str | None = None
    description: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    alarm_minutes: int | None = 15  # a reminder this many minutes before; None for none
    alarm_text: str | None = None
    organizer: Person | None = None
    attendees: tuple[Person, ...] = field(default_factory=tuple)


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
    # VCALENDAR's properties in icalendar's order: VERSION, PRODID, CALSCALE, METHOD, X-WR-CALDESC, NAME,
    # X-WR-CALNAME, then the others alphabetically.
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + escape_char(PRODID), "CALSCALE:GREGORIAN"]
    if method is not None:
        lines.append("METHOD:" + escape_char(method.value))
    else:
        if description:
            lines.append("X-WR-CALDESC:" + escape_char(description))
        lines.append("NAME:" + escape_char(name))
        lines.append("X-WR-CALNAME:" + escape_char(name))
        if refresh is not None:
            duration = _duration(refresh)
            lines.append("REFRESH-INTERVAL;VALUE=DURATION:" + duration)
            lines.append("X-PUBLISHED-TTL:" + duration)
        if timezone != "UTC":
            lines.append("X-WR-TIMEZONE:" + escape_char(timezone))
    zone = ZoneInfo(timezone)
    # RFC 5545 3.8.7.2: with a METHOD, DTSTAMP is when the message was made; without, when the data last changed.
    stamp = now.astimezone(UTC) if method is not None and now is not None else None
    out = [_fold(lines)]
    if timezone != "UTC":  # also keeps an empty calendar valid: RFC 5545 wants one component at least
        out.append(_vtimezone_text(timezone))
    for item in sorted(items, key=lambda i: (i.starts_at, i.uid)):
        out.append(_fold(_event_lines(item, zone, stamp, method)))
    out.append(b"END:VCALENDAR\r\n")
    return b"".join(out)


def vtimezone(tzid: str) -> Timezone:
    """Return a fresh VTIMEZONE component of a zone, from a copy computed once per zone."""
    return Timezone.from_ical(_vtimezone_text(tzid))


@lru_cache(maxsize=64)
def _vtimezone_text(tzid: str) -> bytes:
    # Working out a zone's transitions takes some 50-70 ms (icalendar asks callers to cache it); its text never
    # changes while the process runs.
    return Timezone.from_tzid(tzid).to_ical()


def _fold(lines: list[str]) -> bytes:
    return b"".join(_fold_line(line) for line in lines)


def _fold_line(line: str) -> bytes:
    """Return a content line with its CRLF, folded as icalendar's `foldline` folds it: pieces of at most 74 octets
    (a continuation line adds its leading space), never splitting a character; worked on the bytes at once."""
    data = line.encode("utf-8")
    if len(data) < LINE_OCTETS + 1:
        return data + b"\r\n"
    if len(data) == len(line):  # ASCII: icalendar's own fast path
        return foldline(line).encode("ascii") + b"\r\n"
    pieces, start = [], 0
    while len(data) - start > LINE_OCTETS:
        end = start + LINE_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: the character starts before it
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _event_lines(item: CalendarItem, zone: ZoneInfo, stamp: datetime | None, method: Method | None) -> list[str]:
    if item.starts_at.tzinfo is None or item.ends_at.tzinfo is None or item.updated_at.tzinfo is None:
        raise ValueError(f"{item.uid}: datetimes must be aware")
    changed = item.updated_at.astimezone(UTC).replace(microsecond=0)
    cancelled = item.cancelled or method == Method.CANCEL
    # icalendar's order for VEVENT: SUMMARY, DTSTART, DTEND, DTSTAMP, UID, SEQUENCE, then the others alphabetically.
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + escape_char(item.title),
        _datetime("DTSTART", item.starts_at.astimezone(zone)),
        _datetime("DTEND", item.ends_at.astimezone(zone)),
        _datetime("DTSTAMP", stamp.replace(microsecond=0) if stamp is not None else changed),
        "UID:" + escape_char(item.uid),
        f"SEQUENCE:{int(item.sequence)}",
    ]
    lines.extend(_address("ATTENDEE", person, role="REQ-PARTICIPANT") for person in item.attendees)
    if item.categories:
        lines.append("CATEGORIES:" + ",".join(escape_char(c) for c in item.categories))
    if item.description:
        lines.append("DESCRIPTION:" + escape_char(item.description))
    lines.append(_datetime("LAST-MODIFIED", changed))
    if item.location:
        lines.append("LOCATION:" + escape_char(item.location))
    if item.organizer is not None:
        lines.append(_address("ORGANIZER", item.organizer, role=None))
    lines.append("STATUS:" + ("CANCELLED" if cancelled else "CONFIRMED"))
    lines.append("TRANSP:" + ("TRANSPARENT" if cancelled else "OPAQUE"))
    if item.url:
        lines.append("URL:" + item.url)
    if item.alarm_minutes is not None and not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + escape_char(item.alarm_text or item.title),
            "TRIGGER:" + _duration(timedelta(minutes=-item.alarm_minutes)),
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _datetime(name: str, value: datetime) -> str:
    text = f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}"
    tzid = _tzid(value.tzinfo) or value.tzname()
    if tzid == "UTC":
        return f"{name}:{text}Z"
    if tzid:
        return f"{name};{Parameters({'TZID': tzid}).to_ical().decode('utf-8')}:{text}"
    return f"{name}:{text}"


@lru_cache(maxsize=64)
def _tzid(zone) -> str | None:
    return tzid_from_tzinfo(zone)


def _duration(value: timedelta) -> str:
    return vDuration(value).to_ical().decode("ascii")


def _address(name: str, person: Person, role: str | None) -> str:
    params = {"CN": person.name} if person.name else {}
    if role:
        params.update({"ROLE": role, "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
    value = f"mailto:{person.email}"
    if not params:
        return f"{name}:{value}"
    return f"{name};{Parameters(params).to_ical(sorted=True).decode('utf-8')}:{value}"
