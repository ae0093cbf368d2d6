"""Email notices about the programme: a session moved or cancelled, a seat freed for someone waiting."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.i18n import local_date, local_time
from app.mail import one_connection, send_mail
from app.models import EventStatus, Organization, ProgrammeSession, SessionPerson, SessionSignup
from app.programme.changes import Impact, SessionSnapshot
from app.programme.labels import role_label


@dataclass(frozen=True)
class Notice:
    """One email to one address."""

    to: str
    subject: str
    body: str


def should_notify(session: ProgrammeSession) -> bool:
    """Tell whether changes go out by email: once the event is public (no longer a draft)."""
    return session.event.status != EventStatus.DRAFT


def organization_emails(organization: Organization | None) -> list[str]:
    """Return the email addresses of an organization's representatives."""
    if organization is None:
        return []
    return [r.email for r in organization.representatives if r.email]


def person_emails(person: SessionPerson) -> list[str]:
    """Return where to reach a person on stage: their own email, their account's, else their organization's."""
    if person.email:
        return [person.email]
    if person.user is not None and person.user.email:
        return [person.user.email]
    return organization_emails(person.organization)


def change_notices(session: ProgrammeSession, before: SessionSnapshot, impact: Impact) -> list[Notice]:
    """Write one notice per affected address about the session's new time, room or cancellation."""
    if not should_notify(session):
        return []
    notices: dict[str, Notice] = {}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _changed_subject(session)
        summary = _change_summary(session, before)
        for person in impact.people:
            body = summary + "\n\n" + _("You are on stage in this session as %(role)s.", role=_role_name(person))
            _add(notices, person_emails(person), subject, body)
        for signup in impact.signups:
            body = summary + "\n\n" + _("Your cooperative signed up for this session.")
            _add(notices, organization_emails(signup.organization), subject, body)
        for clash in impact.clashes:
            body = (
                summary
                + "\n\n"
                + _(
                    "Your meeting with %(organization)s at %(time)s falls in this session, in which their "
                    "representative is on stage. The organizers will move the meeting and tell you its new time.",
                    organization=clash.on_stage.display_name,
                    time=local_time(clash.meeting.slot.starts_at, session.event.timezone),
                )
            )
            _add(notices, organization_emails(clash.cooperative), subject, body)
    return list(notices.values())


def seat_notices(promoted: list[SessionSignup]) -> list[Notice]:
    """Write a notice to each cooperative that moved from the waiting list into a seat."""
    notices: dict[str, Notice] = {}
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for signup in promoted:
            session = signup.session
            subject = _("A seat is free for you: %(title)s", title=session.title)
            body = _(
                'A seat has become free in "%(title)s" on %(date)s at %(time)s%(room)s. '
                "Your cooperative was next on the waiting list and now has the seat. "
                "If you cannot come, please leave the session so the next cooperative can take it.",
                title=session.title,
                date=local_date(session.starts_at, session.event.timezone),
                time=local_time(session.starts_at, session.event.timezone),
                room=", " + session.room if session.room else "",
            )
            _add(notices, organization_emails(signup.organization), subject, body)
    return list(notices.values())


def deliver(notices: list[Notice]) -> None:
    """Send the notices, one email per address, so no one sees the others' addresses (over one connection)."""
    with one_connection():
        for notice in notices:
            send_mail(notice.to, notice.subject, notice.body)


def _add(notices: dict[str, Notice], addresses: list[str], subject: str, body: str) -> None:
    for address in addresses:
        key = address.strip().lower()
        if key and key not in notices:
            notices[key] = Notice(to=address.strip(), subject=subject, body=body)


def _changed_subject(session: ProgrammeSession) -> str:
    if session.cancelled:
        return _("Session cancelled: %(title)s", title=session.title)
    return _("Session changed: %(title)s", title=session.title)


def _change_summary(session: ProgrammeSession, before: SessionSnapshot) -> str:
    zone = session.event.timezone
    was = _(
        "It was planned for %(date)s, %(start)s to %(end)s%(room)s.",
        date=local_date(before.starts_at, zone),
        start=local_time(before.starts_at, zone, False),
        end=local_time(before.ends_at, zone),
        room=", " + before.room if before.room else "",
    )
    if session.cancelled:
        lead = _('The session "%(title)s" of %(event)s is cancelled.', title=session.title, event=session.event.name)
        return f"{lead} {was}"
    if before.cancelled:
        lead = _(
            'The session "%(title)s" of %(event)s takes place after all.', title=session.title, event=session.event.name
        )
    else:
        lead = _('The session "%(title)s" of %(event)s has changed.', title=session.title, event=session.event.name)
    now = _(
        "New time: %(date)s, %(start)s to %(end)s%(room)s.",
        date=local_date(session.starts_at, zone),
        start=local_time(session.starts_at, zone, False),
        end=local_time(session.ends_at, zone),
        room=", " + session.room if session.room else "",
    )
    return f"{lead} {now} {was}"


def _role_name(person: SessionPerson) -> str:
    return role_label(person.role)
