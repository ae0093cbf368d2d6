"""What the feeds say: the exact attendee feed, moved and cancelled meetings across versions, languages."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.calendar import services
from app.extensions import db
from app.models import EventStatus, Registration, SessionSignup, SignupStatus
from tests.calendar.factories import NOW, PUBLISHED_AT, cancel, make_published_day, move, wib
from tests.calendar.parsers import assert_accepted_everywhere, events_by_uid

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(autouse=True)
def fixed_uid_domain(app, monkeypatch):
    """UIDs and texts must not depend on where the tests run."""
    monkeypatch.setitem(app.config, "CALENDAR_UID_DOMAIN", "temubisnis.example")


def pinned(body: bytes, day) -> bytes:
    """Replace the database ids (which differ between databases) with names, for golden comparison."""
    names = {
        f"meeting-{day.first.id}@": b"meeting-FIRST@",
        f"meeting-{day.second.id}@": b"meeting-SECOND@",
        f"session-{day.opening.id}@": b"session-OPENING@",
        f"session-{day.panel.id}@": b"session-PANEL@",
    }
    for uid, name in names.items():
        body = re.sub(re.escape(uid.encode()) + rb"(?=temubisnis)", name, body)
    return body


def assert_golden(name: str, body: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(body)
    assert body == path.read_bytes(), f"{name} changed: rerun with UPDATE_GOLDEN=1 and review the diff"


def meeting_event(body: bytes, meeting):
    return events_by_uid(body).get(f"meeting-{meeting.id}@temubisnis.example")


@pytest.mark.parametrize("locale", ["id", "en"])
def test_cooperative_feed_is_pinned_byte_for_byte(locale):
    day = make_published_day()
    calendar = services.attendee_calendar(day.event, day.sumber_rejo, locale, NOW)
    assert_golden(f"attendee_sumber_rejo_{locale}.ics", pinned(calendar.body, day))
    assert_accepted_everywhere(calendar.body)
    assert calendar.last_modified == PUBLISHED_AT
    assert calendar.filename == "temu-bisnis-pasuruan-kdkmp-sumber-rejo-kec-purwodadi-pasuruan.ics"


def test_cooperative_reads_whom_it_meets_where_and_why_in_indonesian():
    day = make_published_day()
    event = meeting_event(services.attendee_calendar(day.event, day.sumber_rejo, "id", NOW).body, day.first)
    assert str(event["SUMMARY"]) == "Pertemuan: BULOG"
    assert str(event["LOCATION"]) == "Auditorium Mpu Sindok, Aula Utama, Booth A1 BULOG, Meja 3"
    description = str(event["DESCRIPTION"])
    assert "Anda bertemu dengan: Perum BULOG" in description
    assert "- Budi Santoso (Kepala Cabang Pasuruan)" in description
    assert "Waktu: Rabu, 8 Oktober 2025, pukul 09.00–09.20 WIB" in description
    assert "Bidang: Beras" in description
    assert "Prioritas permintaan: tinggi" in description


def test_booth_staff_read_which_cooperative_comes_to_which_table():
    day = make_published_day()
    body = services.booth_calendar(day.bulog, None, "id", NOW).body
    first, second = meeting_event(body, day.first), meeting_event(body, day.second)
    assert str(first["SUMMARY"]) == "Pertemuan: KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan"
    assert "Meja 3" in str(first["LOCATION"]) and "Meja 1" in str(second["LOCATION"])
    assert "Kedua pihak sama-sama meminta pertemuan ini." in str(second["DESCRIPTION"])
    assert "Prioritas permintaan: rendah" in str(second["DESCRIPTION"])
    assert_accepted_everywhere(body)


def test_moved_and_cancelled_meetings_are_followed_across_two_published_versions():
    day = make_published_day()
    version_one = services.booth_calendar(day.bulog, None, "id", NOW).body
    before = meeting_event(version_one, day.first)

    second_publication = NOW + timedelta(hours=2)
    move(day.first, wib(10, 40), table=2, at=second_publication)
    cancel(day.second, at=second_publication)
    version_two = services.booth_calendar(day.bulog, None, "id", second_publication).body
    assert_accepted_everywhere(version_two)

    moved = meeting_event(version_two, day.first)
    assert moved["UID"] == before["UID"]
    assert moved["SEQUENCE"] == before["SEQUENCE"] + 1
    assert moved.start == wib(10, 40) and moved.start != before.start
    assert "Meja 2" in str(moved["LOCATION"])
    assert moved["DTSTAMP"].dt == second_publication == moved["LAST-MODIFIED"].dt
    assert str(moved["STATUS"]) == "CONFIRMED"

    cancelled = meeting_event(version_two, day.second)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 2
    assert str(cancelled["SUMMARY"]).startswith("Dibatalkan: ")
    assert not cancelled.walk("VALARM")

    # Thirty days after its cancellation the meeting leaves the feed; the moved one stays.
    later = second_publication + timedelta(days=30, minutes=1)
    version_later = services.booth_calendar(day.bulog, None, "id", later).body
    assert meeting_event(version_later, day.second) is None
    assert meeting_event(version_later, day.first) is not None


def test_the_cancelled_window_follows_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_CANCELLED_DAYS", 2)
    day = make_published_day()
    cancel(day.second, at=NOW)
    assert meeting_event(services.booth_calendar(day.bulog, None, "id", NOW + timedelta(days=1)).body, day.second)
    assert not meeting_event(services.booth_calendar(day.bulog, None, "id", NOW + timedelta(days=3)).body, day.second)


def test_no_meetings_before_the_timetable_is_published():
    day = make_published_day(status=EventStatus.REGISTRATION_CLOSED)
    body = services.attendee_calendar(day.event, day.sumber_rejo, "id", NOW).body
    assert meeting_event(body, day.first) is None
    assert f"session-{day.opening.id}@temubisnis.example" in events_by_uid(body)


def test_cooperative_feed_holds_the_sessions_it_has_a_seat_in():
    day = make_published_day()
    registration = Registration(event=day.event, organization=day.sumber_rejo)
    other = Registration(event=day.event, organization=day.wonokerto)
    db.session.add_all([registration, other])
    db.session.flush()
    db.session.add_all(
        [
            SessionSignup(session=day.panel, registration=registration, status=SignupStatus.CONFIRMED, position=1),
            SessionSignup(session=day.panel, registration=other, status=SignupStatus.WAITLISTED, position=2),
        ]
    )
    db.session.flush()
    panel_uid = f"session-{day.panel.id}@temubisnis.example"
    assert panel_uid in events_by_uid(services.attendee_calendar(day.event, day.sumber_rejo, "id", NOW).body)
    assert panel_uid not in events_by_uid(services.attendee_calendar(day.event, day.wonokerto, "id", NOW).body)


def test_cancelled_session_stays_as_cancelled_in_the_programme():
    day = make_published_day()
    day.panel.cancelled = True
    day.panel.revision += 1
    day.panel.updated_at = NOW
    db.session.flush()
    body = services.programme_calendar(day.event, "en", NOW + timedelta(days=1)).body
    panel = events_by_uid(body)[f"session-{day.panel.id}@temubisnis.example"]
    assert str(panel["STATUS"]) == "CANCELLED" and panel["SEQUENCE"] == 3
    assert "This session has been cancelled" in str(panel["DESCRIPTION"])
    assert_accepted_everywhere(body)


def test_every_kind_of_calendar_is_accepted_by_every_parser():
    day = make_published_day()
    for calendar in (
        services.attendee_calendar(day.event, day.wonokerto, "en", NOW),
        services.booth_calendar(day.bulog, 1, "id", NOW),
        services.moderator_calendar(day.event, day.moderator, "id", NOW),
        services.programme_calendar(day.event, "id", NOW),
        services.meeting_file(day.first, day.sumber_rejo.id, "id"),
        services.session_file(day.panel, "en"),
    ):
        assert_accepted_everywhere(calendar.body)


def test_times_are_written_in_the_events_own_zone():
    day = make_published_day(timezone="Asia/Makassar")
    body = services.attendee_calendar(day.event, day.sumber_rejo, "id", NOW).body
    assert b"DTSTART;TZID=Asia/Makassar:20251008T100000" in body  # 09:00 WIB is 10:00 WITA
    assert b"TZNAME:WITA" in body
    assert "WITA" in str(meeting_event(body, day.first)["DESCRIPTION"])
    assert meeting_event(body, day.first).start == datetime(2025, 10, 8, 2, 0, tzinfo=UTC)
