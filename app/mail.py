"""Sending email through SMTP when MAIL_SERVER is set; otherwise (and in tests) messages go to an outbox list."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)
MESSAGES_PER_CONNECTION = 100  # many mail servers refuse more on one connection; a batch reconnects after this


@dataclass
class Attachment:
    """A file sent along: name, MIME type (e.g. text/calendar; method=REQUEST) and bytes."""

    filename: str
    mimetype: str
    data: bytes


@dataclass
class Outbox:
    """Messages kept instead of sent, for tests and for local runs without SMTP."""

    messages: list[EmailMessage] = field(default_factory=list)


def outbox() -> Outbox:
    """Return the app's outbox, creating it on first use."""
    return current_app.extensions.setdefault("mail_outbox", Outbox())


def send_mail(
    to: str | list[str], subject: str, body: str, attachments: list[Attachment] | None = None
) -> EmailMessage:
    """Send a plain-text email (with optional attachments); kept in the outbox when no SMTP server is set."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = ", ".join([to] if isinstance(to, str) else to)
    message["Subject"] = subject
    message.set_content(body)
    for a in attachments or []:
        maintype, _, subtype = a.mimetype.partition("/")
        subtype, _, params = subtype.partition(";")
        extra = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        message.add_attachment(a.data, maintype=maintype, subtype=subtype.strip(), filename=a.filename, params=extra)
    server = current_app.config.get("MAIL_SERVER")
    if not server or current_app.testing:
        outbox().messages.append(message)
        log.info("mail kept in outbox (no MAIL_SERVER): %s to %s", subject, message["To"])
        return message
    batch = _batch.get()
    if batch is not None:
        batch.send(message)
        return message
    with _connect() as smtp:
        smtp.send_message(message)
    return message


@contextmanager
def one_connection() -> Iterator[None]:
    """Send the block's messages over one SMTP connection (opened on first use), not one connection each.

    For the many messages of one job (a publication's invitations): opening a connection with TLS and login
    costs more than sending a message. The connection is renewed every MESSAGES_PER_CONNECTION messages and
    after an error, so one failed message does not fail the next ones.
    """
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        batch.close()


class _Batch:
    """The open connection of a `one_connection` block and how many messages it has carried."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None
        self.sent = 0

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None or self.sent >= MESSAGES_PER_CONNECTION:
            self.close()
            self.smtp, self.sent = _connect(), 0
        try:
            self.smtp.send_message(message)
        except OSError:  # smtplib's errors are OSErrors
            self.close()  # the next message starts on a fresh connection
            raise
        self.sent += 1

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except OSError:  # smtplib's errors are OSErrors
            self.smtp.close()
        self.smtp = None


_batch: ContextVar[_Batch | None] = ContextVar("mail_batch", default=None)


def _connect() -> smtplib.SMTP:
    """A connection to MAIL_SERVER, with TLS and login when configured."""
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20)
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp
