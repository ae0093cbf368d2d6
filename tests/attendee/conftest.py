"""Fixtures for the attendee pages: sectors, an open event with a slot grid and booths, a registered cooperative."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import Registration, Representative, Sector
from tests.factories import make_booth, make_event, make_organization

WIB = ZoneInfo("Asia/Jakarta")
WONOKERTO = "35.14.09.2019"  # Desa Wonokerto, Kecamatan Sukorejo, Kabupaten Pasuruan


def make_sectors() -> dict[str, Sector]:
    """Add the sectors cooperatives choose from."""
    rows = [("rice", "Beras", "Rice"), ("lpg", "Gas LPG", "LPG gas"), ("financing", "Pembiayaan", "Financing")]
    sectors = {code: Sector(code=code, name_id=n_id, name_en=n_en) for code, n_id, n_en in rows}
    db.session.add_all(sectors.values())
    db.session.flush()
    return sectors


def make_registration(event, **org_overrides) -> Registration:
    """Return a cooperative registered for the event, with one representative."""
    organization = make_organization(**org_overrides)
    organization.representatives.append(
        Representative(name="Siti Rahayu", whatsapp="+6281234567890", email=f"rep{organization.id}@example.org")
    )
    registration = Registration(event=event, organization=organization)
    db.session.add(registration)
    db.session.flush()
    return registration


@pytest.fixture
def sectors():
    return make_sectors()


@pytest.fixture
def event(sectors):
    """An event open for registration (closing next year) with slots 09:00-12:00 WIB and three booths."""
    event = make_event(registration_closes_at=datetime(2099, 1, 1, tzinfo=WIB), meeting_cap=5)
    rebuild_slots(event)
    bulog = make_booth(event, label="A1", table_count=3)
    bulog.organization.name, bulog.organization.short_name = "Perum BULOG", "BULOG"
    bulog.organization.offers = [sectors["rice"]]
    pertamina = make_booth(event, label="A2")
    pertamina.organization.name = "PT Pertamina Patra Niaga"
    pertamina.organization.offers = [sectors["lpg"]]
    mandiri = make_booth(event, label="A3")
    mandiri.organization.name = "PT Bank Mandiri (Persero) Tbk"
    mandiri.organization.offers = [sectors["financing"]]
    db.session.flush()
    return event


@pytest.fixture
def booths(event):
    from sqlalchemy import select

    from app.models import Booth

    return list(db.session.scalars(select(Booth).where(Booth.event_id == event.id).order_by(Booth.label)))


def link_client(client, registration) -> str:
    """Give the client a fresh personal link of the registration; return the raw token."""
    from app.attendee.services import issue_access_link

    token = issue_access_link(registration)
    db.session.commit()
    response = client.get(f"/a/{token}")
    assert response.status_code == 302
    return token
