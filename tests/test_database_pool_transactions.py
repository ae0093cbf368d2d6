"""Hot read-mostly views run outside a transaction on PostgreSQL: no BEGIN and no ROLLBACK round trips."""

import pytest
from sqlalchemy import event as sa_event

from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import FeedKind, Registration
from config import TestConfig
from tests.attendee.conftest import link_client
from tests.calendar.factories import make_published_day
from tests.postgres import scratch_database


@pytest.mark.postgres
def test_feed_polls_and_agenda_reads_send_no_begin_but_other_views_keep_their_transaction(build_app):
    from psycopg.pq import TransactionStatus

    with scratch_database() as url:

        class ScratchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = url

        scratch = build_app(ScratchConfig)
        with scratch.app_context():
            db.create_all()
            day = make_published_day()
            db.session.commit()
            token = issue_feed(day.event, FeedKind.ATTENDEE, organization=day.sumber_rejo)
            registration = Registration(event=day.event, organization=day.sumber_rejo)
            db.session.add(registration)
            db.session.commit()
            statuses = []

            def after(conn, _cursor, statement, *_args):
                statuses.append((statement.split()[0], conn.connection.dbapi_connection.info.transaction_status))

            sa_event.listen(db.engine, "after_cursor_execute", after)
            try:
                client = scratch.test_client()
                for _ in range(2):  # built, then from the cache
                    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
                feed_statuses = list(statuses)
                statuses.clear()
                link_client(client, registration)
                # The first look writes it down and commits (what follows runs in a transaction again); re-reads
                # write nothing.
                assert client.get("/saya/agenda").status_code == 200
                statuses.clear()
                assert client.get("/saya/agenda").status_code == 200
                agenda_statuses = list(statuses)
                statuses.clear()
                assert client.get("/").status_code == 200  # any other view
                other_statuses = list(statuses)
            finally:
                sa_event.remove(db.engine, "after_cursor_execute", after)
            db.session.remove()

    assert feed_statuses and all(status == TransactionStatus.IDLE for _, status in feed_statuses), feed_statuses
    assert agenda_statuses and all(status == TransactionStatus.IDLE for _, status in agenda_statuses), agenda_statuses
    # The pooled connection went back to its usual mode: the next view's query runs inside a transaction.
    assert other_statuses and all(status == TransactionStatus.INTRANS for _, status in other_statuses), other_statuses


@pytest.mark.postgres
def test_a_session_already_in_a_transaction_keeps_it(build_app):
    import warnings

    from psycopg.pq import TransactionStatus
    from sqlalchemy import text

    from app.extensions import without_transaction

    with scratch_database() as url:

        class ScratchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = url

        scratch = build_app(ScratchConfig)
        with scratch.test_request_context():
            db.session.execute(text("SELECT 1"))  # the caller's transaction, already under way
            view = without_transaction(lambda: db.session.connection().connection.dbapi_connection.info)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert view().transaction_status == TransactionStatus.INTRANS
            db.session.remove()
