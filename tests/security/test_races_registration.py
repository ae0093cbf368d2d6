"""The same village registered from two phones at the same moment: one registration, a clear message, no 500."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from app.attendee import services
from app.extensions import db
from app.models import Organization, Registration
from tests.factories import make_event, make_organization
from tests.security.races import Rendezvous, pause_after, postgres_app, run_in_parallel

pytestmark = pytest.mark.postgres

GERBO = "35.14.01.2001"  # Desa Gerbo, Kecamatan Purwodadi, Kabupaten Pasuruan
ALREADY = "sudah terdaftar di acara ini"
PEOPLE = [("Siti Rahayu", "0812-3456-7890", "siti@example.org"), ("Budi Santoso", "0813-1111-2222", "budi@example.org")]


@pytest.fixture
def race_app():
    with postgres_app() as app:
        yield app


def open_event(app, known_before: bool) -> str:
    """Return the slug of an event open for registration; the village's cooperative may exist from an earlier one."""
    with app.app_context():
        event = make_event(registration_closes_at=datetime(2099, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta")))
        if known_before:
            make_organization(village_code=GERBO, name="KDKMP Gerbo")
        db.session.commit()
        return event.slug


def form(name: str, whatsapp: str, email: str) -> dict[str, str]:
    return {
        "village_code": GERBO,
        "name": "Koperasi Desa Merah Putih Gerbo",
        "representatives-0-name": name,
        "representatives-0-whatsapp": whatsapp,
        "representatives-0-email": email,
        "available_from": "",
        "available_until": "",
    }


def two_people_register_at_once(app, known_before: bool) -> list:
    slug = open_event(app, known_before)
    phones = [app.test_client() for _ in PEOPLE]
    return run_in_parallel(
        [
            lambda phone=phone, person=person: phone.post(f"/e/{slug}/daftar", data=form(*person))
            for phone, person in zip(phones, PEOPLE, strict=True)
        ]
    )


def counts(app) -> tuple[int, int]:
    with app.app_context():
        organizations = db.session.scalar(
            select(func.count()).select_from(Organization).where(Organization.village_code == GERBO)
        )
        return organizations, db.session.scalar(select(func.count()).select_from(Registration))


@pytest.mark.parametrize("known_before", [False, True], ids=["new-cooperative", "known-from-an-earlier-event"])
def test_the_second_of_two_simultaneous_registrations_is_told_the_village_is_registered(
    race_app, monkeypatch, known_before
):
    rendezvous = Rendezvous(len(PEOPLE))
    pause_after(monkeypatch, services, "existing_registration", rendezvous)
    results = two_people_register_at_once(race_app, known_before)
    assert rendezvous.met, "both looked for an earlier registration before either was written"
    assert all(not isinstance(r, BaseException) for r in results), results
    assert sorted(r.status_code for r in results) == [200, 200]
    assert sum(ALREADY in r.text for r in results) == 1
    assert counts(race_app) == (1, 1)


def test_control_without_the_unique_keys_the_village_is_registered_twice(race_app, monkeypatch):
    with race_app.app_context():
        db.session.execute(text("ALTER TABLE organizations DROP CONSTRAINT uq_organizations_village_code"))
        db.session.execute(text("ALTER TABLE registrations DROP CONSTRAINT uq_registrations_event_id_organization_id"))
        db.session.commit()
    rendezvous = Rendezvous(len(PEOPLE))
    pause_after(monkeypatch, services, "existing_registration", rendezvous)
    results = two_people_register_at_once(race_app, known_before=False)
    assert rendezvous.met
    assert sum(ALREADY in r.text for r in results) == 0
    assert counts(race_app) == (2, 2)
