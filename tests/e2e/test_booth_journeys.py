"""BULOG's booth staff on a phone: accept a cooperative's request, then on the day mark the meeting held."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import EventStatus, Interest, MeetingOutcome, MeetingRequest, MeetingStatus, RequestStatus
from tests.attendee.conftest import make_registration, make_sectors
from tests.booth.conftest import PASSWORD, make_staff
from tests.e2e.conftest import screenshot
from tests.factories import make_booth, make_event, make_meeting, make_request

pytestmark = pytest.mark.browser
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def bulog_day():
    sectors = make_sectors()
    event = make_event(registration_closes_at=datetime(2099, 1, 1, tzinfo=WIB))
    rebuild_slots(event)
    booth = make_booth(event, label="A1")
    booth.organization.name, booth.organization.short_name = "Perum BULOG", "BULOG"
    booth.organization.offers = [sectors["rice"]]
    wonokerto = make_registration(event, name="Koperasi Desa Merah Putih Wonokerto", short_name="KDKMP Wonokerto")
    request = make_request(event, wonokerto.organization, booth, priority=3)
    staff = make_staff(booth.organization)
    db.session.commit()
    return event, booth, request, staff


def test_booth_staff_accepts_a_request_and_records_a_held_meeting(bulog_day, live_server, phone):
    event, booth, request, staff = bulog_day
    phone.goto(f"{live_server}/auth/login")
    phone.get_by_label("Email").fill(staff.email)
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.get_by_role("link", name="Booth saya").click()

    incoming = phone.locator("#incoming li", has_text="Koperasi Desa Merah Putih Wonokerto")
    incoming.get_by_role("button", name="Terima").click()
    expect(phone.get_by_text("Permintaan KDKMP Wonokerto diterima.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "booth-requests")
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.id).status == RequestStatus.ACCEPTED

    # The organizer publishes: Wonokerto meets BULOG at 09.00, table 1.
    make_meeting(db.session.get(MeetingRequest, request.id), sorted(event.slots, key=lambda s: s.starts_at)[0], table=1)
    event.status = EventStatus.PUBLISHED
    db.session.commit()

    phone.get_by_role("link", name="Di booth").click()
    row = phone.locator(".slot-row", has_text="KDKMP Wonokerto")
    expect(row.get_by_text("09.00–09.20 WIB")).to_be_visible()
    row.get_by_role("button", name="Terlaksana").click()
    row = phone.locator(".slot-row", has_text="KDKMP Wonokerto")
    expect(row.locator(".status-held")).to_be_visible()
    row.get_by_role("link", name="Hasil").click()

    phone.get_by_label("Tinggi").check()
    phone.get_by_label("Perlu tindak lanjut").check()
    phone.get_by_label("Beras (ton per bulan)").fill("2,5")
    phone.get_by_label("LPG (tabung per bulan)").fill("250")
    phone.get_by_role("button", name="Simpan hasil").click()
    expect(phone.get_by_text("Paling banyak 200 tabung LPG per bulan untuk setiap koperasi.")).to_be_visible()
    phone.get_by_label("LPG (tabung per bulan)").fill("150")
    phone.get_by_label("Pembiayaan (Rupiah)").fill("Rp 25.000.000")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "booth-outcome")
    phone.get_by_role("button", name="Simpan hasil").click()
    expect(phone.get_by_text("Hasil pertemuan sudah disimpan.")).to_be_visible()

    outcome = db.session.scalar(select(MeetingOutcome))
    assert (outcome.interest, outcome.follow_up, outcome.rice_tonnes_month) == (Interest.HIGH, True, 2.5)
    assert (outcome.lpg_cylinders_month, outcome.financing_rupiah) == (150, 25_000_000)
    assert outcome.meeting.status == MeetingStatus.HELD
