"""An organizer sets up a business-matching day on a phone: event, day, Dzuhur, booths, import, a request."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import MeetingRequest, Registration, Role
from tests.e2e.conftest import screenshot
from tests.organizer.conftest import PASSWORD, SECTORS, make_user
from tests.organizer.spreadsheets import DAWUHANSENGON, GERBO, csv_bytes, row

pytestmark = pytest.mark.browser


@pytest.fixture
def organizer():
    from app.models import Sector

    for code, name_id, name_en in SECTORS:
        db.session.add(Sector(code=code, name_id=name_id, name_en=name_en))
    user = make_user(Role.ORGANIZER, email="dinkop@pasuruankab.go.id", name="Dinas Koperasi Kab. Pasuruan")
    db.session.commit()
    return user


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_organizer_sets_up_an_event_and_imports_cooperatives(organizer, live_server, phone):
    phone.goto(live_server + "/auth/login")
    phone.get_by_label("Email").fill("dinkop@pasuruankab.go.id")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.get_by_role("link", name="Acara").first.click()
    phone.get_by_role("link", name="Buat acara").click()

    phone.get_by_label("Nama acara").fill("Temu Bisnis KDKMP Kabupaten Pasuruan")
    phone.get_by_label("Tempat", exact=True).fill("Auditorium Mpu Sindok")
    phone.get_by_label("Zona waktu").select_option("Asia/Jakarta")
    phone.get_by_label("Batas permintaan pertemuan per koperasi").fill("5")
    screenshot(phone, "organizer-create-event")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_text("Acara dibuat.")).to_be_visible()

    phone.get_by_label("Tanggal", exact=True).fill("2025-10-08")
    phone.get_by_label("Pertemuan mulai").fill("08:00")
    phone.get_by_label("Pertemuan selesai").fill("15:30")
    phone.get_by_role("button", name="Simpan hari").click()
    expect(phone.get_by_text("Hari disimpan; slot pertemuan diperbarui.")).to_be_visible()
    phone.get_by_role("button", name="+ Sholat Dzuhur").click()
    expect(phone.get_by_text("Waktu istirahat ditambahkan")).to_be_visible()
    expect(phone.get_by_text("11.20–11.40")).to_be_visible()
    expect(phone.get_by_text("11.40–12.00")).to_have_count(0)
    assert fits_the_phone(phone)
    screenshot(phone, "organizer-days-and-breaks")

    for name, label, sector in [("Perum BULOG", "A1", "Beras"), ("PT Pupuk Indonesia", "A3", "Pupuk")]:
        phone.get_by_role("link", name="Booth BUMN", exact=True).click()
        phone.get_by_role("link", name="Tambah booth").click()
        phone.get_by_label("Atau organisasi baru: nama lengkap").fill(name)
        phone.get_by_label("Label booth (misalnya A1)").fill(label)
        phone.get_by_label("Jumlah meja").fill("10")
        phone.get_by_label(sector, exact=True).check()
        phone.get_by_role("button", name="Simpan booth").click()
        expect(phone.get_by_text("Booth disimpan.")).to_be_visible()
    expect(phone.get_by_text("Perum BULOG")).to_be_visible()
    expect(phone.get_by_text("PT Pupuk Indonesia")).to_be_visible()
    screenshot(phone, "organizer-booths")

    bad = csv_bytes([row(GERBO, kebutuhan="Beras"), row(DAWUHANSENGON, no_whatsapp="0341-123", kebutuhan="Pupuk")])
    phone.get_by_role("link", name="Impor").click()
    phone.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(
        files=[{"name": "koperasi.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    phone.get_by_role("button", name="Periksa berkas").click()
    expect(phone.get_by_text("1 baris bermasalah.")).to_be_visible()
    expect(phone.get_by_text("0341-123 bukan nomor HP (WhatsApp) Indonesia.")).to_be_visible()
    assert fits_the_phone(phone)
    screenshot(phone, "organizer-import-preview-with-problem")

    fixed = csv_bytes(
        [row(GERBO, kebutuhan="Beras"), row(DAWUHANSENGON, no_whatsapp="0813-1111-2222", kebutuhan="Pupuk")]
    )
    phone.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    phone.get_by_label("Berkas CSV atau Excel (.xlsx)").set_input_files(
        files=[{"name": "koperasi.csv", "mimeType": "text/csv", "buffer": fixed}]
    )
    phone.get_by_role("button", name="Periksa berkas").click()
    expect(phone.get_by_text("2 baris siap diimpor.")).to_be_visible()
    screenshot(phone, "organizer-import-preview-ready")
    phone.get_by_role("button", name="Impor", exact=True).click()
    expect(phone.get_by_text("2 koperasi terdaftar.")).to_be_visible()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2

    phone.get_by_role("link", name="Permintaan").click()
    phone.get_by_label("Koperasi (kode desa atau nama)").fill(GERBO)
    phone.locator("#new-booth_id").select_option(label="A1 · Perum BULOG")
    phone.get_by_role("button", name="Tambah permintaan").click()
    expect(phone.get_by_text("Permintaan ditambahkan")).to_be_visible()
    expect(phone.get_by_text("1 permintaan").first).to_be_visible()
    assert fits_the_phone(phone)
    screenshot(phone, "organizer-requests")
    assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 1

    phone.get_by_role("link", name="Dasbor").click()
    expect(phone.locator("figure.chart svg").first).to_be_visible()
    assert phone.locator("svg").count() >= 4
    screenshot(phone, "organizer-dashboard")
