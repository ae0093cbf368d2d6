"""A panel moderator, on a phone, finds the panel in the day's sessions and checks a cooperative in."""

import pytest
from sqlalchemy import select

from app.demo.pasuruan import DEMO_PASSWORD, load_pasuruan_demo
from app.extensions import db
from app.models import Organization, ProgrammeSession, Registration, SessionKind
from tests.e2e.conftest import screenshot
from tests.programme.factories import join

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_with_sign_ups():
    event = load_pasuruan_demo()
    panel = db.session.scalar(
        select(ProgrammeSession).where(
            ProgrammeSession.event_id == event.id, ProgrammeSession.kind == SessionKind.PANEL
        )
    )
    for village_code in ("35.14.09.2019", "35.14.09.2001"):
        registration = db.session.scalar(
            select(Registration)
            .join(Registration.organization)
            .where(Registration.event_id == event.id, Organization.village_code == village_code)
        )
        registration.topics = "Bagaimana koperasi desa menjadi pangkalan LPG 3 kg?"
        join(panel, registration, question="Berapa modal awal untuk menjadi mitra BULOG?")
    db.session.commit()
    return panel


def test_moderator_checks_in_a_cooperative_at_the_panel(demo_with_sign_ups, live_server, phone):
    phone.goto(live_server + "/auth/login")
    phone.get_by_label("Email").fill("moderator@example.org")
    phone.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()

    phone.get_by_role("link", name="Sesi saya").click()
    assert phone.get_by_role("heading", name="Sesi saya").is_visible()
    assert phone.get_by_text("Anda: moderator").is_visible()
    phone.get_by_role("link", name="Semua sesi hari ini").click()

    assert phone.get_by_role("heading", name="Sesi hari ini").is_visible()
    assert phone.get_by_text("Pembukaan oleh Bupati Pasuruan").is_visible()
    assert phone.get_by_text("15.45–16.45 WIB").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "moderator-day-sessions")
    phone.get_by_role("link", name="Diskusi panel: skema kemitraan KDKMP dan BUMN").click()

    assert phone.get_by_role("heading", name="Diskusi panel: skema kemitraan KDKMP dan BUMN").is_visible()
    assert phone.get_by_text("Perwakilan Perum BULOG").is_visible()
    assert phone.get_by_text("Berapa modal awal untuk menjadi mitra BULOG?").first.is_visible()
    assert phone.get_by_text("0 dari 2 sudah hadir").is_visible()
    phone.get_by_role("button", name="Catat hadir KDKMP Wonokerto").click()

    assert phone.get_by_text("KDKMP Wonokerto tercatat hadir.").is_visible()
    assert phone.get_by_text("1 dari 2 sudah hadir").is_visible()
    assert phone.get_by_role("button", name="Batalkan catatan hadir KDKMP Wonokerto").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "moderator-session-check-in")

    phone.get_by_role("link", name="Susunan acara siap cetak").click()
    phone.emulate_media(media="print")
    assert phone.get_by_role("heading", name="Urutan acara").is_visible()
    assert not phone.locator(".site-header").is_visible()
    screenshot(phone, "moderator-run-sheet-print")
