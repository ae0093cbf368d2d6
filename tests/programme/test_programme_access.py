"""Only organizers open the programme pages; every change needs its CSRF token."""

import pytest

from app.extensions import db
from app.models import ProgrammeSession, Role
from tests.factories import make_event
from tests.programme.factories import add_person, log_in, make_session, make_user

PAGES = [
    ("get", "/organizer/events/{event}/programme"),
    ("get", "/organizer/events/{event}/programme/new"),
    ("get", "/organizer/events/{event}/programme/{session}/edit"),
    ("get", "/organizer/events/{event}/programme/{session}/cancel"),
    ("post", "/organizer/events/{event}/programme/{session}/cancel"),
    ("post", "/organizer/events/{event}/programme/{session}/reinstate"),
    ("post", "/organizer/events/{event}/programme/{session}/delete"),
    ("post", "/organizer/events/{event}/programme/{session}/people"),
    ("post", "/organizer/events/{event}/programme/{session}/people/{person}/remove"),
]


@pytest.fixture
def session():
    session = make_session(make_event())
    add_person(session)
    db.session.commit()
    return session


def url(path, session):
    return path.format(event=session.event_id, session=session.id, person=session.people[0].id)


@pytest.mark.parametrize(("method", "path"), PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [(None, 302), (Role.ATTENDEE, 403), (Role.BOOTH_STAFF, 403), (Role.MODERATOR, 403)]
)
def test_only_organizers_reach_the_programme(client, session, method, path, role, expected):
    if role is not None:
        log_in(client, make_user(role))
    response = getattr(client, method)(url(path, session))
    assert response.status_code == expected
    if role is None:
        assert "/auth/login" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(ProgrammeSession, session.id).cancelled is False


@pytest.mark.parametrize(("method", "path"), [p for p in PAGES if p[0] == "get"])
def test_organizer_opens_the_programme_pages(client, session, method, path):
    log_in(client, make_user(Role.ORGANIZER))
    assert client.get(url(path, session)).status_code == 200


def test_a_session_of_another_event_is_not_found(client, session):
    log_in(client, make_user(Role.ORGANIZER))
    other_event = make_event()
    db.session.commit()
    assert client.get(f"/organizer/events/{other_event.id}/programme/{session.id}/edit").status_code == 404


def test_cancelling_without_a_csrf_token_is_refused(app, client, session):
    log_in(client, make_user(Role.ORGANIZER))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(url("/organizer/events/{event}/programme/{session}/cancel", session))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(ProgrammeSession, session.id).cancelled is False
