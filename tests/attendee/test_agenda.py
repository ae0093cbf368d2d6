"""After publication the cooperative reads its agenda: times in WIB, booth and table, changes, calendar."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from app.extensions import db
from app.models import EventStatus, MeetingStatus, ProgrammeSession, SessionKind, utcnow
from tests.attendee.conftest import link_client, make_registration
from tests.factories import make_meeting, make_request


@pytest.fixture
def published(client, event, booths):
    """Wonokerto meets BULOG at 09.00 (table 2) and Pertamina at 09.40 (table 1); the opening is for everyone."""
    registration = make_registration(event, name="Koperasi Desa Merah Putih Wonokerto", short_name="KDKMP Wonokerto")
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    bulog = make_meeting(make_request(event, registration.organization, booths[0]), slots[0], table=2)
    pertamina = make_meeting(make_request(event, registration.organization, booths[1]), slots[2], table=1)
    db.session.add(
        ProgrammeSession(
            event=event,
            kind=SessionKind.OPENING,
            title="Pembukaan oleh Bupati",
            starts_at=slots[0].starts_at - timedelta(hours=1),
            ends_at=slots[0].starts_at - timedelta(minutes=15),
            for_everyone=True,
        )
    )
    event.status = EventStatus.PUBLISHED
    db.session.commit()
    link_client(client, registration)
    return registration, bulog, pertamina, slots


def test_agenda_waits_for_the_published_timetable(client, event):
    registration = make_registration(event)
    db.session.commit()
    link_client(client, registration)
    assert "Jadwal pertemuan belum diterbitkan." in client.get("/saya/agenda").text
    assert client.get("/saya/agenda.ics").status_code == 404


def test_cooperative_reads_its_meetings_in_wib_with_booth_and_table(client, published):
    page = client.get("/saya/agenda").text
    assert "09.00–09.20 WIB" in page and "09.40–10.00 WIB" in page
    assert "Perum BULOG" in page and "Meja 2" in page
    assert "PT Pertamina Patra Niaga" in page and "Meja 1" in page
    assert page.index("Perum BULOG") < page.index("PT Pertamina Patra Niaga")
    assert "Pembukaan oleh Bupati" in page
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "dates=20251008T020000Z%2F20251008T022000Z" in page
    assert "https://wa.me/?text=" in page


def test_cooperative_downloads_own_calendar(client, published):
    registration, bulog, pertamina, _ = published
    response = client.get("/saya/agenda.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert {u for u in uids if u.startswith("meeting-")} == {
        f"meeting-{bulog.id}@127.0.0.1",
        f"meeting-{pertamina.id}@127.0.0.1",
    }


def test_subscribing_shows_a_private_feed_address_once(client, published):
    from app.models import CalendarFeed, FeedKind

    registration = published[0]
    first = client.post("/saya/kalender").text
    assert "webcal://127.0.0.1:5000/calendar/feed/" in first
    second = client.post("/saya/kalender").text
    address = first.split('value="')[1].split('"')[0]
    assert address.startswith("http://127.0.0.1:5000/calendar/feed/")
    assert address not in second
    feeds = db.session.scalars(
        db.select(CalendarFeed).where(CalendarFeed.organization_id == registration.organization_id)
    ).all()
    assert [f.kind for f in feeds] == [FeedKind.ATTENDEE, FeedKind.ATTENDEE]
    assert [f.revoked_at is None for f in feeds] == [False, True]


def test_changes_since_the_last_look_are_highlighted(client, published):
    registration, bulog, pertamina, slots = published
    first = client.get("/saya/agenda").text
    assert "Yang berubah sejak terakhir Anda lihat" not in first
    db.session.refresh(registration)
    assert registration.agenda_seen_at is not None
    registration.agenda_seen_at = utcnow() - timedelta(minutes=10)
    # The organizer re-publishes: BULOG moves, Pertamina is cancelled.
    later = utcnow() - timedelta(minutes=5)
    bulog.created_at = pertamina.created_at = utcnow() - timedelta(minutes=20)
    bulog.slot, bulog.revision, bulog.updated_at = slots[4], 1, later
    for seat in bulog.seats:
        seat.slot_id = slots[4].id
    pertamina.status, pertamina.revision, pertamina.updated_at = MeetingStatus.CANCELLED, 1, later
    db.session.commit()
    page = client.get("/saya/agenda").text
    changes = page.split('id="changes"')[1].split("</section>")[0]
    assert "Dipindah" in changes and "BULOG" in changes
    assert "Dibatalkan" in changes and "Pertamina" in changes
    client.post("/saya/agenda/dilihat")
    assert 'id="changes"' not in client.get("/saya/agenda").text


def test_the_agenda_can_be_printed(client, published):
    page = client.get("/saya/agenda").text
    assert "data-print" in page
    css = client.get("/static/css/attendee.css")
    assert "@media print" in css.text
    css.close()


def test_a_new_meeting_after_the_first_look_is_marked_new(client, published, booths):
    registration, _, _, slots = published
    client.get("/saya/agenda")
    db.session.refresh(registration)
    meeting = make_meeting(make_request(registration.event, registration.organization, booths[2]), slots[5], table=1)
    meeting.created_at = meeting.updated_at = utcnow() + timedelta(minutes=1)
    db.session.commit()
    changes = client.get("/saya/agenda").text.split('id="changes"')[1].split("</section>")[0]
    assert "Baru" in changes and "Mandiri" in changes
