"""Booth staff and moderators make (and stop) their own calendar links on a page of their own."""

from __future__ import annotations

import re

import pytest

from app.calendar.feeds import find_feed
from app.extensions import db
from app.models import FeedKind, Role
from tests.calendar.factories import log_in, make_user


def shown_token(html: str) -> str:
    match = re.search(r'value="http://127\.0\.0\.1:5000/calendar/feed/([A-Za-z0-9_-]+)\.ics"', html)
    assert match, "no calendar address on the page"
    return match.group(1)


def test_booth_staff_make_a_link_for_one_table_and_see_it_once(client, day):
    user = make_user(Role.BOOTH_STAFF, day.bulog.organization)
    db.session.commit()
    log_in(client, user)
    page = client.get(f"/calendar/events/{day.event.id}/subscription")
    assert page.status_code == 200
    assert "Meja 4" in page.get_data(as_text=True)
    response = client.post(f"/calendar/events/{day.event.id}/subscription", data={"table": "3"})
    html = response.get_data(as_text=True)
    assert "no-store" in response.headers["Cache-Control"]
    assert 'href="webcal://127.0.0.1:5000/calendar/feed/' in html
    token = shown_token(html)
    feed = find_feed(token)
    assert feed.kind == FeedKind.BOOTH_TABLE and feed.table_number == 3
    assert token not in client.get(f"/calendar/events/{day.event.id}/subscription").get_data(as_text=True)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200


def test_stopping_the_links_makes_old_addresses_answer_404(client, day):
    user = make_user(Role.MODERATOR)
    day.panel.people[0].user_id = user.id
    db.session.commit()
    log_in(client, user)
    token = shown_token(client.post(f"/calendar/events/{day.event.id}/subscription").get_data(as_text=True))
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    response = client.post(f"/calendar/events/{day.event.id}/subscription/stop", follow_redirects=True)
    assert "Tautan kalender yang dihentikan: 1." in response.get_data(as_text=True)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_a_post_without_csrf_token_is_refused(app, client, day):
    user = make_user(Role.BOOTH_STAFF, day.bulog.organization)
    db.session.commit()
    log_in(client, user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        issue = client.post(f"/calendar/events/{day.event.id}/subscription", data={"table": "0"})
        stop = client.post(f"/calendar/events/{day.event.id}/subscription/stop")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert issue.status_code == stop.status_code == 400
    db.session.expire_all()
    from app.models import CalendarFeed

    assert db.session.query(CalendarFeed).count() == 0


@pytest.mark.parametrize(
    "role, status",
    [(None, 302), (Role.ATTENDEE, 403), (Role.ORGANIZER, 403), (Role.BOOTH_STAFF, 404)],
)
def test_only_booth_staff_and_moderators_have_the_page(client, day, role, status):
    if role is not None:
        # A booth staff member of a company without a booth at this event has nothing to subscribe to.
        organization = day.sumber_rejo if role != Role.BOOTH_STAFF else None
        log_in(client, make_user(role, organization))
        db.session.commit()
    assert client.get(f"/calendar/events/{day.event.id}/subscription").status_code == status
