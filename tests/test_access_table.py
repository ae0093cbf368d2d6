"""Every route of the app x every kind of visitor: nobody reaches a page that is not theirs.

Each endpoint is declared with who may use it. The table test then opens every route as every kind of
visitor on a real published event: those not served must be sent to log in, or get 401/403/404, and
nobody ever gets a server error. A new route without a declared audience fails the first test.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.attendee.services import issue_access_link
from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import (
    EventBreak,
    FeedKind,
    Invitation,
    Meeting,
    ProgrammeSession,
    Registration,
    Role,
    Room,
    SessionKind,
    SessionPerson,
    SessionRole,
    TimetableVersion,
    utcnow,
)
from app.programme.signups import sign_up
from app.security.tokens import hash_token
from app.timetable.jobs import run_solve, start_solve
from app.timetable.publish import publish_version
from tests.timetable.conftest import log_in, make_small_event, make_user

WIB = ZoneInfo("Asia/Jakarta")

ANYONE = "anyone"  # public pages; secret-token routes check the token themselves
ORGANIZER = "organizer"
BOOTH_STAFF = "booth staff"
MODERATOR = "moderator or organizer"
ATTENDEE = "attendee (personal link or attendee account)"
LOGGED_IN = "any logged-in user, for their own data"

PUBLIC_ENDPOINTS = {
    "static",
    "health.health",
    "auth.login",
    "public.list_events",
    "public.show_event",
    "public.choose_language",
    "attendee.register",
    "attendee.area_list",
    "attendee.open_link",
    "calendar.programme_feed",
    "calendar.session_file",
    "calendar.subscribed_feed",
    "calendar.feed_meeting_file",
}
# Forgetting a personal link on this browser only clears the visitor's own session: anyone may ask.
PUBLIC_ENDPOINTS.add("attendee.leave")
# The second login step answers only to a browser that just gave the right password.
PUBLIC_ENDPOINTS.add("auth.login_code")
LOGGED_IN_ENDPOINTS = {
    "auth.logout",
    "auth.two_factor_settings",
    "calendar.meeting_file",
    "calendar.my_calendar",
    "calendar.manage_subscription",
    "calendar.stop_subscription",
}


def audience(endpoint: str) -> str:
    """Return who may use an endpoint; every endpoint of the app must fall in one group."""
    if endpoint in PUBLIC_ENDPOINTS:
        return ANYONE
    if endpoint in LOGGED_IN_ENDPOINTS:
        return LOGGED_IN
    area = endpoint.split(".", 1)[0]
    return {
        "organizer": ORGANIZER,
        "timetable": ORGANIZER,
        "programme": ORGANIZER,
        "booth": BOOTH_STAFF,
        "moderator": MODERATOR,
        "attendee": ATTENDEE,
        "sessions": ATTENDEE,
    }.get(area, "undeclared")


# Who each kind of visitor is allowed to be, per audience.
SERVED = {
    LOGGED_IN: {"attendee_link", "attendee_user", "booth_staff", "moderator", "organizer"},
    ORGANIZER: {"organizer"},
    BOOTH_STAFF: {"booth_staff"},
    MODERATOR: {"moderator", "organizer"},
    ATTENDEE: {"attendee_link", "attendee_user"},
}
VISITORS = ["anonymous", "attendee_link", "attendee_user", "booth_staff", "moderator", "organizer"]


def test_every_endpoint_declares_its_audience(app):
    undeclared = sorted({r.endpoint for r in app.url_map.iter_rules() if audience(r.endpoint) == "undeclared"})
    assert undeclared == []


@pytest.fixture
def world(app):
    """A published event with a booth and its staff, cooperatives, a panel with its moderator and a sign-up."""
    small = make_small_event(slots=3, booths=1, tables=2, cooperatives=2, slug="temu-akses")
    event, booth, coop = small.event, small.booths[0], small.cooperatives[0]
    run = start_solve(event, None, time_limit=3)
    db.session.commit()
    run_solve(run.id)
    db.session.refresh(run)
    version = db.session.get(TimetableVersion, run.version_id)
    publish_version(version)
    registration = db.session.query(Registration).filter_by(organization_id=coop.id).one()
    users = {
        "organizer": make_user(Role.ORGANIZER),
        "moderator": make_user(Role.MODERATOR),
        "booth_staff": make_user(Role.BOOTH_STAFF, organization=booth.organization),
        "attendee_user": make_user(Role.ATTENDEE, organization=coop),
    }
    panel = ProgrammeSession(
        event=event,
        kind=SessionKind.PANEL,
        title="Skema kemitraan",
        capacity=10,
        starts_at=datetime(2025, 10, 8, 13, 0, tzinfo=WIB),
        ends_at=datetime(2025, 10, 8, 14, 0, tzinfo=WIB),
    )
    panel.people.append(SessionPerson(role=SessionRole.MODERATOR, name="Moderator", user_id=users["moderator"].id))
    db.session.add(panel)
    db.session.flush()
    signup = sign_up(panel.id, registration, now=datetime(2025, 10, 1, tzinfo=WIB))
    brk = EventBreak(event=event, title="Sholat Dzuhur", starts=time(11, 45), ends=time(12, 30))
    room = Room(event_id=event.id, name="Ruang Rapat 1")
    invitation = Invitation(
        email="baru@example.org",
        role=Role.BOOTH_STAFF,
        token_hash=hash_token("undangan"),
        expires_at=utcnow(),
        invited_by_id=users["organizer"].id,
    )
    db.session.add_all([brk, room, invitation])
    db.session.flush()
    link_token = issue_access_link(registration)
    feed_token = issue_feed(event, FeedKind.ATTENDEE, organization=coop)
    entry = version.entries[0]
    live = db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)).first()
    db.session.commit()
    values = {
        "event_id": event.id,
        "version_id": version.id,
        "session_id": panel.id,
        "booth_id": booth.id,
        "entry_id": entry.id,
        "token": link_token,
        "meeting_id": live.id,
        "slug": event.slug,
        "key": "abc",
        "request_id": small.requests[0].id,
        "run_id": run.id,
        "code": "35",
        "user_id": users["booth_staff"].id,
        "signup_id": signup.id,
        "filename": "css/app.css",
        "day_id": event.days[0].id,
        "preset": "dzuhur",
        "break_id": brk.id,
        "room_id": room.id,
        "fmt": "csv",
        "invitation_id": invitation.id,
        "person_id": panel.people[0].id,
    }
    return {
        "values": values,
        "users": {k: u.id for k, u in users.items()},
        "link_token": link_token,
        "feed_token": feed_token,
    }


def visit_as(client, visitor: str, world) -> None:
    """Make the client one kind of visitor."""
    if visitor == "attendee_link":
        client.get(f"/a/{world['link_token']}").close()
    elif visitor in world["users"]:
        from app.models import User

        log_in(client, db.session.get(User, world["users"][visitor]))


def test_every_route_refuses_every_visitor_it_does_not_serve(app, world):
    """Open every route (each method) as every kind of visitor; collect every breach, then report them all."""
    breaches = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    for visitor in VISITORS:
        client = app.test_client()
        visit_as(client, visitor, world)
        for rule in rules:
            group = audience(rule.endpoint)
            values = {name: world["values"][name] for name in rule.arguments}
            if rule.endpoint.startswith("calendar.") and "token" in values:
                values["token"] = world["feed_token"]
            if rule.endpoint == "attendee.open_link":
                values["token"] = "not-a-real-token"  # the real one would turn this visitor into the attendee
            with app.test_request_context():
                url = app.url_for(rule.endpoint, **values)
            served = group == ANYONE or visitor in SERVED[group]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if served and method != "GET":
                    continue  # allowed writes are each area's own tests; here they would change the world
                if rule.endpoint == "auth.logout":
                    continue  # would end the visitor's session for the routes after it
                response = client.open(url, method=method)
                status = response.status_code
                response.close()
                if status >= 500:
                    breaches.append(f"{visitor} {method} {rule.rule}: server error {status}")
                elif not served and status < 300:
                    breaches.append(f"{visitor} {method} {rule.rule}: answered {status}")
                elif not served and status in (301, 302, 303) and "/auth/login" not in response.location:
                    breaches.append(f"{visitor} {method} {rule.rule}: redirected to {response.location}")
    assert breaches == [], "\n".join(breaches)


@pytest.mark.parametrize("visitor", ["anonymous", "booth_staff", "moderator", "organizer"])
def test_only_the_attendee_opens_its_own_agenda(app, world, visitor):
    client = app.test_client()
    visit_as(client, visitor, world)
    response = client.get("/saya/agenda")
    assert response.status_code in (302, 401, 403)
    response.close()
