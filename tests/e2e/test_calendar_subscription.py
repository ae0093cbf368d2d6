"""Booth staff on a 360 px phone make a calendar link for their table and get a working webcal address."""

from __future__ import annotations

import urllib.request

import pytest

from app.extensions import db
from app.models import Role
from tests.calendar.factories import make_published_day, make_user
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "meja-tiga-bulog"


def test_booth_staff_subscribe_to_one_table_on_a_phone(live_server, phone):
    day = make_published_day()
    user = make_user(Role.BOOTH_STAFF, day.bulog.organization, email="meja@bulog.example")
    user.set_password(PASSWORD)
    db.session.commit()

    phone.goto(live_server + "/auth/login")
    phone.get_by_label("Email").fill("meja@bulog.example")
    phone.get_by_label("Kata sandi").fill(PASSWORD)
    phone.get_by_role("button", name="Masuk").click()

    phone.goto(f"{live_server}/calendar/events/{day.event.id}/subscription")
    assert phone.get_by_role("heading", name="Tautan kalender", exact=True).is_visible()
    assert phone.get_by_text("Belum ada tautan kalender yang berlaku.").is_visible()
    phone.get_by_label("Pertemuan yang mana").select_option(label="Meja 3")
    phone.get_by_role("button", name="Buat tautan kalender").click()

    subscribe = phone.get_by_role("link", name="Langganan di aplikasi kalender saya")
    assert subscribe.get_attribute("href").startswith("webcal://")
    address = phone.get_by_label("Alamat kalender").input_value()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "calendar-subscription-id")

    # The address works for a calendar app (fetched here from the live server, not through the page).
    local = address.replace("http://127.0.0.1:5000", live_server)
    with urllib.request.urlopen(local) as response:
        body = response.read()
    assert body.startswith(b"BEGIN:VCALENDAR") and b"Meja 3" in body and b"Meja 1" not in body
