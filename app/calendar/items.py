"""Turning meetings and programme sessions into CalendarItems, with texts in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from app.calendar.serializer import CalendarItem, Person
from app.i18n import local_date, local_time
from app.models import Meeting, MeetingStatus, Organization, ProgrammeSession, SessionRole

DEFAULT_ALARM_MINUTES = 15


@dataclass(frozen=True)
class Viewer:
    """Whose calendar an item goes into: the language, and the organization whose counterpart is named."""

    locale: str = "id"
    organization_id: int | None = None  # the reader's own organization (a cooperative, or the booth's BUMN)


def uid_domain() -> str:
    """Return the right-hand side of every UID: CALENDAR_UID_DOMAIN, else the host of PUBLIC_BASE_URL."""
    configured = current_app.config.get("CALENDAR_UID_DOMAIN")
    return configured or urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "temubisnis.local"


def meeting_uid(meeting_id: int) -> str:
    """Return the UID a meeting keeps for life, whatever its time, table or status."""
    return f"meeting-{meeting_id}@{uid_domain()}"


def session_uid(session_id: int) -> str:
    """Return the UID a programme session keeps for life."""
    return f"session-{session_id}@{uid_domain()}"


def alarm_minutes() -> int | None:
    """Return how many minutes before a meeting the reminder rings (CALENDAR_ALARM_MINUTES; 0 for none)."""
    minutes = int(current_app.config.get("CALENDAR_ALARM_MINUTES", DEFAULT_ALARM_MINUTES))
    return minutes or None


def meeting_item(meeting: Meeting, viewer: Viewer, attendees: tuple[Person, ...] = ()) -> CalendarItem:
    """Return a meeting as its reader sees it: whom they meet, where, why, in the reader's language."""
    counterparts = _counterparts(meeting, viewer.organization_id)
    names = ", ".join(o.display_name for o in counterparts)
    with force_locale(viewer.locale):
        place = meeting_place(meeting)
        title = _("Meeting: %(names)s", names=names)
        if meeting.status == MeetingStatus.CANCELLED:
            title = _("Cancelled: %(title)s", title=title)
        return CalendarItem(
            uid=meeting_uid(meeting.id),
            title=title,
            starts_at=meeting.slot.starts_at,
            ends_at=meeting.slot.ends_at,
            updated_at=meeting.updated_at,
            sequence=meeting.revision,
            cancelled=meeting.status == MeetingStatus.CANCELLED,
            location=", ".join(place),
            description=_meeting_description(meeting, counterparts, place),
            categories=(_("Business meeting"),),
            alarm_minutes=alarm_minutes(),
            alarm_text=_("%(title)s at %(place)s", title=title, place=place[-1]),
            attendees=attendees,
        )


def meeting_place(meeting: Meeting) -> list[str]:
    """Return where the meeting is, from the venue down to the table: venue, hall, booth, table."""
    event = meeting.event
    parts = [event.venue]
    if meeting.booth is not None:
        if meeting.booth.hall and meeting.booth.hall != event.venue:
            parts.append(meeting.booth.hall)
        booth = meeting.booth
        label = f"{booth.label} " if booth.label else ""
        parts.append(_("Booth %(label)s%(name)s", label=label, name=booth.name))
        parts.append(_("Table %(number)s", number=meeting.table_number))
    else:
        parts.append(_("Shared table %(number)s", number=meeting.table_number))
    return parts


def session_item(session: ProgrammeSession, viewer: Viewer, user_id: int | None = None) -> CalendarItem:
    """Return a programme session; with `user_id`, its description says what that person does on stage."""
    with force_locale(viewer.locale):
        title = session.title if not session.cancelled else _("Cancelled: %(title)s", title=session.title)
        venue, room = session.event.venue, session.room
        location = f"{venue}, {room}" if room and room != venue else venue
        return CalendarItem(
            uid=session_uid(session.id),
            title=title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            updated_at=session.updated_at,
            sequence=session.revision,
            cancelled=session.cancelled,
            location=location,
            description=_session_description(session, user_id),
            categories=(_("Programme"),),
            alarm_minutes=alarm_minutes(),
            alarm_text=title,
        )


