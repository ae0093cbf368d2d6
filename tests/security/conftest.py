"""Fixtures of the security tests: logged-in organizers, row counts to prove nothing was half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role
from tests.organizer.conftest import SECTORS, log_in, make_user


def table_counts() -> dict[str, int]:
    """Return the number of rows of every table: a fingerprint that shows whether anything was written.

    The audit log is left out: it records every attempt, refused ones included, on purpose.
    """
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if not table.name.startswith("audit")
    }


@pytest.fixture(autouse=True)
def _private_import_folder(app, tmp_path, monkeypatch):
    """Keep each test's uploads in its own folder."""
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))


@pytest.fixture
def organizer():
    """An organizer account, committed so requests see it."""
    user = make_user(Role.ORGANIZER, name="Dinas Koperasi Kabupaten Pasuruan")
    db.session.commit()
    return user


@pytest.fixture
def organizer_client(client, organizer):
    """A client logged in as the organizer."""
    log_in(client, organizer)
    return client


@pytest.fixture
def sectors():
    """The usual sectors: rice, cooking oil, LPG, fertiliser, financing."""
    from app.models import Sector

    db.session.add_all(Sector(code=code, name_id=name_id, name_en=name_en) for code, name_id, name_en in SECTORS)
    db.session.commit()
