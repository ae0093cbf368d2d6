"""iTIP invitations by email (RFC 5546 over RFC 6047): new and moved meetings as REQUEST, cancelled as CANCEL.

A receiver of `timetable_published` hands the changes (meeting id -> new/moved/cancelled) to a background job,
so the organizer's publish request returns at once; the job writes one message per changed meeting to each
organization seated in it (cooperatives; the booth's own company follows all its tables through its booth feed
instead). The job runs in a thread of the web process, or on a Celery worker's `mail` queue (app/jobs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.calendar.items import Viewer, meeting_item
from app.calendar.serializer import Method, Person, build_calendar
from app.extensions import db
from app.i18n import local_date, local_time
from app.jobs import MAIL_QUEUE, RetryLater, background_job, submit_job
from app.mail import Attachment, one_connection, send_mail
from app.models import Booth, Event, Meeting, MeetingRequest, MeetingStatus, Organization, User, utcnow

log = logging.getLogger(__name__)

NEW, MOVED, CANCELLED = "new", "moved", "cancelled"
SEND_INVITATIONS = "calendar.send_invitations"
# When the mail server does not answer, the invitations not sent are tried again after 1, 5 and 10 minutes.
MAIL_RETRY_DELAYS = (60.0, 300.0, 600.0)


@dataclass(frozen=True)
class Invitation:
    """One email to write: a meeting, the organization it goes to, and what happened (new, moved, cancelled)."""

    meeting: Meeting
    organization: Organization
    change: str  # "new", "moved" or "cancelled", as in the timetable's diff
    locale: str | None = None  # the organization's language, when already known

    @property
    def method(self) -> Method:
        """Return the iTIP method: CANCEL for a cancelled meeting, else REQUEST."""
        cancelled = self.change == CANCELLED or self.meeting.status == MeetingStatus.CANCELLED
        return Method.CANCEL if cancelled else Method.REQUEST


def connect_signals() -> None:
    """Listen to timetable publications (idempotent: blinker keeps one connection per receiver)."""
    from app.timetable.signals import timetable_published

    timetable_published.connect(on_timetable_published)


def on_timetable_published(event: Event, version=None, diff=None, **_extra) -> None:
    """Queue the emails of a just-published version (plain data only); never fails or slows the publication."""
    if diff is None or not current_app.config.get("CALENDAR_ITIP_EMAILS", True):
        return
    try:
        changes = changed_meetings(diff)
        if changes:
            submit_job(SEND_INVITATIONS, event_id=event.id, changes={str(k): v for k, v in changes.items()})
    except Exception:  # the publication is committed already: report, never fail the organizer's request
        log.exception("could not queue calendar invitations for event %s", event.id)


@background_job(SEND_INVITATIONS, queue=MAIL_QUEUE, retry_delays=MAIL_RETRY_DELAYS)
def send_invitations(event_id: int, changes: dict[str, str], only: list[list[int]] | None = None) -> int:
    """The job: email each changed meeting (id -> new/moved/cancelled) to its parties; return how many were sent.

    `only` limits a retry to the [meeting id, organization id] pairs whose email did not go out the time before.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        return 0
    try:
        invitations = invitations_for(event, {int(k): v for k, v in changes.items()})
    except Exception:
        log.exception("could not prepare calendar invitations for event %s", event_id)
        return 0
    wanted = {(m, o) for m, o in only} if only is not None else None
    now, sent, unsent = utcnow(), 0, []
    with one_connection():
        for invitation in invitations:
            key = (invitation.meeting.id, invitation.organization.id)
            if wanted is not None and key not in wanted:
                continue
            try:
                send_invitation(invitation, now)
                sent += 1
            except OSError:  # the mail server did not answer or refused (smtplib's errors are OSErrors): try again
                log.exception("could not send the calendar invitation for meeting %s", invitation.meeting.id)
                unsent.append(key)
            except Exception:  # one message that cannot be written must not stop the others
                log.exception("could not write the calendar invitation for meeting %s", invitation.meeting.id)
    log.info("sent %s calendar invitations for event %s", sent, event_id)
    if unsent:
        raise RetryLater(
            f"{len(unsent)} of {sent + len(unsent)} invitations not sent",
            event_id=event_id,
            changes={str(m): changes[str(m)] for m, _o in unsent},
            only=[list(key) for key in unsent],
        )
    return sent


