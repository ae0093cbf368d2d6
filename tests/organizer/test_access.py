"""Who may open the organizer's pages: organizers only; everyone else is sent to log in or refused."""

import pytest

from app.extensions import db
from app.models import Event, Role
from tests.factories import make_booth, make_event
from tests.organizer.conftest import log_in, make_user

# The invitation page is reached by a secret link before the person has an account.
PUBLIC_ENDPOINTS = {"organizer.accept_invitation"}
SAMPLE_ARGS = {"event_id": 1, "booth_id": 1, "day_id": 1, "break_id": 1, "room_id": 1, "user_id": 1}


def organizer_routes() -> list[tuple[str, str, str]]:
    from app import create_app
    from config import TestConfig

    routes = []
    for rule in create_app(TestConfig).url_map.iter_rules():
        if not rule.endpoint.startswith("organizer.") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(SAMPLE_ARGS.get(name, 1))).replace(f"<{name}>", "x" * 32)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, path))
    return sorted(routes)


ROUTES = organizer_routes()


@pytest.fixture
def event():
    event = make_event()
    make_booth(event)
    db.session.commit()
    return event


def test_every_organizer_route_is_in_the_table():
    assert len(ROUTES) >= 30


@pytest.mark.parametrize("endpoint, method, path", ROUTES, ids=[f"{m} {p}" for _e, m, p in ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(client, event, endpoint, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.ATTENDEE, Role.BOOTH_STAFF, Role.MODERATOR])
@pytest.mark.parametrize("endpoint, method, path", ROUTES, ids=[f"{m} {p}" for _e, m, p in ROUTES])
def test_other_roles_are_refused(client, event, role, endpoint, method, path):
    user = make_user(role)
    db.session.commit()
    log_in(client, user)
    assert client.open(path, method=method).status_code == 403


def test_an_attendee_cannot_read_the_representatives_phone_numbers(client, event):
    from app.models import Registration, Representative
    from tests.factories import make_organization

    coop = make_organization(name="KDKMP Gerbo")
    coop.representatives.append(Representative(name="Siti", whatsapp="+6281234567890"))
    db.session.add(Registration(event=event, organization=coop))
    attendee = make_user(Role.ATTENDEE, organization_id=make_organization().id)
    db.session.commit()
    log_in(client, attendee)
    for path in (
        f"/organizer/events/{event.id}/requests",
        f"/organizer/events/{event.id}/dashboard",
        "/organizer/users",
    ):
        response = client.get(path)
        assert response.status_code == 403
        assert "+6281234567890" not in response.text


def test_an_inactive_organizer_is_logged_out(client):
    user = make_user(Role.ORGANIZER, active=False)
    db.session.commit()
    log_in(client, user)
    assert client.get("/organizer/").status_code == 302


def test_a_form_posted_without_its_csrf_token_is_refused(client, app):
    organizer = make_user(Role.ORGANIZER)
    db.session.commit()
    log_in(client, organizer)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        data = {"name": "Temu Bisnis", "venue": "Pendopo", "timezone": "Asia/Jakarta", "slot_minutes": 20}
        data |= {"gap_minutes": 0, "changeover_minutes": 0}
        refused = client.post("/organizer/events/new", data=data)
        assert refused.status_code == 400
        assert db.session.query(Event).count() == 0
        # The same form with the token from the page goes through.
        page = client.get("/organizer/events/new")
        token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post("/organizer/events/new", data={**data, "csrf_token": token})
        assert accepted.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
