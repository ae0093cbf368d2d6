"""Tiny factories for the programme's tests: sessions, people on stage, registrations, sign-ups, logins."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    Event,
    Organization,
    ProgrammeSession,
    Registration,
    Representative,
    Role,
    SessionKind,
    SessionPerson,
    SessionRole,
    User,
)
from app.programme.signups import sign_up
from tests.factories import make_organization

WIB = ZoneInfo("Asia/Jakarta")
PASSWORD = "kata-sandi-uji-123"
_counter = itertools.count(1)


def at(hour: int, minute: int = 0) -> datetime:
    """Return 8 October 2025 (the factories' event day) at a WIB clock time."""
    return datetime(2025, 10, 8, hour, minute, tzinfo=WIB)


def make_session(event: Event, **overrides: Any) -> ProgrammeSession:
    """Return a panel of the event, 10:00-11:00 WIB in Ruang Bromo, with 2 seats."""
    values: dict[str, Any] = {
        "kind": SessionKind.PANEL,
        "title": f"Diskusi panel {next(_counter)}",
        "room": "Ruang Bromo",
        "starts_at": at(10),
        "ends_at": at(11),
        "capacity": 2,
    }
    values.update(overrides)
    session = ProgrammeSession(event=event, **values)
    db.session.add(session)
    db.session.flush()
    return session


def add_person(session: ProgrammeSession, role: SessionRole = SessionRole.PANELIST, **overrides: Any) -> SessionPerson:
    """Put a person on the session's stage."""
    person = SessionPerson(role=role, name=overrides.pop("name", f"Narasumber {next(_counter)}"), **overrides)
    session.people.append(person)
    db.session.flush()
    return person


def make_cooperative(**overrides: Any) -> Organization:
    """Return a cooperative with one representative (name, WhatsApp, email)."""
    n = next(_counter)
    org = make_organization(short_name=overrides.pop("short_name", f"KDKMP Desa {n}"), **overrides)
    org.representatives.append(
        Representative(name=f"Ketua Koperasi {n}", whatsapp=f"+628123{n:07d}", email=f"ketua{n}@koperasi.example.org")
    )
    db.session.flush()
    return org


def make_registration(event: Event, organization: Organization | None = None, **overrides: Any) -> Registration:
    """Return a cooperative's registration for the event."""
    registration = Registration(event=event, organization=organization or make_cooperative(), **overrides)
    db.session.add(registration)
    db.session.flush()
    return registration


def make_user(role: Role, **overrides: Any) -> User:
    """Return an active login with the given role and the tests' password."""
    n = next(_counter)
    user = User(email=overrides.pop("email", f"user{n}@example.org"), name=f"Pengguna {n}", role=role, **overrides)
    # A cheap hash: tests log in many times and the password protects nothing here.
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client, user: User) -> None:
    """Log the user in through the login form (committing what the test built so far)."""
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.data


def starts_in(session: ProgrammeSession, minutes: int) -> datetime:
    """Return a moment some minutes after the session starts."""
    return session.starts_at + timedelta(minutes=minutes)


def join(session: ProgrammeSession, registration: Registration, now: datetime | None = None, **kwargs: Any):
    """Sign a cooperative up for a session, as if on the morning of the event (07.00 WIB)."""
    return sign_up(session.id, registration, now=now or at(7), **kwargs)
