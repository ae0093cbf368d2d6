"""Independent readers of iCalendar files: what real calendar apps and servers do with our bytes."""

from __future__ import annotations

import re

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream

CONTENT_LINE_OCTETS = 75


def assert_wellformed(body: bytes) -> None:
    """Check the RFC 5545 framing: CRLF line ends only, no line over 75 octets, folded lines start with a space."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "a bare LF in the file"
    assert b"\r" not in body.replace(b"\r\n", b""), "a bare CR in the file"
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= CONTENT_LINE_OCTETS, line
        assert line, "an empty line inside the calendar"
    assert not re.search(rb"^METHOD:", body, re.M) or b"BEGIN:VCALENDAR\r\n" in body


def parse_with_icalendar(body: bytes) -> icalendar.Calendar:
    """Parse with `icalendar` and fail on any component or property it could not read."""
    calendar = icalendar.Calendar.from_ical(body)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    defined = {tz.tz_name for tz in calendar.timezones}
    assert calendar.get_used_tzids() <= defined, "a TZID without its VTIMEZONE"
    return calendar


def parse_with_vobject(body: bytes):
    """Parse with `vobject` and run its validation of every component."""
    calendar = vobject.readOne(body.decode("utf-8"), validate=True)
    calendar.validate(raiseException=True, complainUnrecognized=False)
    return calendar


def parse_with_ical(body: bytes):
    """Parse with `ical` (pydantic models, strict about types)."""
    return IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))


def events_by_uid(body: bytes) -> dict[str, icalendar.Event]:
    """Return the VEVENTs of a calendar by UID."""
    return {str(e["UID"]): e for e in parse_with_icalendar(body).walk("VEVENT")}


def assert_accepted_everywhere(body: bytes) -> None:
    """Check that every independent reader accepts the file, and that they agree on its events."""
    assert_wellformed(body)
    by_icalendar = parse_with_icalendar(body)
    by_vobject = parse_with_vobject(body)
    by_ical = parse_with_ical(body)
    uids = sorted(str(e["UID"]) for e in by_icalendar.walk("VEVENT"))
    assert sorted(e.uid.value for e in getattr(by_vobject, "vevent_list", [])) == uids
    assert sorted(e.uid for e in by_ical.events) == uids