def _counterparts(meeting: Meeting, organization_id: int | None) -> list[Organization]:
    parties = [meeting.request.requester, meeting.request.target]
    others = [o for o in parties if o.id != organization_id]
    return others or parties


def _priority_label(priority: int) -> str:
    if priority >= 3:
        return _("high")
    if priority <= 1:
        return _("low")
    return _("medium")


def _meeting_description(meeting: Meeting, counterparts: list[Organization], place: list[str]) -> str:
    request = meeting.request
    event = meeting.event
    lines: list[str] = []
    if meeting.status == MeetingStatus.CANCELLED:
        lines += [_("This meeting has been cancelled and will not take place."), ""]
    for organization in counterparts:
        lines.append(_("You meet: %(name)s", name=organization.name))
        for person in organization.representatives:
            lines.append(f"- {person.name}" + (f" ({person.position})" if person.position else ""))
    start, end = meeting.slot.starts_at, meeting.slot.ends_at
    lines.append(
        _(
            "When: %(date)s, %(start)s–%(end)s",
            date=local_date(start, event.timezone),
            start=local_time(start, event.timezone, with_zone=False),
            end=local_time(end, event.timezone),
        )
    )
    lines.append(_("Where: %(place)s", place=", ".join(place)))
    sectors = _topic_sectors(request.requester, request.target)
    if sectors:
        lines.append(_("Topics: %(sectors)s", sectors=", ".join(sectors)))
    lines.append(_("Requested by: %(name)s", name=request.requester.name))
    lines.append(_("Request priority: %(priority)s", priority=_priority_label(request.priority)))
    if request.mutual:
        lines.append(_("Both sides asked for this meeting."))
    lines += ["", _("Please arrive at the table 5 minutes early."), event.name]
    return "\n".join(lines)


def _topic_sectors(requester: Organization, target: Organization) -> list[str]:
    """Return what the meeting is about: sectors one side needs and the other offers, else what is offered."""
    locale = str(get_locale() or "id")
    offered = {s.code for s in target.offers} | {s.code for s in requester.offers}
    matching = [s for s in requester.needs if s.code in offered] + [
        s for s in target.needs if s.code in {o.code for o in requester.offers}
    ]
    chosen = matching or list(target.offers)
    seen: dict[str, str] = {}
    for sector in chosen:
        seen.setdefault(sector.code, sector.label(locale))
    return list(seen.values())


def _session_description(session: ProgrammeSession, user_id: int | None) -> str:
    event = session.event
    lines: list[str] = []
    if session.cancelled:
        lines += [_("This session has been cancelled and will not take place."), ""]
    if user_id is not None:
        roles = [p.role for p in session.people if p.user_id == user_id]
        if roles:
            lines.append(_("Your role: %(roles)s", roles=", ".join(_role_label(r) for r in roles)))
    if session.description:
        lines.append(session.description)
    for role in (SessionRole.MODERATOR, SessionRole.SPEAKER, SessionRole.PANELIST):
        people = session.people_in(role)
        if people:
            names = "; ".join(p.name + (f" ({p.position})" if p.position else "") for p in people)
            lines.append(f"{_role_label(role)}: {names}")
    lines.append(
        _(
            "When: %(date)s, %(start)s–%(end)s",
            date=local_date(session.starts_at, event.timezone),
            start=local_time(session.starts_at, event.timezone, with_zone=False),
            end=local_time(session.ends_at, event.timezone),
        )
    )
    lines += ["", event.name]
    return "\n".join(lines)


def _role_label(role: SessionRole) -> str:
    return {
        SessionRole.MODERATOR: _("Moderator"),
        SessionRole.SPEAKER: _("Speaker"),
        SessionRole.PANELIST: _("Panelist"),
    }[role]
