"""Column types and defaults shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, text
from sqlalchemy.types import TypeDecorator


def partial_unique_index(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows where `where` holds, the same on SQLite and PostgreSQL."""
    return Index(name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where))


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (a callable column default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, so SQLite and PostgreSQL hold the same value."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)
