"""Real journeys in headless Chromium on a phone-sized screen."""

import pytest

from app.demo.pasuruan import DEMO_PASSWORD, load_pasuruan_demo
from app.extensions import db
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def demo():
    load_pasuruan_demo()
    db.session.commit()


def test_cooperative_manager_finds_the_event_and_reads_it_in_both_languages(demo, live_server, phone):
    phone.goto(live_server + "/")
    phone.get_by_role("link", name="Temu Bisnis KDKMP Kabupaten Pasuruan").click()
    assert phone.get_by_role("heading", name="Susunan acara").is_visible()
    assert phone.get_by_text("Pembukaan oleh Bupati Pasuruan").is_visible()
    assert phone.get_by_text("08.00–08.45 WIB").is_visible()
    # Nothing is wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "event-page-id")
    phone.get_by_role("link", name="EN").click()
    assert phone.get_by_role("heading", name="Programme").is_visible()
    assert phone.get_by_text("How to register").is_visible()
    screenshot(phone, "event-page-en")


def test_organizer_logs_in_with_the_demo_account(demo, live_server, phone):
    phone.goto(live_server + "/auth/login")
    phone.get_by_label("Email").fill("organizer@example.org")
    phone.get_by_label("Kata sandi").fill("wrong password")
    phone.get_by_role("button", name="Masuk").click()
    assert phone.get_by_text("Email atau kata sandi salah.").is_visible()
    phone.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    assert phone.get_by_text("Dinas Koperasi dan UKM Kabupaten Pasuruan").is_visible()
    phone.get_by_role("button", name="Keluar").click()
    assert phone.get_by_text("Anda sudah keluar.").is_visible()
