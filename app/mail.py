"""Sending email through SMTP when MAIL_SERVER is set; otherwise (and in tests) messages go to an outbox list."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


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
    with smtplib.SMTP(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
        if current_app.config["MAIL_USE_TLS"]:
            smtp.starttls()
        if current_app.config.get("MAIL_USERNAME"):
            smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return message
