"""A cooperative signs up for a panel with limited seats, waits its turn, and gives its seat up."""

from datetime import date, datetime, time, timedelta

import pytest

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import Role, SessionSignup, SignupStatus
from tests.factories import make_booth, make_event, make_meeting, make_request
from tests.programme.factories import WIB, log_in, make_cooperative, make_registration, make_session, make_user

DAY = date.today() + timedelta(days=30)


def later(hour, minute=0):
    return datetime.combine(DAY, time(hour, minute), tzinfo=WIB)


def attendee_of(registration):
    return make_user(Role.ATTENDEE, organization_id=registration.organization_id)


@pytest.fixture
def event():
    return make_event(day=DAY)


def test_cooperative_takes_the_last_seat_and_the_next_one_waits(app, event, mailbox):
    panel = make_session(event, title="Skema kemitraan", starts_at=later(10), ends_at=later(11), capacity=1)
    first, second = make_registration(event), make_registration(event)
    db.session.commit()
    first_client, second_client = app.test_client(), app.test_client()
    log_in(first_client, attendee_of(first))
    log_in(second_client, attendee_of(second))

    page = first_client.get("/a/sessions").get_data(as_text=True)
    assert "Skema kemitraan" in page and "Sisa 1 kursi" in page
    response = first_client.post(f"/a/sessions/{panel.id}/sign-up", data={"question": "Bagaimana skema kreditnya?"})
    assert "Anda mendapat kursi di “Skema kemitraan”." in first_client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    response = second_client.post(f"/a/sessions/{panel.id}/sign-up", follow_redirects=True)
    assert "Anda nomor 1 dalam daftar tunggu" in response.get_data(as_text=True)
    assert "Daftar tunggu: nomor 1" in response.get_data(as_text=True)

    first_client.post(f"/a/sessions/{panel.id}/leave")
    db.session.expire_all()
    statuses = {s.registration_id: s.status for s in db.session.query(SessionSignup)}
    assert statuses == {first.id: SignupStatus.CANCELLED, second.id: SignupStatus.CONFIRMED}
    assert [m["To"] for m in mailbox] == [second.organization.representatives[0].email]
    assert "Anda mendapat kursi" in second_client.get("/a/sessions").get_data(as_text=True)


def test_the_list_shows_no_other_cooperative(client, event):
    panel = make_session(event, starts_at=later(10), ends_at=later(11))
    other = make_registration(event, make_cooperative(short_name="KDKMP Tetangga"))
    db.session.add(SessionSignup(session=panel, registration=other, position=1, status=SignupStatus.CONFIRMED))
    mine = make_registration(event)
    log_in(client, attendee_of(mine))
    page = client.get("/a/sessions").get_data(as_text=True)
    assert "Sisa 1 kursi" in page
    assert "KDKMP Tetangga" not in page


def test_cooperative_is_warned_of_its_own_meeting_during_a_session(client, event):
    slots = {s.starts_at: s for s in rebuild_slots(event)}
    make_session(event, starts_at=later(10), ends_at=later(11))
    mine = make_registration(event)
    make_meeting(make_request(event, mine.organization, make_booth(event)), slots[later(10, 20)], 1)
    log_in(client, attendee_of(mine))
    page = client.get("/a/sessions").get_data(as_text=True)
    assert "Anda punya jadwal pertemuan pukul 10.20 WIB pada waktu sesi ini." in page


def test_a_session_of_another_event_cannot_be_joined(client, event):
    elsewhere = make_session(make_event(day=DAY), starts_at=later(10), ends_at=later(11))
    log_in(client, attendee_of(make_registration(event)))
    assert client.post(f"/a/sessions/{elsewhere.id}/sign-up").status_code == 404
    assert db.session.query(SessionSignup).count() == 0


def test_a_visitor_without_an_access_link_sees_no_sessions(client, event):
    make_session(event, starts_at=later(10), ends_at=later(11))
    db.session.commit()
    assert client.get("/a/sessions").status_code == 403


def test_signing_up_without_a_csrf_token_is_refused(app, client, event):
    panel = make_session(event, starts_at=later(10), ends_at=later(11))
    log_in(client, attendee_of(make_registration(event)))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/a/sessions/{panel.id}/sign-up")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert db.session.query(SessionSignup).count() == 0
