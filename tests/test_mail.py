"""Email over SMTP: a job's many messages share one connection; a failed message does not sink the next ones."""

from __future__ import annotations

import smtplib

import pytest

from app import mail
from app.calendar.itip import send_invitations
from app.jobs import RetryLater
from app.mail import one_connection, send_mail
from tests.calendar.factories import make_published_day


class FakeSMTP:
    """Stands in for smtplib.SMTP: records each connection, what it carried and how it ended."""

    opened: list[FakeSMTP] = []
    fail_messages: set[int] = set()  # numbers (1, 2, ...) of the messages, over all connections, that fail
    count = 0

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.messages = host, port, []
        self.tls, self.login_as, self.quit_sent = False, None, False
        FakeSMTP.opened.append(self)

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        self.login_as = user

    def send_message(self, message):
        FakeSMTP.count += 1
        if FakeSMTP.count in FakeSMTP.fail_messages:
            raise smtplib.SMTPServerDisconnected("connection dropped")
        self.messages.append(message["To"])

    def quit(self):
        self.quit_sent = True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.quit()


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A configured mail server (the fake one) instead of the test outbox."""
    FakeSMTP.opened, FakeSMTP.fail_messages, FakeSMTP.count = [], set(), 0
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    for key, value in {"TESTING": False, "MAIL_SERVER": "smtp.pasuruan.test", "MAIL_PORT": 587,
                       "MAIL_USE_TLS": True, "MAIL_USERNAME": "temubisnis", "MAIL_PASSWORD": "secret"}.items():
        monkeypatch.setitem(app.config, key, value)
    return FakeSMTP


def test_a_publications_invitations_go_out_over_one_connection(smtp_server):
    day = make_published_day()

    sent = send_invitations(day.event.id, {str(day.first.id): "new", str(day.second.id): "new"})

    assert sent == 2
    assert len(smtp_server.opened) == 1
    connection = smtp_server.opened[0]
    assert connection.messages == ["siti@sumberrejo.example", "ahmad@wonokerto.example"]
    assert connection.tls and connection.login_as == "temubisnis" and connection.quit_sent


def test_a_dropped_message_is_retried_later_and_the_next_goes_on_a_fresh_connection(smtp_server):
    day = make_published_day()
    smtp_server.fail_messages = {1}

    with pytest.raises(RetryLater) as retry:
        send_invitations(day.event.id, {str(day.first.id): "new", str(day.second.id): "new"})

    assert retry.value.kwargs["only"] == [[day.first.id, day.sumber_rejo.id]]
    assert [c.messages for c in smtp_server.opened] == [[], ["ahmad@wonokerto.example"]]


def test_a_long_batch_opens_a_new_connection_every_hundred_messages(smtp_server):
    with one_connection():
        for n in range(mail.MESSAGES_PER_CONNECTION + 1):
            send_mail(f"koperasi{n}@desa.example", "Jadwal", "Isi")

    assert [len(c.messages) for c in smtp_server.opened] == [mail.MESSAGES_PER_CONNECTION, 1]
    assert all(c.quit_sent for c in smtp_server.opened)


def test_a_single_message_outside_a_batch_has_its_own_connection(smtp_server):
    send_mail("siti@sumberrejo.example", "Tautan pribadi", "Isi")
    send_mail("ahmad@wonokerto.example", "Tautan pribadi", "Isi")

    assert [c.messages for c in smtp_server.opened] == [["siti@sumberrejo.example"], ["ahmad@wonokerto.example"]]
    assert all(c.quit_sent for c in smtp_server.opened)
