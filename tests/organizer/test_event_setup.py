"""An organizer sets up an event: details, days, prayer breaks, rooms, and moves it through its statuses."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventBreak, EventStatus, Room
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request, make_slot

DETAILS = {
    "name": "Temu Bisnis KDKMP Kabupaten Sidoarjo",
    "slug": "",
    "venue": "Pendopo Delta Wibawa",
    "city": "Sidoarjo",
    "description": "Temu bisnis koperasi desa dan BUMN.",
    "timezone": "Asia/Jakarta",
    "slot_minutes": "20",
    "gap_minutes": "5",
    "registration_opens": "2025-09-15T08:00",
    "registration_closes": "2025-10-06T23:59",
    "meeting_cap": "4",
    "changeover_minutes": "10",
}


def test_organizer_creates_a_draft_event_with_registration_dates_in_local_time(organizer_client):
    response = organizer_client.post("/organizer/events/new", data=DETAILS)
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert event.slug == "temu-bisnis-kdkmp-kabupaten-sidoarjo"
    assert event.status == EventStatus.DRAFT
    assert (event.slot_minutes, event.gap_minutes, event.meeting_cap, event.changeover_minutes) == (20, 5, 4, 10)
    # 08:00 WIB is 01:00 UTC.
    assert event.registration_opens_at == datetime(2025, 9, 15, 1, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2025, 10, 6, 16, 59, tzinfo=UTC)


def test_registration_dates_are_read_in_the_events_own_zone(organizer_client):
    organizer_client.post("/organizer/events/new", data={**DETAILS, "timezone": "Asia/Jayapura"})
    event = db.session.scalar(select(Event))
    assert event.registration_opens_at == datetime(2025, 9, 14, 23, 0, tzinfo=UTC)  # 08:00 WIT


def test_the_edit_form_shows_the_dates_back_in_local_time(organizer_client):
    organizer_client.post("/organizer/events/new", data=DETAILS)
    event = db.session.scalar(select(Event))
    page = organizer_client.get(f"/organizer/events/{event.id}/edit")
    assert 'value="2025-09-15T08:00"' in page.text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": ""}, "Isi nama acara."),
        ({"slot_minutes": "0"}, "Lama pertemuan"),
        ({"registration_closes": "2025-09-01T08:00"}, "Pendaftaran harus ditutup setelah dibuka."),
        ({"slug": "Temu Bisnis!"}, "Gunakan hanya huruf kecil"),
    ],
)
def test_bad_details_get_a_clear_message_and_nothing_is_saved(organizer_client, change, message):
    response = organizer_client.post("/organizer/events/new", data={**DETAILS, **change})
    assert message in response.text
    assert db.session.scalar(select(Event)) is None


def test_two_events_cannot_share_a_web_address(organizer_client):
    make_event(slug="temu-bisnis-2025")
    db.session.commit()
    response = organizer_client.post("/organizer/events/new", data={**DETAILS, "slug": "temu-bisnis-2025"})
    assert "Alamat web temu-bisnis-2025 sudah dipakai acara lain." in response.text


def test_organizer_adds_a_day_and_sees_the_slot_grid(organizer_client):
    event = make_event(day=date(2025, 10, 8))
    event.days.clear()
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-08", "meetings_start": "08:00", "meetings_end": "10:00"},
        follow_redirects=True,
    )
    assert "Hari disimpan; slot pertemuan diperbarui." in response.text
    assert len(event.slots) == 6
    assert "08.00–08.20" in response.text and "09.40–10.00" in response.text


def test_dzuhur_quick_add_removes_the_prayer_slots_every_day(organizer_client):
    event = make_event()  # meetings 09:00-12:00 WIB
    db.session.commit()
    response = organizer_client.post(f"/organizer/events/{event.id}/breaks/prayer/dzuhur", follow_redirects=True)
    assert "Sholat Dzuhur" in response.text
    item = db.session.scalar(select(EventBreak))
    assert (item.starts, item.ends, item.day_id, item.fridays_only) == (time(11, 45), time(12, 30), None, False)
    local_starts = [s.starts_at.astimezone(event.zone).time() for s in event.slots]
    assert time(11, 40) not in local_starts and time(11, 20) in local_starts
    # Adding it twice is refused.
    again = organizer_client.post(f"/organizer/events/{event.id}/breaks/prayer/dzuhur", follow_redirects=True)
    assert "Sholat Dzuhur sudah ada di daftar istirahat." in again.text


def test_sholat_jumat_applies_on_fridays_only(organizer_client):
    event = make_event(day=date(2025, 10, 10))  # a Friday
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-09", "meetings_start": "09:00", "meetings_end": "14:00"},  # a Thursday
    )
    organizer_client.post(f"/organizer/events/{event.id}/breaks/prayer/jumat")
    item = db.session.scalar(select(EventBreak))
    assert item.fridays_only
    by_day = {}
    for slot in event.slots:
        local = slot.starts_at.astimezone(event.zone)
        by_day.setdefault(local.date(), []).append(local.time())
    assert time(12, 0) in by_day[date(2025, 10, 9)]
    assert time(12, 0) not in by_day[date(2025, 10, 10)]


def test_a_break_on_one_day_with_custom_times(organizer_client):
    event = make_event()
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/breaks",
        data={"title": "Makan siang", "kind": "lunch", "day_id": event.days[0].id, "starts": "10.00", "ends": "10.40"},
    )
    assert response.status_code == 302
    assert len(event.slots) == 7  # nine slots of 20 minutes minus two


def test_a_break_ending_before_it_starts_is_refused(organizer_client):
    event = make_event()
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/breaks",
        data={"title": "Rehat", "kind": "other", "day_id": 0, "starts": "11:00", "ends": "10:00"},
        follow_redirects=True,
    )
    assert "Jam selesai istirahat harus setelah jam mulai." in response.text
    assert db.session.scalar(select(EventBreak)) is None


def test_a_slot_holding_meetings_cannot_be_removed_and_nothing_changes(organizer_client):
    event = make_event()
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-08", "meetings_start": "09:00", "meetings_end": "12:00"},
    )
    slot = next(s for s in event.slots if s.starts_at.astimezone(event.zone).time() == time(11, 40))
    booth = make_booth(event)
    make_meeting(make_request(event, make_organization(), booth), slot, 1)
    db.session.commit()
    response = organizer_client.post(f"/organizer/events/{event.id}/breaks/prayer/dzuhur", follow_redirects=True)
    assert "Slot pukul 11.40 WIB pada Rabu, 8 Oktober 2025 sudah berisi pertemuan" in response.text
    assert db.session.scalar(select(EventBreak)) is None
    db.session.expire_all()
    assert len(event.slots) == 9


def test_removing_a_day_removes_its_slots(organizer_client):
    event = make_event()
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-09", "meetings_start": "09:00", "meetings_end": "10:00"},
    )
    day = next(d for d in event.days if d.date == date(2025, 10, 9))
    organizer_client.post(f"/organizer/events/{event.id}/days/{day.id}/delete")
    db.session.expire_all()
    assert [d.date for d in event.days] == [date(2025, 10, 8)]
    assert all(s.day_id == event.days[0].id for s in event.slots)


def test_status_flow_draft_open_closed_and_back(organizer_client):
    event = make_event(status=EventStatus.DRAFT)
    db.session.commit()
    for target, expected in [
        ("registration_open", EventStatus.REGISTRATION_OPEN),
        ("registration_closed", EventStatus.REGISTRATION_CLOSED),
        ("published", EventStatus.REGISTRATION_CLOSED),  # publishing belongs to the timetable
        ("registration_open", EventStatus.REGISTRATION_OPEN),
        ("draft", EventStatus.DRAFT),
    ]:
        organizer_client.post(f"/organizer/events/{event.id}/status", data={"target": target})
        db.session.refresh(event)
        assert event.status == expected


def test_registration_cannot_open_without_a_day(organizer_client):
    event = make_event(status=EventStatus.DRAFT)
    event.days.clear()
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/status", data={"target": "registration_open"}, follow_redirects=True
    )
    assert "Tambahkan paling sedikit satu hari sebelum membuka pendaftaran." in response.text


def test_organizer_adds_and_removes_rooms(organizer_client):
    event = make_event()
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/rooms", data={"name": "Auditorium Mpu Sindok", "capacity": "400"}
    )
    duplicate = organizer_client.post(f"/organizer/events/{event.id}/rooms", data={"name": "Auditorium Mpu Sindok"})
    assert "Sudah ada ruangan bernama Auditorium Mpu Sindok." in duplicate.text
    room = db.session.scalar(select(Room))
    assert (room.name, room.capacity) == ("Auditorium Mpu Sindok", 400)
    organizer_client.post(f"/organizer/events/{event.id}/rooms/{room.id}/delete")
    assert db.session.scalar(select(Room)) is None


def test_a_day_of_another_event_is_not_found(organizer_client):
    event, other = make_event(), make_event()
    db.session.commit()
    response = organizer_client.post(f"/organizer/events/{event.id}/days/{other.days[0].id}/delete")
    assert response.status_code == 404


def test_home_lists_every_event(organizer_client):
    make_event(name="Temu Bisnis Pasuruan")
    make_event(name="Temu Bisnis Malang", status=EventStatus.DRAFT)
    db.session.commit()
    page = organizer_client.get("/organizer/")
    assert "Temu Bisnis Pasuruan" in page.text and "Temu Bisnis Malang" in page.text
    assert "Buat acara" in page.text


def test_editing_the_slot_length_rebuilds_the_grid(organizer_client):
    event = make_event()
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-08", "meetings_start": "09:00", "meetings_end": "12:00"},
    )
    organizer_client.post(
        f"/organizer/events/{event.id}/edit",
        data={**DETAILS, "slug": event.slug, "slot_minutes": "30", "gap_minutes": "0"},
    )
    db.session.expire_all()
    assert len(event.slots) == 6


def test_slot_of_a_make_slot_factory_is_kept_when_the_grid_is_unchanged(organizer_client):
    event = make_event()
    slot = make_slot(event, datetime(2025, 10, 8, 2, 0, tzinfo=UTC))  # 09:00 WIB
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/days",
        data={"date": "2025-10-08", "meetings_start": "09:00", "meetings_end": "12:00"},
    )
    assert slot.id in {s.id for s in event.slots}


def slot_times(event: Event) -> list[time]:
    db.session.expire_all()
    return [s.starts_at.astimezone(event.zone).time() for s in event.slots]


def added_break(client, event: Event, title: str, kind: str, starts: str, ends: str) -> EventBreak:
    """Add a break on every day of `event` through the organizer's form; return it."""
    client.post(
        f"/organizer/events/{event.id}/breaks",
        data={"title": title, "kind": kind, "day_id": 0, "starts": starts, "ends": ends},
    )
    return db.session.scalar(select(EventBreak))


