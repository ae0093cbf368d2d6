"""The organizer's whole journey in one go, on a phone: from an empty event to booth sheets for the day.

Log in, create the event, set the day and the Dzuhur break, add two BUMN booths, import the cooperatives
(one bad row shown, fixed and imported), ask meetings for them, build the timetable in the background,
move a meeting by hand, publish, and download the booth table sheets.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, Sector
from tests.e2e.conftest import screenshot
from tests.e2e.test_timetable_journey import _draft_id, _free_place
from tests.organizer.conftest import PASSWORD, SECTORS, make_user
from tests.organizer.spreadsheets import DAWUHANSENGON, GERBO, csv_bytes, row

pytestmark = pytest.mark.browser


@pytest.fixture
def organizer_account(journey_app):
    """The regency's organizer account and the standard sectors, in the journey's database."""
    with journey_app.app_context():
        for code, name_id, name_en in SECTORS:
            db.session.add(Sector(code=code, name_id=name_id, name_en=name_en))
        make_user(Role.ORGANIZER, email="dinkop@pasuruankab.go.id", name="Dinas Koperasi Kab. Pasuruan")
        db.session.commit()
        db.session.remove()


def upload(phone, content: bytes) -> None:
    phone.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(
        files=[{"name": "koperasi.csv", "mimeType": "text/csv", "buffer": content}]
    )
    phone.get_by_role("button", name="Periksa berkas").click()


def test_organizer_goes_from_an_empty_event_to_the_booth_sheets(journey_app, served, organizer_account, phone):
    phone.goto(served + "/auth/login")
    phone.get_by_label("Email").fill("dinkop@pasuruankab.go.id")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()

    # The event, its day and the Dzuhur break.
    phone.goto(served + "/organizer/events/new")
    phone.get_by_label("Nama acara").fill("Temu Bisnis KDKMP Kecamatan Purwodadi")
    phone.get_by_label("Tempat", exact=True).fill("Balai Desa Gerbo")
    phone.get_by_label("Zona waktu").select_option("Asia/Jakarta")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_text("Acara dibuat.")).to_be_visible()
    event_id = int(phone.url.split("/events/")[1].split("/")[0])
    phone.get_by_label("Tanggal", exact=True).fill("2025-10-08")
    phone.get_by_label("Pertemuan mulai").fill("11:00")
    phone.get_by_label("Pertemuan selesai").fill("13:00")
    phone.get_by_role("button", name="Simpan hari").click()
    expect(phone.get_by_text("Hari disimpan; slot pertemuan diperbarui.")).to_be_visible()
    phone.get_by_role("button", name="+ Sholat Dzuhur").click()
    expect(phone.get_by_text("Waktu istirahat ditambahkan")).to_be_visible()

    # Two booths with two tables each.
    for name, label, sector in [("Perum BULOG", "A1", "Beras"), ("PT Pupuk Indonesia", "A3", "Pupuk")]:
        phone.get_by_role("link", name="Booth BUMN", exact=True).click()
        phone.get_by_role("link", name="Tambah booth").click()
        phone.get_by_label("Atau organisasi baru: nama lengkap").fill(name)
        phone.get_by_label("Label booth (misalnya A1)").fill(label)
        phone.get_by_label("Jumlah meja").fill("2")
        phone.get_by_label(sector, exact=True).check()
        phone.get_by_role("button", name="Simpan booth").click()
        expect(phone.get_by_text("Booth disimpan.")).to_be_visible()

    # The import: a bad WhatsApp number is shown before anything is written, then fixed.
    phone.get_by_role("link", name="Impor").click()
    upload(phone, csv_bytes([row(GERBO, kebutuhan="Beras"), row(DAWUHANSENGON, no_whatsapp="0341-123")]))
    expect(phone.get_by_text("0341-123 bukan nomor HP (WhatsApp) Indonesia.")).to_be_visible()
    phone.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    upload(phone, csv_bytes([row(GERBO, kebutuhan="Beras"), row(DAWUHANSENGON, no_whatsapp="0813-1111-2222")]))
    expect(phone.get_by_text("2 baris siap diimpor.")).to_be_visible()
    phone.get_by_role("button", name="Impor", exact=True).click()
    expect(phone.get_by_text("2 koperasi terdaftar.")).to_be_visible()

    # Meetings asked on the cooperatives' behalf: each with both booths.
    phone.get_by_role("link", name="Permintaan").click()
    for village in (GERBO, DAWUHANSENGON):
        for booth in ("A1 · Perum BULOG", "A3 · PT Pupuk Indonesia"):
            phone.get_by_label("Koperasi (kode desa atau nama)").fill(village)
            phone.locator("#new-booth_id").select_option(label=booth)
            phone.get_by_role("button", name="Tambah permintaan").click()
            expect(phone.get_by_text("Permintaan ditambahkan")).to_be_visible()

    # Build the timetable in the background and watch it finish.
    phone.goto(f"{served}/organizer/events/{event_id}")
    phone.get_by_role("link", name="Jadwal", exact=True).first.click()
    phone.get_by_label("Batas waktu (detik)").fill("5")
    phone.get_by_role("button", name="Susun jadwal").click()
    phone.get_by_text("Draf jadwal sudah siap").wait_for(timeout=60_000)

    # Move one meeting by hand to a free table and time.
    draft_id = _draft_id(journey_app)
    entry_id, slot_label, table = _free_place(journey_app, draft_id)
    phone.goto(f"{served}/organizer/events/{event_id}/timetable/versions/{draft_id}/entries/{entry_id}")
    phone.get_by_label("Waktu").select_option(label=slot_label)
    phone.get_by_label("Meja", exact=True).select_option(table)
    phone.get_by_role("button", name="Pindahkan").click()
    expect(phone.get_by_text("Pertemuan dipindahkan.")).to_be_visible()

    # Publish, then take the booth table sheets to the venue.
    phone.get_by_role("link", name="Periksa perubahan dan terbitkan").click()
    phone.get_by_role("button", name="Terbitkan versi", exact=False).click()
    expect(phone.get_by_text("Jadwal diterbitkan: peserta sekarang dapat melihatnya.")).to_be_visible()
    phone.goto(f"{served}/organizer/events/{event_id}/timetable/")
    phone.locator("details.tt-exports summary").first.click()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="PDF").first.click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    phone.get_by_role("link", name="Lembar meja per booth (cetak)").first.click()
    expect(phone.get_by_text("Meja 1").first).to_be_visible()
    expect(phone.get_by_text("Perum BULOG").first).to_be_visible()
    screenshot(phone, "organizer-booth-sheets")
