"""`flask db upgrade` builds exactly the models' schema on SQLite and PostgreSQL, and downgrade undoes it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.postgres import scratch_database


def migrate_up_and_down(url: str) -> None:
    class MigrationConfig(TestConfig):
        """Points the app at the database under test."""

        SQLALCHEMY_DATABASE_URI = url

    app = create_app(MigrationConfig)
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
                assert set(db.metadata.tables) <= tables
                # The migrations and the models describe the same schema: autogenerate finds nothing to do.
                differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
                assert differences == []
            downgrade(revision="base")
            with engine.connect() as connection:
                assert set(inspect(connection).get_table_names()) == {"alembic_version"}
            upgrade()  # and back up again, as after a rollback of a release
            with engine.connect() as connection:
                assert set(db.metadata.tables) <= set(inspect(connection).get_table_names())
        finally:
            engine.dispose()
            db.engine.dispose()


def test_migrations_build_and_drop_the_schema_on_sqlite(tmp_path):
    migrate_up_and_down(f"sqlite:///{tmp_path / 'migrations.db'}")


@pytest.mark.postgres
def test_migrations_build_and_drop_the_schema_on_postgresql():
    with scratch_database() as url:
        migrate_up_and_down(url)