def test_organizer_moves_a_break_and_the_slots_follow(organizer_client):
    event = make_event()
    db.session.commit()
    item = added_break(organizer_client, event, "Makan siang", "lunch", "10.00", "10.40")
    page = organizer_client.get(f"/organizer/events/{event.id}/breaks/{item.id}/edit").text
    assert "Ubah istirahat" in page and 'value="Makan siang"' in page and 'value="10:00"' in page

    response = organizer_client.post(
        f"/organizer/events/{event.id}/breaks/{item.id}/edit",
        data={"title": "Makan siang bersama", "kind": "lunch", "day_id": 0, "starts": "11.00", "ends": "11.40"},
        follow_redirects=True,
    )

    assert "Waktu istirahat disimpan; slot pertemuan diperbarui." in response.text
    assert time(10, 0) in slot_times(event) and time(11, 0) not in slot_times(event)
    assert db.session.get(EventBreak, item.id).title == "Makan siang bersama"


def test_a_break_change_onto_booked_slots_or_ending_too_early_is_refused_and_nothing_changes(organizer_client):
    event = make_event()
    db.session.commit()
    item = added_break(organizer_client, event, "Rehat", "other", "10.00", "10.20")
    slot = next(s for s in event.slots if s.starts_at.astimezone(event.zone).time() == time(11, 0))
    make_meeting(make_request(event, make_organization(), make_booth(event)), slot, 1)
    db.session.commit()
    before = slot_times(event)
    edit = f"/organizer/events/{event.id}/breaks/{item.id}/edit"

    booked = organizer_client.post(
        edit, data={"title": "Rehat", "kind": "other", "day_id": 0, "starts": "11.00", "ends": "11.20"}
    )
    too_early = organizer_client.post(
        edit, data={"title": "Rehat", "kind": "other", "day_id": 0, "starts": "11.00", "ends": "10.00"}
    )

    assert booked.status_code == 400 and "sudah berisi pertemuan" in booked.text
    assert too_early.status_code == 400 and "Jam selesai istirahat harus setelah jam mulai." in too_early.text
    assert slot_times(event) == before
    assert db.session.get(EventBreak, item.id).starts == time(10, 0)
