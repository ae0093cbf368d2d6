"""A real calendar server takes our events: a CalDAV round trip against Radicale on 127.0.0.1."""

from __future__ import annotations

import base64
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import icalendar
import pytest

from app.calendar import services
from tests.calendar.factories import NOW, cancel, make_published_day, move, wib

USER = "koperasi"


class CalDAV:
    """A tiny CalDAV client on http.client: the requests a calendar app sends."""

    def __init__(self, port: int) -> None:
        self.port = port
        token = base64.b64encode(f"{USER}:x".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def put_event(self, collection: str, component: icalendar.Event, timezones, etag: str | None = None):
        """Store one event as its own resource, named after its UID, as CalDAV wants."""
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Temu Bisnis tests//EN")
        calendar.add("version", "2.0")
        for timezone in timezones:
            calendar.add_component(timezone)
        calendar.add_component(component)
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        return self.request("PUT", f"{collection}{href(component)}", calendar.to_ical(), headers)

    def events(self, collection: str) -> dict[str, icalendar.Event]:
        """Return the collection's events by UID, as the server now holds them (one GET per resource)."""
        status, _headers, body = self.request(
            "PROPFIND", collection, b'<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>', {"Depth": "1"}
        )
        assert status == 207
        found = {}
        for chunk in body.decode().split("<href>")[1:]:
            path = chunk.split("</href>")[0]
            if path.endswith(".ics"):
                status, _h, data = self.request("GET", path)
                assert status == 200
                for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
                    assert str(event["UID"]) not in found, "two resources hold the same UID"
                    found[str(event["UID"])] = event
        return found


def href(component: icalendar.Event) -> str:
    return str(component["UID"]).replace("@", "_") + ".ics"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def radicale(tmp_path) -> Iterator[CalDAV]:
    """Run Radicale on a free port with a throwaway folder and no passwords, for one test."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(tmp_path / "collections"),
            "--auth-type",
            "none",
            "--rights-type",
            "owner_only",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("Radicale did not start")
                time.sleep(0.1)
        yield CalDAV(port)
    finally:
        process.terminate()
        process.wait(timeout=10)


def split(body: bytes) -> tuple[dict[str, icalendar.Event], list]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}, calendar.walk("VTIMEZONE")


def test_booth_feed_round_trips_through_a_caldav_server(radicale):
    day = make_published_day()
    collection = f"/{USER}/bulog/"
    status, _h, _b = radicale.request("MKCALENDAR", collection)
    assert status == 201

    # Version 1: every event of the booth's feed is stored as it is.
    events, timezones = split(services.booth_calendar(day.bulog, None, "id", NOW).body)
    etags = {}
    for uid, event in events.items():
        status, headers, body = radicale.put_event(collection, event, timezones)
        assert status == 201, body
        etags[uid] = headers.get("ETag")
    stored = radicale.events(collection)
    assert set(stored) == set(events)
    first_uid = f"meeting-{day.first.id}@127.0.0.1"
    second_uid = f"meeting-{day.second.id}@127.0.0.1"
    assert stored[first_uid].start == wib(9)
    assert str(stored[first_uid]["SUMMARY"]) == "Pertemuan: KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan"

    # Version 2: one meeting moves (SEQUENCE + 1), the other is cancelled; the app updates them in place.
    later = NOW + timedelta(hours=4)
    move(day.first, wib(10, 40), table=2, at=later)
    cancel(day.second, at=later)
    events, timezones = split(services.booth_calendar(day.bulog, None, "id", later).body)
    for uid in (first_uid, second_uid):
        status, _h, body = radicale.put_event(collection, events[uid], timezones, etag=etags[uid])
        assert status in (201, 204), body
    stored = radicale.events(collection)
    assert set(stored) == set(events)  # replaced in place: no duplicate of the moved meeting
    assert stored[first_uid].start == wib(10, 40)
    assert stored[first_uid]["SEQUENCE"] == 2
    assert "Meja 2" in str(stored[first_uid]["LOCATION"])
    assert str(stored[second_uid]["STATUS"]) == "CANCELLED"

    # The server refuses a second resource claiming an existing UID, so the UID really identifies the meeting.
    copy = _single(events[first_uid], timezones)
    headers = {"Content-Type": "text/calendar", "If-None-Match": "*"}
    assert radicale.request("PUT", f"{collection}copy.ics", copy, headers)[0] >= 400


def _single(event: icalendar.Event, timezones) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Temu Bisnis tests//EN")
    calendar.add("version", "2.0")
    for timezone in timezones:
        calendar.add_component(timezone)
    calendar.add_component(event)
    return calendar.to_ical()


def test_the_whole_attendee_feed_is_accepted_as_one_calendar_upload(radicale):
    day = make_published_day()
    body = services.attendee_calendar(day.event, day.sumber_rejo, "id", NOW).body
    collection = f"/{USER}/jadwal/"
    assert radicale.request("MKCALENDAR", collection)[0] == 201
    status, _h, response = radicale.request("PUT", collection, body, {"Content-Type": "text/calendar"})
    assert status in (201, 204), response
    assert set(radicale.events(collection)) == set(split(body)[0])
