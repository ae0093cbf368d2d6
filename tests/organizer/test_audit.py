"""Organizers can see who changed what: every write by a logged-in user lands in the audit log."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Role
from tests.factories import make_event
from tests.timetable.conftest import log_in, make_user


def test_an_organizers_change_is_recorded_without_secrets(client):
    organizer = make_user(Role.ORGANIZER)
    event = make_event()
    db.session.commit()
    log_in(client, organizer)
    response = client.post(f"/organizer/events/{event.id}/breaks/prayer/dzuhur", data={"csrf_token": "x"})
    assert response.status_code < 400
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.user_id, entry.event_id, entry.action, entry.method) == (
        organizer.id,
        event.id,
        "organizer.add_prayer_break",
        "POST",
    )
    assert entry.details["args"] == {"event_id": event.id, "preset": "dzuhur"}
    assert "csrf_token" not in entry.details["fields"]


def test_a_login_is_recorded_but_never_the_password(client):
    user = make_user(Role.ORGANIZER, "panitia@example.org")
    user.set_password("sandi-yang-panjang")
    db.session.commit()
    client.post("/auth/login", data={"email": "panitia@example.org", "password": "sandi-yang-panjang"})
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "auth.login" and entry.user_id == user.id
    assert entry.details["fields"] == ["email"]


def test_anonymous_and_read_only_requests_are_not_recorded(client):
    organizer = make_user(Role.ORGANIZER)
    db.session.commit()
    client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong"})
    log_in(client, organizer)
    client.get("/organizer/").close()
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_the_audit_page_lists_entries_for_organizers_only(client):
    organizer = make_user(Role.ORGANIZER, "panitia@example.org")
    booth_staff = make_user(Role.BOOTH_STAFF)
    db.session.add(
        AuditEntry(
            user_id=organizer.id,
            action="timetable.publish",
            method="POST",
            path="/organizer/events/1/timetable/publish",
            status=302,
        )
    )
    db.session.commit()
    log_in(client, organizer)
    html = client.get("/organizer/audit").get_data(as_text=True)
    assert "timetable.publish" in html and "panitia@example.org" in html and "Log audit" in html
    log_in(client, booth_staff)
    assert client.get("/organizer/audit").status_code == 403
