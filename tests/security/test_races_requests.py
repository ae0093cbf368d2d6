"""Meeting requests sent at the same moment from several phones never take a cooperative past the meeting cap."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.attendee import requests as request_service
from app.attendee.services import issue_access_link
from app.extensions import db
from app.models import MeetingRequest, Registration
from tests.factories import make_booth, make_event, make_organization
from tests.security.races import Rendezvous, pause_after, postgres_app, run_in_parallel

pytestmark = pytest.mark.postgres

CAP = 2
PHONES = 4


@pytest.fixture
def race_app():
    with postgres_app() as app:
        yield app


def open_event_with_booths(app) -> tuple[list[int], str, int]:
    """Return the booth ids, a cooperative's personal link token and its organization id."""
    with app.app_context():
        event = make_event(
            registration_closes_at=datetime(2099, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta")), meeting_cap=CAP
        )
        booths = [make_booth(event, label=f"A{n}") for n in range(PHONES)]
        cooperative = make_organization(name="KDKMP Wonokerto")
        registration = Registration(event=event, organization=cooperative)
        db.session.add(registration)
        db.session.flush()
        token = issue_access_link(registration)
        db.session.commit()
        return [b.id for b in booths], token, cooperative.id


def live_requests(app, organization_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(MeetingRequest)
            .where(
                MeetingRequest.requester_id == organization_id,
                MeetingRequest.status.in_(("pending", "accepted")),
            )
        )


def ask_every_booth_at_once(app) -> tuple[list, int]:
    booth_ids, token, organization_id = open_event_with_booths(app)
    phones = []
    for _ in booth_ids:
        phone = app.test_client()
        assert phone.get(f"/a/{token}").status_code == 302
        phones.append(phone)
    results = run_in_parallel(
        [
            lambda phone=phone, booth_id=booth_id: phone.post(
                "/saya/permintaan", data={"booth_id": str(booth_id), "priority": "2"}
            )
            for phone, booth_id in zip(phones, booth_ids, strict=True)
        ]
    )
    return results, organization_id


def test_parallel_requests_from_one_cooperative_stop_at_the_cap(race_app, monkeypatch):
    rendezvous = Rendezvous(PHONES)
    pause_after(monkeypatch, request_service, "active_request_count", rendezvous)
    results, organization_id = ask_every_booth_at_once(race_app)
    assert [r.status_code for r in results] == [302] * PHONES
    assert live_requests(race_app, organization_id) == CAP
    assert not rendezvous.met, "the registration lock lets one request count at a time"


def test_control_without_the_lock_parallel_requests_overshoot_the_cap(race_app, monkeypatch):
    monkeypatch.setattr(request_service, "lock_registration", lambda registration: None)
    rendezvous = Rendezvous(PHONES)
    pause_after(monkeypatch, request_service, "active_request_count", rendezvous)
    results, organization_id = ask_every_booth_at_once(race_app)
    assert rendezvous.met, "every request counted before any was written"
    assert [r.status_code for r in results] == [302] * PHONES
    assert live_requests(race_app, organization_id) == PHONES > CAP
