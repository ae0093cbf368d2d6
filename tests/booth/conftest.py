"""Fixtures for booth staff pages: a BULOG booth with its staff login and registered cooperatives."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Role, User
from tests.attendee.conftest import booths, event, make_registration, sectors  # noqa: F401  (shared fixtures)

PASSWORD = "booth-staff-password"
# A quick hash for tests (the real one is deliberately slow); the login still checks it for real.
CHEAP_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


def make_staff(organization, email: str = "bulog@example.org") -> User:
    """Return a booth staff login for the organization."""
    user = User(
        email=email, name="Petugas Booth", role=Role.BOOTH_STAFF, organization=organization, password_hash=CHEAP_HASH
    )
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client, user: User) -> None:
    """Log the client in as the user."""
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def bulog(booths):  # noqa: F811
    return booths[0]


@pytest.fixture
def staff(client, bulog):
    user = make_staff(bulog.organization)
    db.session.commit()
    log_in(client, user)
    return user


@pytest.fixture
def cooperative(event, sectors):  # noqa: F811
    registration = make_registration(event, name="KDKMP Wonokerto")
    registration.organization.needs = [sectors["rice"]]
    registration.organization.address = "Desa Wonokerto, Kecamatan Sukorejo"
    db.session.flush()
    return registration
