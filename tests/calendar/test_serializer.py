"""The pure serializer: exact bytes for Indonesian names, and files that independent parsers accept."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.calendar.serializer import CalendarItem, Method, Person, build_calendar
from tests.calendar.parsers import assert_accepted_everywhere, assert_wellformed, events_by_uid, parse_with_icalendar

GOLDEN = Path(__file__).parent / "golden"
WIB = ZoneInfo("Asia/Jakarta")
CLOCK = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)


def golden(name: str, body: bytes) -> None:
    """Compare with the pinned file; UPDATE_GOLDEN=1 rewrites it (then read the diff before committing)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(body)
    assert body == path.read_bytes(), f"{name} changed: rerun with UPDATE_GOLDEN=1 and review the diff"


def sumber_rejo_meeting(**overrides) -> CalendarItem:
    values = {
        "uid": "meeting-17@temubisnis.example",
        "title": "Pertemuan: KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan",
        "starts_at": datetime(2025, 10, 8, 9, 15, tzinfo=WIB),
        "ends_at": datetime(2025, 10, 8, 9, 35, tzinfo=WIB),
        "updated_at": datetime(2025, 9, 30, 3, 15, 42, 123456, tzinfo=UTC),
        "sequence": 2,
        "location": "Auditorium Mpu Sindok, Aula Utama, Booth A1 BULOG, Meja 3",
        "description": (
            "Anda bertemu dengan: KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan\n"
            "- Siti Aminah (Ketua)\n"
            "Bidang: Beras, Gula\n"
            "Catatan: gudang\\lumbung desa; kapasitas 20 ton"
        ),
        "categories": ("Pertemuan bisnis",),
        "alarm_text": "Pertemuan di Meja 3",
    }
    values.update(overrides)
    return CalendarItem(**values)


def test_feed_pins_escaping_of_indonesian_names_and_descriptions():
    body = build_calendar(
        "Jadwal: BULOG – Temu Bisnis KDKMP Kabupaten Pasuruan", [sumber_rejo_meeting()], timezone="Asia/Jakarta"
    )
    golden("serializer_feed.ics", body)
    unfolded = body.replace(b"\r\n ", b"")
    assert b"KDKMP Sumber Rejo\\, Kec. Purwodadi\\; Pasuruan" in unfolded
    assert b"gudang\\\\lumbung desa\\; kapasitas" in unfolded
    assert b"\\n- Siti Aminah (Ketua)\\n" in unfolded


def test_feed_round_trips_the_texts_through_every_parser():
    item = sumber_rejo_meeting()
    body = build_calendar("Jadwal", [item], timezone="Asia/Jakarta")
    assert_accepted_everywhere(body)
    event = events_by_uid(body)[item.uid]
    assert str(event["SUMMARY"]) == item.title
    assert str(event["DESCRIPTION"]) == item.description
    assert str(event["LOCATION"]) == item.location
    assert event.start == item.starts_at
    assert event["SEQUENCE"] == 2


def test_feed_has_calendar_name_refresh_hints_and_no_method():
    body = build_calendar("Jadwal Pertemuan", [sumber_rejo_meeting()], timezone="Asia/Jakarta")
    lines = body.split(b"\r\n")
    assert b"NAME:Jadwal Pertemuan" in lines
    assert b"X-WR-CALNAME:Jadwal Pertemuan" in lines
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert b"X-PUBLISHED-TTL:PT1H" in lines
    assert not any(line.startswith(b"METHOD") for line in lines)


def test_feed_stamps_come_from_the_last_change_not_the_clock():
    item = sumber_rejo_meeting()
    first = build_calendar("Jadwal", [item], timezone="Asia/Jakarta")
    later = build_calendar("Jadwal", [item], timezone="Asia/Jakarta", now=CLOCK + timedelta(days=3))
    assert first == later
    event = events_by_uid(first)[item.uid]
    assert event["DTSTAMP"].dt == datetime(2025, 9, 30, 3, 15, 42, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2025, 9, 30, 3, 15, 42, tzinfo=UTC)


def test_every_tzid_has_its_vtimezone_and_times_stay_local():
    makassar = sumber_rejo_meeting(uid="meeting-2@x", starts_at=datetime(2025, 10, 8, 1, 0, tzinfo=UTC))
    body = build_calendar("Jadwal", [makassar], timezone="Asia/Makassar")
    calendar = parse_with_icalendar(body)
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Makassar"]
    assert b"DTSTART;TZID=Asia/Makassar:20251008T090000" in body
    assert b"TZNAME:WITA" in body


def test_utc_calendar_writes_utc_times_without_vtimezone():
    body = build_calendar("Jadwal", [sumber_rejo_meeting()], timezone="UTC")
    assert b"DTSTART:20251008T021500Z" in body
    assert b"VTIMEZONE" not in body
    assert_accepted_everywhere(body)


def test_long_multibyte_lines_fold_within_75_octets():
    title = "Pertemuan dengan Koperasi Desa Merah Putih Sumber Rejo — “Lumbung Pangan” " * 3
    body = build_calendar("Jadwal", [sumber_rejo_meeting(title=title)], timezone="Asia/Jakarta")
    assert_wellformed(body)
    assert str(events_by_uid(body)["meeting-17@temubisnis.example"]["SUMMARY"]) == title


