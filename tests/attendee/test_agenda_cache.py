"""A cooperative re-reading its agenda gets the last rendering, until what the page shows changes."""

from __future__ import annotations

import re

import pytest

from app.attendee import agenda as agenda_service
from app.attendee.agenda_cache import CSRF_PLACEHOLDER
from app.extensions import db
from app.models import AccessLink, utcnow
from tests.attendee.conftest import link_client, make_registration
from tests.attendee.test_agenda import published  # noqa: F401  (fixture)
from tests.factories import make_meeting, make_request


@pytest.fixture
def builds(monkeypatch):
    """Count how often the agenda is really built (the cache skips the building)."""
    calls = []
    real = agenda_service.build_agenda

    def counting(registration, now=None):
        calls.append(registration.id)
        return real(registration, now)

    monkeypatch.setattr(agenda_service, "build_agenda", counting)
    return calls


def test_rereading_is_served_from_the_cache_until_a_meeting_changes(client, published, builds):  # noqa: F811
    registration, bulog, _pertamina, slots = published
    client.get("/saya/agenda")  # first look: written down, never cached
    second = client.get("/saya/agenda").text
    third = client.get("/saya/agenda").text
    assert third == second
    assert len(builds) == 2
    db.session.refresh(registration)
    # The organizer moves BULOG after the cooperative's last look: the next read shows it, highlighted.
    bulog.slot, bulog.revision, bulog.updated_at = slots[4], 1, utcnow()
    for seat in bulog.seats:
        seat.slot_id = slots[4].id
    db.session.commit()
    changed = client.get("/saya/agenda").text
    assert len(builds) == 3
    assert "Dipindah" in changed.split('id="changes"')[1].split("</section>")[0]
    # "Noted": the highlight goes at once, cached page or not.
    client.post("/saya/agenda/dilihat")
    assert 'id="changes"' not in client.get("/saya/agenda").text


def test_a_new_meeting_shows_at_once_despite_the_cache(client, published, booths, builds):  # noqa: F811
    registration, _, _, slots = published
    client.get("/saya/agenda")
    client.get("/saya/agenda")
    assert "Mandiri" not in client.get("/saya/agenda").text
    make_meeting(make_request(registration.event, registration.organization, booths[2]), slots[5], table=1)
    db.session.commit()
    assert "Mandiri" in client.get("/saya/agenda").text


def test_two_cooperatives_never_get_each_others_cached_agenda(app, client, published, event, booths):  # noqa: F811
    registration, *_ = published
    other = make_registration(event, name="Koperasi Desa Merah Putih Sumber Rejo", short_name="KDKMP Sumber Rejo")
    make_meeting(
        make_request(event, other.organization, booths[2]), sorted(event.slots, key=lambda s: s.starts_at)[1], 1
    )
    db.session.commit()
    other_client = app.test_client()
    link_client(other_client, other)
    for _ in range(3):
        mine, theirs = client.get("/saya/agenda").text, other_client.get("/saya/agenda").text
        assert "Wonokerto" in mine and "Sumber Rejo" not in mine
        assert "Sumber Rejo" in theirs and "Wonokerto" not in theirs
        assert "BULOG" in mine and "BULOG" not in theirs


def test_a_revoked_link_is_refused_even_with_a_cached_page(client, published):  # noqa: F811
    registration, *_ = published
    client.get("/saya/agenda")
    assert client.get("/saya/agenda").status_code == 200
    for link in db.session.query(AccessLink).filter_by(registration_id=registration.id):
        link.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/saya/agenda").status_code == 403


def test_waiting_messages_are_shown_not_a_cached_page(client, published):  # noqa: F811
    client.get("/saya/agenda")
    client.get("/saya/agenda")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan untuk koperasi")]
    assert "Pesan untuk koperasi" in client.get("/saya/agenda").text
    assert "Pesan untuk koperasi" not in client.get("/saya/agenda").text


def test_each_visitor_gets_its_own_csrf_token_in_a_cached_page(app, client, published, monkeypatch):  # noqa: F811
    registration, *_ = published
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = link_client(client, registration)
    other_client = app.test_client()
    assert other_client.get(f"/a/{token}").status_code == 302  # the same link on a second phone: another session
    client.get("/saya/agenda")
    other_client.get("/saya/agenda")
    mine = client.get("/saya/agenda").text
    theirs = other_client.get("/saya/agenda").text  # from the cache filled by the first phone
    assert CSRF_PLACEHOLDER not in mine and CSRF_PLACEHOLDER not in theirs
    my_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', mine).group(1)
    their_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', theirs).group(1)
    assert my_token != their_token
    assert mine.replace(my_token, "") == theirs.replace(their_token, "")
    # Each phone's token works for its own session only.
    assert other_client.post("/saya/agenda/dilihat", data={"csrf_token": my_token}).status_code == 400
    assert client.post("/saya/agenda/dilihat", data={"csrf_token": my_token}).status_code == 302


def test_the_agenda_is_checked_against_the_same_fingerprint_as_the_feed(published):  # noqa: F811
    from app.calendar.feed_cache import lookup_feed, registration_fingerprint
    from app.calendar.feeds import issue_feed
    from app.models import FeedKind

    registration, *_ = published
    token = issue_feed(registration.event, FeedKind.ATTENDEE, organization=registration.organization)
    db.session.commit()
    assert registration_fingerprint(registration.id) == lookup_feed(token).fingerprint
    assert registration_fingerprint(registration.id)[1] == 2  # its two meetings
