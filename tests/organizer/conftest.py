"""Fixtures of the organizer area: logged-in users of each role, sectors, and a private folder for uploads."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest

from app.extensions import db
from app.models import Role, Sector, User

PASSWORD = "rahasia-panjang-sekali"
_counter = itertools.count(1)

SECTORS = [
    ("rice", "Beras", "Rice"),
    ("cooking_oil", "Minyak goreng", "Cooking oil"),
    ("lpg", "Gas LPG", "LPG gas"),
    ("fertiliser", "Pupuk", "Fertiliser"),
    ("financing", "Pembiayaan", "Financing"),
]


def make_user(role: Role = Role.ORGANIZER, **overrides: Any) -> User:
    """Return an active account with the given role and the test password."""
    n = next(_counter)
    values: dict[str, Any] = {"email": f"user{n}@example.org", "name": f"Pengguna {n}", "role": role}
    values.update(overrides)
    user = User(**values)
    user.password_hash = _password_hash()
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client, user: User) -> None:
    """Make the client's session that of the user (as Flask-Login stores it)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@cache
def _password_hash() -> str:
    """Hash the test password once: hashing is slow on purpose."""
    user = User()
    user.set_password(PASSWORD)
    return user.password_hash


@pytest.fixture(autouse=True)
def _private_import_folder(app, tmp_path, monkeypatch):
    """Keep uploads of each test in its own folder."""
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))


@pytest.fixture
def organizer() -> User:
    """An organizer account, committed so that requests see it."""
    user = make_user(Role.ORGANIZER, name="Dinas Koperasi Kabupaten Pasuruan")
    db.session.commit()
    return user


@pytest.fixture
def organizer_client(client, organizer):
    """A client logged in as the organizer."""
    log_in(client, organizer)
    return client


@pytest.fixture
def sectors() -> dict[str, Sector]:
    """The usual sectors: rice, cooking oil, LPG, fertiliser, financing."""
    found = {}
    for code, name_id, name_en in SECTORS:
        found[code] = Sector(code=code, name_id=name_id, name_en=name_en)
        db.session.add(found[code])
    db.session.flush()
    return found
