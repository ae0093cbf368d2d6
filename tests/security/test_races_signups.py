"""Cooperatives signing up for the last seats at the same moment never get more seats than the room holds."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.attendee.services import issue_access_link
from app.extensions import db
from app.models import ProgrammeSession, Registration, SessionKind, SessionSignup, SignupStatus
from app.programme import signups
from tests.factories import make_event, make_organization
from tests.security.races import Rendezvous, pause_after, postgres_app, run_in_parallel

pytestmark = pytest.mark.postgres

WIB = ZoneInfo("Asia/Jakarta")
SEATS = 1
COOPERATIVES = 3


@pytest.fixture
def race_app():
    with postgres_app() as app:
        yield app


def panel_with_one_seat(app) -> tuple[int, list[str]]:
    """Return a panel's id and the personal link tokens of cooperatives who want its seat."""
    with app.app_context():
        event = make_event(registration_closes_at=datetime(2099, 1, 1, tzinfo=WIB))
        panel = ProgrammeSession(
            event=event,
            kind=SessionKind.PANEL,
            title="Panel Kemitraan KDKMP dan BUMN",
            room="Ruang Bromo",
            starts_at=datetime(2099, 10, 8, 10, tzinfo=WIB),
            ends_at=datetime(2099, 10, 8, 11, tzinfo=WIB),
            capacity=SEATS,
        )
        db.session.add(panel)
        tokens = []
        for n in range(COOPERATIVES):
            registration = Registration(event=event, organization=make_organization(name=f"KDKMP Desa {n}"))
            db.session.add(registration)
            db.session.flush()
            tokens.append(issue_access_link(registration))
        db.session.commit()
        return panel.id, tokens


def seats_taken(app, session_id: int) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(SessionSignup.status, func.count())
            .where(SessionSignup.session_id == session_id)
            .group_by(SessionSignup.status)
        )
        return {str(status): count for status, count in rows}


def everyone_signs_up_at_once(app) -> tuple[list, int]:
    session_id, tokens = panel_with_one_seat(app)
    phones = []
    for token in tokens:
        phone = app.test_client()
        assert phone.get(f"/a/{token}").status_code == 302
        phones.append(phone)
    results = run_in_parallel(
        [lambda phone=phone: phone.post(f"/a/sessions/{session_id}/sign-up", data={"question": ""}) for phone in phones]
    )
    return results, session_id


def test_only_as_many_cooperatives_as_seats_get_one_the_rest_wait(race_app, monkeypatch):
    rendezvous = Rendezvous(COOPERATIVES)
    pause_after(monkeypatch, signups, "free_seats", rendezvous)
    results, session_id = everyone_signs_up_at_once(race_app)
    assert [r.status_code for r in results] == [302] * COOPERATIVES
    assert seats_taken(race_app, session_id) == {
        SignupStatus.CONFIRMED.value: SEATS,
        SignupStatus.WAITLISTED.value: COOPERATIVES - SEATS,
    }
    assert not rendezvous.met, "the session lock lets one sign-up count the free seats at a time"


def test_control_without_the_session_lock_the_seat_is_given_away_several_times(race_app, monkeypatch):
    def unlocked(session_id: int) -> ProgrammeSession:
        return db.session.get(ProgrammeSession, session_id)

    monkeypatch.setattr(signups, "lock_session", unlocked)
    rendezvous = Rendezvous(COOPERATIVES)
    pause_after(monkeypatch, signups, "free_seats", rendezvous)
    results, session_id = everyone_signs_up_at_once(race_app)
    assert rendezvous.met, "every sign-up counted the free seat before any took it"
    assert [r.status_code for r in results] == [302] * COOPERATIVES
    assert seats_taken(race_app, session_id) == {SignupStatus.CONFIRMED.value: COOPERATIVES}
