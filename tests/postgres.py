"""Scratch PostgreSQL databases for tests that need one; they skip where no server answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def require_postgres() -> None:
    """Skip the calling test, with the reason, when no PostgreSQL server is reachable."""
    try:
        _connect(ADMIN_URL).close()
    except Exception as error:  # any failure to connect means: not here
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {error.__class__.__name__}")


@contextmanager
def scratch_database() -> Iterator[str]:
    """Create an empty database, yield its SQLAlchemy URL, and drop it afterwards."""
    require_postgres()
    name = f"temubisnis_test_{uuid.uuid4().hex[:10]}"
    with _connect(ADMIN_URL) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with _connect(ADMIN_URL) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
