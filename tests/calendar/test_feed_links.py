"""Secret feed links: long, random, stored hashed, revocable, re-issuable, and never someone else's calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.calendar.feeds import (
    FeedSubjectError,
    active_feed,
    feed_urls,
    find_feed,
    issue_feed,
    revoke_feed,
)
from app.extensions import db
from app.models import CalendarFeed, FeedKind, utcnow
from tests.calendar.factories import make_published_day
from tests.calendar.parsers import events_by_uid


def feed_path(token: str) -> str:
    return f"/calendar/feed/{token}.ics"


def uids(body: bytes) -> set[str]:
    return set(events_by_uid(body))


def test_cooperative_subscribes_to_own_meetings_and_the_opening(client):
    day = make_published_day()
    token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    db.session.commit()
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    found = uids(response.data)
    assert any(uid.startswith(f"meeting-{day.first.id}@") for uid in found)
    assert any(uid.startswith(f"session-{day.opening.id}@") for uid in found)
    assert not any(uid.startswith(f"meeting-{day.second.id}@") for uid in found)
    assert not any(uid.startswith(f"session-{day.panel.id}@") for uid in found)  # no seat taken


def test_one_cooperatives_token_never_yields_anothers_meetings(client):
    day = make_published_day()
    sumber_rejo = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    wonokerto = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto)
    db.session.commit()
    first = client.get(feed_path(sumber_rejo)).data
    second = client.get(feed_path(wonokerto)).data
    assert b"Wonokerto" not in first and b"Ahmad Fauzi" not in first
    assert b"Sumber Rejo" not in second and b"Siti Aminah" not in second
    assert client.get(f"/calendar/feed/{sumber_rejo}/meetings/{day.second.id}.ics").status_code == 404
    assert client.get(f"/calendar/feed/{sumber_rejo}/meetings/{day.first.id}.ics").status_code == 200


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired", "mangled"])
def test_unknown_revoked_and_expired_links_all_answer_404_alike(client, state):
    day = make_published_day()
    token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    if state == "revoked":
        revoke_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    elif state == "expired":
        feed = db.session.scalar(select(CalendarFeed))
        feed.expires_at = utcnow() - timedelta(minutes=1)
    elif state == "unknown":
        token = "x" * 43
    else:
        token = token[:-1]
    db.session.commit()
    response = client.get(feed_path(token))
    unknown = client.get(feed_path("y" * 43))
    assert response.status_code == unknown.status_code == 404
    assert response.data == unknown.data
    assert b"VCALENDAR" not in response.data


def test_a_new_link_revokes_the_old_one_and_answers_itself(client):
    day = make_published_day()
    old = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    new = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    db.session.commit()
    assert old != new
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    assert active_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo) == find_feed(new)


def test_a_link_with_a_future_expiry_works_until_then():
    day = make_published_day()
    now = utcnow()
    token = issue_feed(
        day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo, expires_at=now + timedelta(days=1), now=now
    )
    assert find_feed(token, now + timedelta(hours=23)) is not None
    assert find_feed(token, now + timedelta(days=1)) is None


def test_tokens_are_long_random_and_stored_only_hashed():
    day = make_published_day()
    tokens = {issue_feed(day.event, FeedKind.ATTENDEE, organization=day.wonokerto) for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 43 for t in tokens)
    stored = db.session.scalars(select(CalendarFeed)).all()
    assert all(len(f.token_hash) == 64 for f in stored)
    assert not {f.token_hash for f in stored} & tokens
    assert sum(f.revoked_at is None for f in stored) == 1


def test_feed_addresses_are_built_on_the_public_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://temubisnis.example.id/")
    webcal, https = feed_urls("abc_DEF-123")
    assert webcal == "webcal://temubisnis.example.id/calendar/feed/abc_DEF-123.ics"
    assert https == "https://temubisnis.example.id/calendar/feed/abc_DEF-123.ics"


def test_fetching_a_feed_records_when(client):
    day = make_published_day()
    token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
    db.session.commit()
    client.get(feed_path(token))
    db.session.expire_all()
    assert find_feed(token).last_fetched_at is not None


def test_booth_table_feed_holds_that_table_only(client):
    day = make_published_day()
    whole = issue_feed(day.event, FeedKind.BOOTH, booth=day.bulog)
    table_three = issue_feed(day.event, FeedKind.BOOTH_TABLE, booth=day.bulog, table_number=3)
    db.session.commit()
    assert uids(client.get(feed_path(whole)).data) >= {
        f"meeting-{day.first.id}@127.0.0.1",
        f"meeting-{day.second.id}@127.0.0.1",
    }
    assert {u for u in uids(client.get(feed_path(table_three)).data) if u.startswith("meeting")} == {
        f"meeting-{day.first.id}@127.0.0.1"
    }


def test_booth_and_table_links_are_separate_subjects():
    day = make_published_day()
    whole = issue_feed(day.event, FeedKind.BOOTH, booth=day.bulog)
    issue_feed(day.event, FeedKind.BOOTH_TABLE, booth=day.bulog, table_number=1)
    issue_feed(day.event, FeedKind.BOOTH_TABLE, booth=day.bulog, table_number=2)
    assert find_feed(whole) is not None


def test_moderator_feed_holds_the_sessions_they_are_on_stage_in(client):
    day = make_published_day()
    token = issue_feed(day.event, FeedKind.MODERATOR, user=day.moderator, locale="en")
    db.session.commit()
    body = client.get(feed_path(token)).data
    assert uids(body) == {f"session-{day.panel.id}@127.0.0.1"}
    assert b"Your role: Moderator" in body


@pytest.mark.parametrize(
    "kind, subject",
    [
        (FeedKind.ATTENDEE, {}),
        (FeedKind.BOOTH, {}),
        (FeedKind.BOOTH_TABLE, {"table_number": 1}),
        (FeedKind.BOOTH_TABLE, {"table_number": 9}),  # BULOG has 4 tables here
        (FeedKind.MODERATOR, {}),
    ],
)
def test_a_feed_without_its_subject_is_refused(kind, subject):
    day = make_published_day()
    if subject.get("table_number") == 9:
        subject["booth"] = day.bulog
    with pytest.raises(FeedSubjectError):
        issue_feed(day.event, kind, **subject)
