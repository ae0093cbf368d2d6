"""Personal links: they open only their own cooperative's pages, stop at once when replaced, need CSRF."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccessLink, EventStatus, MeetingRequest, RequestStatus, Role, User
from tests.attendee.conftest import WIB, link_client, make_registration
from tests.factories import make_meeting, make_request

NINE = datetime(2025, 10, 8, 9, 0, tzinfo=WIB)

GET_ROUTES = ["/saya", "/saya/permintaan", "/saya/agenda", "/saya/agenda.ics", "/saya/tautan"]
POST_ROUTES = ["/saya/permintaan", "/saya/agenda/dilihat", "/saya/kalender", "/saya/tautan/baru"]


@pytest.fixture
def two_cooperatives(event, booths):
    """Wonokerto and Sumberejo, each with a request to a different booth and a published meeting."""
    wonokerto = make_registration(event, name="KDKMP Wonokerto")
    sumberejo = make_registration(event, name="KDKMP Sumberejo")
    sumberejo.organization.representatives[0].whatsapp = "+6285799990000"
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    make_meeting(make_request(event, wonokerto.organization, booths[0]), slots[0], table=1)
    make_meeting(make_request(event, sumberejo.organization, booths[1]), slots[1], table=2)
    event.status = EventStatus.PUBLISHED
    db.session.commit()
    return wonokerto, sumberejo


@pytest.mark.parametrize("path", GET_ROUTES)
def test_every_attendee_page_shows_only_the_own_cooperative(client, two_cooperatives, path):
    wonokerto, _ = two_cooperatives
    link_client(client, wonokerto)
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Sumberejo" not in body
    assert "+6285799990000" not in body
    if path in ("/saya", "/saya/agenda", "/saya/agenda.ics"):
        assert "Wonokerto" in body


@pytest.mark.parametrize(("method", "path"), [("get", p) for p in GET_ROUTES] + [("post", p) for p in POST_ROUTES])
def test_attendee_pages_need_a_personal_link(client, two_cooperatives, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 403
    assert "Perlu tautan pribadi" in response.text


def test_one_cooperative_cannot_withdraw_another_cooperatives_request(client, two_cooperatives):
    wonokerto, sumberejo = two_cooperatives
    theirs = db.session.scalar(select(MeetingRequest).where(MeetingRequest.requester_id == sumberejo.organization_id))
    theirs_id = theirs.id
    sumberejo.event.status = EventStatus.REGISTRATION_OPEN
    db.session.commit()
    link_client(client, wonokerto)
    assert client.post(f"/saya/permintaan/{theirs_id}/tarik").status_code == 404
    db.session.expire_all()
    assert db.session.get(MeetingRequest, theirs_id).status == RequestStatus.PENDING


def test_replacing_a_link_does_not_touch_another_cooperatives_link(client, app, two_cooperatives):
    wonokerto, sumberejo = two_cooperatives
    other = app.test_client()
    link_client(other, sumberejo)
    link_client(client, wonokerto)
    client.post("/saya/tautan/baru")
    assert other.get("/saya").status_code == 200


def test_a_replaced_link_stops_working_at_once(client, app, two_cooperatives):
    wonokerto, _ = two_cooperatives
    old_token = link_client(client, wonokerto)
    phone_of_the_secretary = app.test_client()
    phone_of_the_secretary.get(f"/a/{old_token}")
    assert phone_of_the_secretary.get("/saya").status_code == 200
    page = client.post("/saya/tautan/baru").text
    new_token = page.split("/a/")[1].split('"')[0]
    assert new_token != old_token
    # The browser that holds the old link in its session is turned away on its very next request...
    assert phone_of_the_secretary.get("/saya").status_code == 403
    # ...the old address no longer opens anything, and the new one does.
    assert client.get(f"/a/{old_token}").status_code == 404
    assert client.get(f"/a/{new_token}").status_code == 302
    assert client.get("/saya").status_code == 200
    links = db.session.scalars(select(AccessLink).where(AccessLink.registration_id == wonokerto.id)).all()
    assert [link.revoked_at is None for link in links] == [False, True]


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 500])
def test_made_up_links_open_nothing(client, two_cooperatives, token):
    assert client.get(f"/a/{token}").status_code in (404, 308)
    assert client.get("/saya").status_code == 403


def test_the_link_records_when_it_was_last_used(client, two_cooperatives):
    wonokerto, _ = two_cooperatives
    link_client(client, wonokerto)
    client.get("/saya")
    link = db.session.scalar(select(AccessLink).where(AccessLink.registration_id == wonokerto.id))
    assert link.last_seen_at is not None


def test_forgetting_the_link_on_a_device_signs_it_out(client, two_cooperatives):
    wonokerto, _ = two_cooperatives
    token = link_client(client, wonokerto)
    client.post("/saya/keluar")
    assert client.get("/saya").status_code == 403
    assert client.get(f"/a/{token}").status_code == 302  # the link itself still works


def test_a_logged_in_attendee_account_reaches_its_own_cooperative(client, two_cooperatives):
    wonokerto, _ = two_cooperatives
    user = User(email="wonokerto@example.org", name="Pengurus", role=Role.ATTENDEE, organization=wonokerto.organization)
    user.set_password("rahasia-sekali")
    db.session.add(user)
    db.session.commit()
    client.post("/auth/login", data={"email": "wonokerto@example.org", "password": "rahasia-sekali"})
    body = client.get("/saya").text
    assert "Wonokerto" in body and "Sumberejo" not in body


def test_posts_without_a_csrf_token_are_refused(app, client, two_cooperatives):
    wonokerto, _ = two_cooperatives
    link_client(client, wonokerto)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for path in POST_ROUTES + ["/saya/keluar"]:
            assert client.post(path).status_code == 400, path
        assert client.post(f"/e/{wonokerto.event.slug}/daftar", data={"name": "x"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    links = db.session.scalars(select(AccessLink).where(AccessLink.registration_id == wonokerto.id)).all()
    assert len(links) == 1 and links[0].revoked_at is None


def test_links_are_long_random_and_stored_hashed(event):
    from app.attendee.services import issue_access_link

    registration = make_registration(event)
    tokens = {issue_access_link(registration) for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 43 for t in tokens)
    stored = {link.token_hash for link in db.session.scalars(select(AccessLink))}
    assert not tokens & stored
    assert sum(link.revoked_at is None for link in db.session.scalars(select(AccessLink))) == 1
