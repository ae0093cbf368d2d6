"""The organizer's day in headless Chromium on a phone: build a timetable, watch it, adjust it, publish it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OrganizationKind, Registration, Role, TimetableEntry, TimetableVersion, User, VersionStatus
from tests.e2e.conftest import screenshot
from tests.factories import make_booth, make_event, make_organization, make_request, make_slot
from tests.timetable.conftest import NINE

pytestmark = pytest.mark.browser

PASSWORD = "panitia-pasuruan-2025"
BOOTHS = [("A1", "Perum BULOG", 2), ("A2", "Pupuk Indonesia", 2)]
VILLAGES = ["Wonokerto", "Sukorejo", "Kejapanan", "Pandaan", "Prigen", "Tutur"]


@pytest.fixture
def event_id(journey_app):
    """A morning of meetings at two BUMN booths for six village cooperatives, and the organizer's account."""
    with journey_app.app_context():
        event = make_event(name="Temu Bisnis KDKMP Kecamatan Pandaan", venue="Pendopo Kecamatan Pandaan")
        for i in range(5):
            make_slot(event, NINE + timedelta(minutes=20 * i))
        booths = [
            make_booth(
                event,
                label=label,
                table_count=tables,
                organization=make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name=name, village_code=None),
            )
            for label, name, tables in BOOTHS
        ]
        for i, village in enumerate(VILLAGES):
            coop = make_organization(name=f"KDKMP {village}")
            db.session.add(Registration(event=event, organization=coop))
            for j, booth in enumerate(booths):
                if (i + j) % 3 != 2:
                    make_request(event, coop, booth, priority=1 + (i + j) % 3)
        user = User(email="panitia@example.org", name="Bu Ratna (Dinas Koperasi)", role=Role.ORGANIZER)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        yield event.id
        db.session.remove()


def _free_place(journey_app, version_id: int) -> tuple[int, str, str]:
    """An entry of the draft and a slot label and table where it can move without a clash."""
    with journey_app.app_context():
        version = db.session.get(TimetableVersion, version_id)
        entries = version.entries
        for entry in entries:
            guest_busy = {e.slot_id for e in entries if e.request.requester_id == entry.request.requester_id}
            for slot in version.event.slots:
                for table in range(1, entry.booth.table_count + 1):
                    taken = any(
                        e.booth_id == entry.booth_id and e.slot_id == slot.id and e.table_number == table
                        for e in entries
                    )
                    if not taken and slot.id not in guest_busy:
                        label = slot.starts_at.astimezone(version.event.zone).strftime("%H.%M") + " WIB"
                        return entry.id, label, str(table)
    raise AssertionError("no free place in the draft")


def _draft_id(journey_app) -> int:
    with journey_app.app_context():
        return db.session.scalar(select(TimetableVersion.id).where(TimetableVersion.status == VersionStatus.DRAFT))


def _taken_place(journey_app, entry_id: int) -> tuple[str, str]:
    """The slot label and table of another meeting at the same booth."""
    with journey_app.app_context():
        entry = db.session.get(TimetableEntry, entry_id)
        other = next(e for e in entry.version.entries if e.booth_id == entry.booth_id and e.id != entry.id)
        return other.slot.starts_at.astimezone(entry.version.event.zone).strftime("%H.%M") + " WIB", str(
            other.table_number
        )


def test_organizer_builds_adjusts_and_publishes_the_timetable(journey_app, served, event_id, phone):
    phone.goto(served + "/auth/login")
    phone.get_by_label("Email").fill("panitia@example.org")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.goto(f"{served}/organizer/events/{event_id}")
    phone.get_by_role("link", name="Jadwal", exact=True).first.click()
    assert phone.get_by_role("heading", name="Jadwal", exact=True).is_visible()

    # Build: the solve runs in the background while the page shows live figures.
    phone.get_by_label("Batas waktu (detik)").fill("5")
    screenshot(phone, "timetable-overview")
    phone.get_by_role("button", name="Susun jadwal").click()
    assert phone.get_by_role("heading", name="Menyusun jadwal").is_visible()
    phone.get_by_text("Draf jadwal sudah siap").wait_for(timeout=60_000)
    screenshot(phone, "timetable-progress-done")

    # Review the grid of booth tables; it scrolls inside its box, the page stays phone-wide.
    phone.get_by_role("link", name="Tinjau draf").click()
    assert phone.get_by_role("heading", name="Meja booth").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "timetable-grid")

    # A move onto a taken table is refused and names the clash; a move to a free place is saved.
    draft_id = _draft_id(journey_app)
    entry_id, slot_label, table = _free_place(journey_app, draft_id)
    taken_slot, taken_table = _taken_place(journey_app, entry_id)
    phone.goto(f"{served}/organizer/events/{event_id}/timetable/versions/{draft_id}/entries/{entry_id}")
    phone.get_by_label("Waktu").select_option(label=taken_slot)
    phone.get_by_label("Meja", exact=True).select_option(taken_table)
    phone.get_by_role("button", name="Pindahkan").click()
    clash = phone.get_by_text(re.compile(r"Tidak disimpan: .*(sudah terpakai|sudah punya pertemuan lain)"))
    assert clash.first.is_visible()
    screenshot(phone, "timetable-move-refused")
    phone.goto(f"{served}/organizer/events/{event_id}/timetable/versions/{draft_id}/entries/{entry_id}")
    phone.get_by_label("Waktu").select_option(label=slot_label)
    phone.get_by_label("Meja", exact=True).select_option(table)
    phone.get_by_role("button", name="Pindahkan").click()
    assert phone.get_by_text("Pertemuan dipindahkan.").is_visible()

    # Publish: every meeting is new the first time.
    phone.get_by_role("link", name="Periksa perubahan dan terbitkan").click()
    assert phone.get_by_text("Belum ada yang diterbitkan sebelumnya: semua pertemuan baru.").is_visible()
    phone.get_by_role("button", name=re.compile("Terbitkan versi")).click()
    assert phone.get_by_text("Jadwal diterbitkan: peserta sekarang dapat melihatnya.").is_visible()

    # On the day a cooperative arrives late: adjust the published timetable, move its meeting, publish again.
    phone.get_by_role("link", name="Jadwal", exact=True).first.click()
    phone.get_by_role("button", name="Sesuaikan jadwal yang diterbitkan").click()
    second_id = _draft_id(journey_app)
    entry_id, slot_label, table = _free_place(journey_app, second_id)
    phone.goto(f"{served}/organizer/events/{event_id}/timetable/versions/{second_id}/entries/{entry_id}")
    phone.get_by_label("Waktu").select_option(label=slot_label)
    phone.get_by_label("Meja", exact=True).select_option(table)
    phone.get_by_role("button", name="Pindahkan").click()
    phone.get_by_role("link", name="Periksa perubahan dan terbitkan").click()
    assert phone.get_by_text("Dibandingkan dengan versi").is_visible()
    phone.get_by_role("button", name=re.compile("Terbitkan versi")).click()
    assert phone.get_by_text("Jadwal diterbitkan: peserta sekarang dapat melihatnya.").is_visible()
    row = phone.locator("tr.tt-moved")
    assert row.count() == 1 and "Dipindah" in row.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "timetable-changes")