def invitations_for(event: Event, changes: dict[int, str]) -> list[Invitation]:
    """Return the emails to send for changed meetings (id -> new/moved/cancelled): one per seated organization."""
    if not changes:
        return []
    booth_holders = set(db.session.scalars(select(Booth.organization_id).where(Booth.event_id == event.id)))
    # Everything the emails read, in a handful of queries rather than several per meeting.
    parties = [
        selectinload(Meeting.request).selectinload(side).selectinload(detail)
        for side in (MeetingRequest.requester, MeetingRequest.target)
        for detail in (Organization.representatives, Organization.offers, Organization.needs)
    ]
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.event_id == event.id, Meeting.id.in_(changes))
        .options(selectinload(Meeting.slot), selectinload(Meeting.booth).selectinload(Booth.organization), *parties)
    ).all()
    locales = organization_locales({o.id for m in meetings for o in (m.request.requester, m.request.target)})
    invitations = []
    for meeting in meetings:
        for organization in (meeting.request.requester, meeting.request.target):
            if organization.id in booth_holders or not _emails(organization):
                continue
            invitations.append(Invitation(meeting, organization, changes[meeting.id], locales[organization.id]))
    return sorted(invitations, key=lambda i: (i.meeting.id, i.organization.id))


def send_invitation(invitation: Invitation, now: datetime | None = None) -> None:
    """Send one iTIP email: the text of the change and the invitation as a text/calendar attachment."""
    meeting, organization, method = invitation.meeting, invitation.organization, invitation.method
    recipients = _emails(organization)
    locale = invitation.locale or organization_locale(organization)
    data = itip_message(meeting, organization, method, locale, now or utcnow())
    with force_locale(locale):
        subject, body = _email_text(meeting, organization, invitation.change, method, locale)
    attachment = Attachment(
        filename="undangan.ics" if locale == "id" else "invite.ics",
        mimetype=f"text/calendar; method={method.value}; charset=utf-8",
        data=data,
    )
    send_mail([r.email for r in recipients], subject, body, [attachment])


def itip_message(meeting: Meeting, organization: Organization, method: Method, locale: str, now: datetime) -> bytes:
    """Return the iTIP iCalendar object of a meeting for one organization's representatives."""
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    organizer = Person(email=address or "noreply@localhost", name=name or None)
    attendees = tuple(Person(email=r.email, name=r.name) for r in _emails(organization))
    item = meeting_item(meeting, Viewer(locale=locale, organization_id=organization.id), attendees=attendees)
    item = replace(item, organizer=organizer)
    return build_calendar(item.title, [item], timezone=meeting.event.timezone, method=method, now=now)


def organization_locale(organization: Organization) -> str:
    """Return the language an organization reads: its users' chosen one, else the default (Indonesian)."""
    chosen = db.session.scalar(
        select(User.locale).where(User.organization_id == organization.id, User.locale.is_not(None)).limit(1)
    )
    languages = current_app.config["LANGUAGES"]
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def organization_locales(organization_ids: set[int]) -> dict[int, str]:
    """Return the language of each organization, as `organization_locale` does, in one query."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen: dict[int, str] = {}
    if organization_ids:
        rows = db.session.execute(
            select(User.organization_id, User.locale)
            .where(User.organization_id.in_(organization_ids), User.locale.is_not(None))
            .order_by(User.id)
        )
        for organization_id, locale in rows:
            chosen.setdefault(organization_id, locale)
    return {o: chosen[o] if chosen.get(o) in languages else default for o in organization_ids}


def _emails(organization: Organization):
    return [r for r in organization.representatives if r.email]


def changed_meetings(diff) -> dict[int, str]:
    """Read a TimetableDiff (its new, moved and cancelled changes) as meeting id -> kind of change."""
    changes: dict[int, str] = {}
    for kind in (NEW, MOVED, CANCELLED):
        for change in getattr(diff, kind, ()):
            meeting_id = getattr(change, "meeting_id", None)
            if meeting_id is not None:
                changes[meeting_id] = kind
    return changes


def _email_text(
    meeting: Meeting, organization: Organization, change: str, method: Method, locale: str
) -> tuple[str, str]:
    event = meeting.event
    others = [o for o in (meeting.request.requester, meeting.request.target) if o.id != organization.id]
    names = ", ".join(o.display_name for o in others)
    when = _(
        "%(date)s at %(time)s",
        date=local_date(meeting.slot.starts_at, event.timezone),
        time=local_time(meeting.slot.starts_at, event.timezone),
    )
    if method == Method.CANCEL:
        subject = _("Meeting cancelled: %(names)s, %(when)s", names=names, when=when)
        intro = _("Your meeting with %(names)s on %(when)s has been cancelled.", names=names, when=when)
    elif change == MOVED:
        subject = _("Meeting changed: %(names)s, %(when)s", names=names, when=when)
        intro = _("Your meeting with %(names)s has a new time or table: %(when)s.", names=names, when=when)
    else:
        subject = _("Meeting scheduled: %(names)s, %(when)s", names=names, when=when)
        intro = _("A meeting with %(names)s has been scheduled for you: %(when)s.", names=names, when=when)
    item = meeting_item(meeting, Viewer(locale=locale, organization_id=organization.id))
    lines = [
        _("Dear %(name)s,", name=organization.name),
        "",
        intro,
        "",
        item.description or "",
        "",
        _("The attached invitation puts this change into your calendar (Google Calendar, Outlook, Apple Calendar)."),
        "",
        event.name,
    ]
    return f"[{event.name}] {subject}", "\n".join(lines)
