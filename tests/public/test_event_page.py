"""A cooperative manager opens the public event page, in Bahasa Indonesia first."""

from datetime import UTC, datetime, timedelta

import pytest

from app.demo.pasuruan import EVENT_SLUG, load_pasuruan_demo
from app.extensions import db
from app.models import EventStatus
from tests.factories import make_event


@pytest.fixture
def demo():
    event = load_pasuruan_demo()
    db.session.commit()
    return event


def test_event_page_speaks_indonesian_by_default(client, demo):
    html = client.get(f"/e/{EVENT_SLUG}").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Susunan acara" in html and "Cara mendaftar" in html
    assert "Rabu, 8 Oktober 2025" in html
    assert "08.00–08.45 WIB" in html  # the regent's opening, in Jakarta time
    assert "Pembukaan oleh Bupati Pasuruan" in html
    assert "Perum BULOG" in html and "12 meja" in html
    assert "365 koperasi terdaftar." in html


def test_event_page_in_english_on_request(client, demo):
    html = client.get(f"/e/{EVENT_SLUG}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Programme" in html and "How to register" in html
    assert "Wednesday, 8 October 2025" in html
    assert "08:00–08:45 WIB" in html
    assert "12 tables" in html
    assert "Rice" in html


def test_language_choice_is_remembered(client, demo):
    response = client.get(f"/language/en?next=/e/{EVENT_SLUG}")
    assert response.status_code == 302 and response.headers["Location"] == f"/e/{EVENT_SLUG}"
    assert "Programme" in client.get(f"/e/{EVENT_SLUG}").get_data(as_text=True)
    client.get("/language/id?next=/")
    assert "Susunan acara" in client.get(f"/e/{EVENT_SLUG}").get_data(as_text=True)


def test_language_switch_never_sends_people_elsewhere(client):
    assert client.get("/language/en?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/language/en?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/xx").status_code == 404


def test_times_follow_the_event_timezone(client):
    closes = (datetime.now(UTC) + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    event = make_event(timezone="Asia/Makassar", status=EventStatus.REGISTRATION_OPEN, registration_closes_at=closes)
    db.session.commit()
    html = client.get(f"/e/{event.slug}").get_data(as_text=True)
    assert "16.00 WITA" in html  # 08:00 UTC is 16:00 in Makassar


def test_a_draft_event_is_not_public(client):
    event = make_event(status=EventStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/e/{event.slug}").status_code == 404
    assert event.name not in client.get("/").get_data(as_text=True)


def test_unknown_event_answers_404_in_indonesian(client):
    response = client.get("/e/no-such-event")
    assert response.status_code == 404
    assert "Halaman ini tidak ada" in response.get_data(as_text=True)


def test_the_page_loads_nothing_from_other_hosts(client, demo):
    html = client.get(f"/e/{EVENT_SLUG}").get_data(as_text=True)
    assert "http://" not in html and "https://" not in html and 'src="//' not in html
    css = client.get("/static/css/app.css")
    assert css.status_code == 200
    css.close()


def test_a_cancelled_session_is_marked_on_the_programme(client, demo):
    from sqlalchemy import select

    from app.models import ProgrammeSession

    panel = db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.title.contains("panel"))).one()
    panel.cancelled = True
    db.session.commit()
    html = client.get(f"/e/{EVENT_SLUG}").get_data(as_text=True)
    assert f"<del>{panel.title}</del>" in html and "Dibatalkan" in html
