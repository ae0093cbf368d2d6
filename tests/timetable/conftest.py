"""Small events for the timetable tests: a booth or two, a few cooperatives, a handful of slots."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import Booth, Event, MeetingRequest, Organization, Registration, Role, Slot, User
from tests.factories import make_booth, make_event, make_organization, make_request, make_slot

NINE = datetime(2025, 10, 8, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class SmallEvent:
    """An event with its slots, booths, cooperatives and requests, for one test."""

    event: Event
    slots: list[Slot]
    booths: list[Booth]
    cooperatives: list[Organization]
    requests: list[MeetingRequest] = field(default_factory=list)


def make_small_event(slots: int = 3, booths: int = 1, tables: int = 2, cooperatives: int = 3, **event) -> SmallEvent:
    """Return an event where every cooperative asks every booth for a meeting."""
    ev = make_event(**event)
    slot_rows = [make_slot(ev, NINE + timedelta(minutes=20 * i)) for i in range(slots)]
    booth_rows = [
        make_booth(
            ev,
            table_count=tables,
            label=f"A{i + 1}",
            organization=make_organization(kind="state_enterprise", name=f"BUMN {chr(65 + i)}", village_code=None),
        )
        for i in range(booths)
    ]
    coops = []
    for i in range(cooperatives):
        coop = make_organization(name=f"KDKMP Desa {i + 1}")
        db.session.add(Registration(event=ev, organization=coop))
        coops.append(coop)
    small = SmallEvent(ev, slot_rows, booth_rows, coops)
    for coop in coops:
        for booth in booth_rows:
            small.requests.append(make_request(ev, coop, booth, priority=2))
    db.session.flush()
    return small


_users = itertools.count(1)


def make_user(role: Role, email: str | None = None, organization: Organization | None = None) -> User:
    """Return an active user (no password: tests log in through the session, hashing is slow)."""
    n = next(_users)
    user = User(
        email=email or f"{role.value}-{n}@example.org",
        name=f"{role.value} user {n}",
        role=role,
        organization=organization,
        password_hash="!",
    )
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client, user: User) -> None:
    """Log the client in as the user, as Flask-Login does after a successful login."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def small():
    """A committed small event: 3 slots, one booth with 2 tables, 3 cooperatives asking it."""
    built = make_small_event()
    db.session.commit()
    return built


@pytest.fixture
def organizer(client):
    """A logged-in organizer."""
    user = make_user(Role.ORGANIZER, "panitia@example.org")
    db.session.commit()
    log_in(client, user)
    return user
