"""Flask extensions, created unbound and initialised in create_app."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so migrations can drop and alter them on every database (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Limits are set per route (login, secret-token endpoints); storage comes from RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def enforce_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """Switch on foreign keys for SQLite connections (off by default), so cascades work as on PostgreSQL."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def without_transaction(view: Callable) -> Callable:
    """Run a view's statements outside a database transaction on PostgreSQL (each statement commits on its own).

    For hot, read-mostly views whose writes are single statements (a calendar poll noting its fetch, an agenda read
    noting a first look): psycopg then sends no BEGIN before the first query and no ROLLBACK when the request ends,
    one round trip per query instead of three for a one-query request. Under READ COMMITTED every statement took a
    fresh snapshot anyway, so reads see nothing different. It holds until the view's first commit (the session then
    takes a pooled connection in the usual mode); the connection goes back to the pool in its usual mode. Other
    databases (SQLite in tests and local runs) keep their transaction.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        # Only on a session not yet in a transaction (a request's own); one already in use keeps its transaction.
        if db.engine.dialect.name == "postgresql" and not db.session().in_transaction():
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return wrapped