def test_reminder_rings_before_the_meeting_but_not_for_a_cancelled_one():
    live = build_calendar("Jadwal", [sumber_rejo_meeting()], timezone="Asia/Jakarta")
    alarms = parse_with_icalendar(live).walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [timedelta(minutes=-15)]
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    cancelled = build_calendar("Jadwal", [sumber_rejo_meeting(cancelled=True)], timezone="Asia/Jakarta")
    assert parse_with_icalendar(cancelled).walk("VALARM") == []
    assert b"STATUS:CANCELLED" in cancelled
    assert_accepted_everywhere(cancelled)


def test_empty_calendar_is_still_a_valid_file():
    body = build_calendar("Jadwal", [], timezone="Asia/Jakarta")
    assert_accepted_everywhere(body)


@pytest.mark.parametrize("method", [Method.REQUEST, Method.CANCEL])
def test_itip_message_names_organizer_and_attendees_and_stamps_the_sending_time(method):
    item = sumber_rejo_meeting(
        organizer=Person("noreply@temubisnis.example", "Temu Bisnis"),
        attendees=(Person("siti@sumberrejo.example", "Siti Aminah, Ketua"),),
    )
    body = build_calendar("Undangan", [item], timezone="Asia/Jakarta", method=method, now=CLOCK)
    golden(f"serializer_itip_{method.value.lower()}.ics", body)
    assert f"METHOD:{method.value}".encode() in body.split(b"\r\n")
    assert b"X-WR-CALNAME" not in body
    event = events_by_uid(body)[item.uid]
    assert event["DTSTAMP"].dt == CLOCK
    assert str(event["ORGANIZER"]) == "mailto:noreply@temubisnis.example"
    assert str(event["ATTENDEE"]) == "mailto:siti@sumberrejo.example"
    assert str(event["STATUS"]) == ("CANCELLED" if method == Method.CANCEL else "CONFIRMED")
    assert_accepted_everywhere(body)


def test_itip_message_needs_a_clock():
    with pytest.raises(ValueError):
        build_calendar("Undangan", [sumber_rejo_meeting()], method=Method.REQUEST)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        build_calendar("Jadwal", [sumber_rejo_meeting(starts_at=datetime(2025, 10, 8, 9))])


AWKWARD_TEXTS = [
    "Pertemuan: KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan",
    "Koperasi \"Maju\" Jaya's stand: meja 3\\4",
    "Baris satu\nbaris dua\r\nbaris tiga \\N bukan baris",
    "Pembukaan – Bupati · Kabupaten Pasuruan, Jawa Timur " * 4,
    "Ελληνικά 日本語 emoji 🎉 " * 6,
    "^caret^ and ’curly’ and `tick` and <angle> & amp",
    "",
    "x" * 200,
]


def awkward_item(index: int, zone: ZoneInfo) -> CalendarItem:
    text = AWKWARD_TEXTS[index % len(AWKWARD_TEXTS)] or "untitled"
    other = AWKWARD_TEXTS[(index * 3 + 1) % len(AWKWARD_TEXTS)]
    start = datetime(2025, 10, 8, 8, 0, tzinfo=zone) + timedelta(minutes=17 * index)
    return CalendarItem(
        uid=f"meeting-{index}@temubisnis.example",
        title=text,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        updated_at=datetime(2025, 9, 30, 3, 15, 42, 123456, tzinfo=UTC) + timedelta(seconds=index),
        sequence=index % 4,
        cancelled=index % 5 == 0,
        location=other or None,
        description=(text + "\n" + other) if index % 2 else None,
        url=f"https://temubisnis.example/m/{index}?a=1,2;b=3" if index % 3 else None,
        categories=(("Pertemuan bisnis", other or "x") if index % 2 else ()),
        alarm_minutes=(None, 0, 15, 90, 60 * 24 + 5)[index % 5],
        alarm_text=other or None,
        organizer=Person("organizer@example.org", text[:40] or None) if index % 4 == 1 else None,
        attendees=tuple(
            Person(f"p{n}@example.org", (AWKWARD_TEXTS[(index + n) % len(AWKWARD_TEXTS)][:50] or None))
            for n in range(index % 3)
        ),
    )


@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC"])
def test_the_direct_writer_writes_exactly_what_icalendar_writes(timezone):
    from tests.calendar import icalendar_reference

    zone = ZoneInfo(timezone)
    items = [awkward_item(i, zone) for i in range(24)]
    for name, description, refresh in [
        (AWKWARD_TEXTS[0], AWKWARD_TEXTS[3], timedelta(hours=1)),
        (AWKWARD_TEXTS[4], None, timedelta(minutes=30)),
        (AWKWARD_TEXTS[2], "", None),
    ]:
        kwargs = {"timezone": timezone, "description": description, "refresh": refresh}
        assert build_calendar(name, items, **kwargs) == icalendar_reference.build_calendar(name, items, **kwargs)
        assert build_calendar(name, [], **kwargs) == icalendar_reference.build_calendar(name, [], **kwargs)
    for method in Method:
        kwargs = {"timezone": timezone, "method": method, "now": CLOCK + timedelta(microseconds=5)}
        assert build_calendar("x", items[:3], **kwargs) == icalendar_reference.build_calendar("x", items[:3], **kwargs)


def test_lines_are_folded_exactly_as_icalendar_folds_them():
    from icalendar.parser import foldline

    from app.calendar.serializer import _fold_line

    for filler in ("a", "é", "–", "日", "🎉"):
        for shift in range(4):  # moves the characters' boundaries across the fold points
            for length in range(10, 120):
                line = "DESCRIPTION:" + "x" * shift + filler * length + "tail"
                assert _fold_line(line) == foldline(line).encode("utf-8") + b"\r\n", (filler, shift, length)
