"""A cooperative manager on a cheap phone: registers, asks three booths, and carries the agenda home."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import EventStatus, MeetingRequest, Registration
from tests.attendee.conftest import make_sectors
from tests.e2e.conftest import screenshot
from tests.factories import make_booth, make_event, make_meeting

pytestmark = pytest.mark.browser
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def open_event():
    sectors = make_sectors()
    event = make_event(
        slug="temu-bisnis-pasuruan",
        meeting_cap=5,
        name="Temu Bisnis KDKMP Pasuruan",
        registration_closes_at=datetime(2099, 1, 1, tzinfo=WIB),
    )
    rebuild_slots(event)
    for label, name, sector in [
        ("A1", "Perum BULOG", "rice"),
        ("A2", "PT Pertamina Patra Niaga", "lpg"),
        ("A3", "Bank Mandiri", "financing"),
    ]:
        booth = make_booth(event, label=label)
        booth.organization.name = name
        booth.organization.offers = [sectors[sector]]
    db.session.commit()
    return event


def publish_meetings(event):
    """Stand in for the timetable engineer's publish: place each request in its own slot and publish."""
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    requests = db.session.scalars(select(MeetingRequest).order_by(MeetingRequest.id)).all()
    for index, request in enumerate(requests):
        make_meeting(request, slots[index * 2], table=1)
    event.status = EventStatus.PUBLISHED
    db.session.commit()


def test_cooperative_registers_asks_three_booths_and_downloads_its_agenda(open_event, live_server, phone):
    phone.goto(f"{live_server}/e/{open_event.slug}")
    phone.get_by_role("link", name="Daftarkan koperasi").click()
    # The village chooser fills each list from small JSON files; the form appears with the suggested name.
    phone.get_by_label("Provinsi").select_option("35")
    phone.get_by_label("Kabupaten/kota").select_option("35.14")
    phone.get_by_label("Kecamatan").select_option("35.14.09")
    phone.get_by_label("Desa/Kelurahan", exact=True).select_option("35.14.09.2019")
    assert phone.get_by_label("Nama koperasi").input_value() == "Koperasi Desa Merah Putih Wonokerto"
    phone.locator("#representatives-0-name").fill("Siti Rahayu")
    phone.locator("#representatives-0-whatsapp").fill("0812 3456 7890")
    phone.locator("#representatives-0-email").fill("siti@example.org")
    phone.locator("#needs").get_by_label("Beras").check()
    phone.locator("#needs").get_by_label("Gas LPG").check()
    phone.get_by_label("Pertanyaan atau topik untuk sesi diskusi panel").fill("Cara menjadi pangkalan LPG")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "attendee-register")
    phone.get_by_role("button", name="Daftar").click()

    expect(phone.get_by_role("heading", name="Pendaftaran diterima")).to_be_visible()
    link = phone.locator("#access-url").input_value()
    assert "/a/" in link
    assert phone.get_by_role("link", name="Kirim ke WhatsApp").get_attribute("href").startswith("https://wa.me/?text=")
    screenshot(phone, "attendee-link")
    phone.get_by_role("link", name="Lanjut: ajukan pertemuan").click()

    for booth in ("Perum BULOG", "PT Pertamina Patra Niaga", "Bank Mandiri"):
        card = phone.locator("#booths li.booth-card", has_text=booth)
        card.get_by_label("Tinggi").check()
        card.get_by_role("button", name="Ajukan pertemuan").click()
        expect(phone.get_by_text(f"Permintaan pertemuan dengan {booth} sudah diajukan.")).to_be_visible()
    expect(phone.get_by_text("Anda mengajukan 3 dari paling banyak 5 pertemuan.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "attendee-requests")

    registration = db.session.scalar(select(Registration))
    assert registration.topics == "Cara menjadi pangkalan LPG"
    publish_meetings(open_event)

    phone.get_by_role("link", name="Agenda saya").click()
    expect(phone.get_by_text("09.00–09.20 WIB")).to_be_visible()
    expect(phone.get_by_text("Perum BULOG").first).to_be_visible()
    assert phone.locator(".meeting").count() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "attendee-agenda")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh kalender (.ics)").click()
    with open(download.value.path(), "rb") as f:
        body = f.read()
    assert body.startswith(b"BEGIN:VCALENDAR") and body.count(b"BEGIN:VEVENT") >= 3


def test_registering_works_without_javascript(open_event, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/e/{open_event.slug}/daftar")
        for label, value in [("Provinsi", "35"), ("Kabupaten/kota", "35.14"), ("Kecamatan", "35.14.09")]:
            page.get_by_label(label).select_option(value)
            page.get_by_role("button", name="Lanjut").click()
        page.get_by_label("Desa/Kelurahan", exact=True).select_option("35.14.09.2019")
        page.get_by_role("button", name="Lanjut").click()
        assert page.get_by_label("Nama koperasi").input_value() == "Koperasi Desa Merah Putih Wonokerto"
        page.locator("#representatives-0-name").fill("Siti Rahayu")
        page.locator("#representatives-0-whatsapp").fill("08123")
        page.locator("#representatives-0-email").fill("siti@example.org")
        page.get_by_role("button", name="Daftar").click()
        expect(page.get_by_text("Ini bukan nomor HP Indonesia")).to_be_visible()
        page.locator("#representatives-0-whatsapp").fill("0812 3456 7890")
        page.get_by_role("button", name="Daftar").click()
        expect(page.get_by_role("heading", name="Pendaftaran diterima")).to_be_visible()
    finally:
        context.close()
