"""Database connections: no pre-ping round trip per request; a dropped connection costs one 503, then reconnects."""

import pytest
from sqlalchemy import text

from app.extensions import db
from config import Config, TestConfig
from tests.postgres import _connect, scratch_database


def test_pooled_connections_are_recycled_instead_of_pinged_on_every_checkout():
    assert "pool_pre_ping" not in Config.SQLALCHEMY_ENGINE_OPTIONS
    assert 0 < Config.SQLALCHEMY_ENGINE_OPTIONS["pool_recycle"] <= 3600


@pytest.mark.postgres
def test_a_connection_the_server_dropped_answers_503_once_then_the_pool_reconnects(build_app):
    with scratch_database() as url:

        class ScratchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = url
            PROPAGATE_EXCEPTIONS = False

        scratch = build_app(ScratchConfig)
        with scratch.app_context():
            db.create_all()
            db.session.commit()
            backend = db.session.scalar(text("SELECT pg_backend_pid()"))
            db.session.remove()
        client = scratch.test_client()
        assert client.get("/").status_code == 200
        # The server drops the pooled connection (as a restart or failover would).
        with _connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))

        lost = client.get("/")
        assert lost.status_code == 503
        assert lost.headers["Retry-After"] == "1"
        assert client.get("/").status_code == 200


def test_other_database_errors_still_answer_500(build_app, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    class Config500(TestConfig):
        PROPAGATE_EXCEPTIONS = False

    scratch = build_app(Config500)
    with scratch.app_context():
        db.create_all()

    def broken(*_args, **_kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate"))

    monkeypatch.setattr("app.public.routes.db.session.scalars", broken)
    assert scratch.test_client().get("/").status_code == 500
