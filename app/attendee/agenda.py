"""A cooperative's agenda: its meetings in the published timetable, the day's sessions, what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask_babel import gettext as _

from app.calendar.items import meeting_place
from app.calendar.services import attendee_sessions, organization_meetings
from app.i18n import local_date, local_time
from app.models import Meeting, MeetingStatus, Organization, ProgrammeSession, Registration, utcnow

NEW, MOVED, CANCELLED = "new", "moved", "cancelled"


@dataclass(frozen=True)
class AgendaMeeting:
    """One meeting as the cooperative reads it: when, where, with whom, and whether it changed lately."""

    meeting: Meeting
    counterpart: Organization
    place: list[str]
    change: str | None
    google_url: str

    @property
    def is_cancelled(self) -> bool:
        """Tell whether the meeting was called off."""
        return self.meeting.status == MeetingStatus.CANCELLED


@dataclass(frozen=True)
class Agenda:
    """Everything the agenda page shows."""

    meetings: list[AgendaMeeting]
    sessions: list[ProgrammeSession]
    seen_since: datetime | None

    @property
    def changes(self) -> list[AgendaMeeting]:
        """Return the meetings that are new, moved or cancelled since the attendee last took note."""
        return [m for m in self.meetings if m.change]


def build_agenda(registration: Registration, now: datetime | None = None) -> Agenda:
    """Return the registration's agenda from the live meetings of the published timetable."""
    event, organization = registration.event, registration.organization
    seen = registration.agenda_seen_at
    meetings = sorted(
        organization_meetings(event, organization.id, now, details=False), key=lambda m: (m.slot.starts_at, m.id)
    )
    rows = []
    for meeting in meetings:
        counterpart = _counterpart(meeting, organization.id)
        place = meeting_place(meeting)
        rows.append(
            AgendaMeeting(
                meeting=meeting,
                counterpart=counterpart,
                place=place,
                change=meeting_change(meeting, seen),
                google_url=google_calendar_url(meeting, counterpart, place),
            )
        )
    return Agenda(meetings=rows, sessions=attendee_sessions(event, organization.id, now), seen_since=seen)


def meeting_change(meeting: Meeting, seen: datetime | None) -> str | None:
    """Tell how a meeting changed after `seen`: new, moved, cancelled, or None (also when never looked)."""
    if seen is None or meeting.updated_at <= seen:
        return None
    if meeting.status == MeetingStatus.CANCELLED:
        return CANCELLED if meeting.created_at <= seen else None
    if meeting.created_at > seen:
        return NEW
    if meeting.status == MeetingStatus.SCHEDULED and meeting.revision > 0:
        return MOVED
    return None


def needs_first_look(registration: Registration) -> bool:
    """Tell whether the attendee opens the published agenda for the first time (nothing to compare yet)."""
    return registration.agenda_seen_at is None and registration.event.is_published


def google_calendar_url(meeting: Meeting, counterpart: Organization, place: list[str]) -> str:
    """Return a link that opens Google Calendar with the meeting filled in (nothing is fetched until tapped)."""
    slot = meeting.slot
    fmt = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": _("Meeting: %(names)s", names=counterpart.display_name),
        "dates": f"{slot.starts_at.strftime(fmt)}/{slot.ends_at.strftime(fmt)}",
        "location": ", ".join(place),
        "details": meeting.event.name,
        "ctz": meeting.event.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def share_text(registration: Registration, agenda: Agenda) -> str:
    """Return the agenda as a short WhatsApp message."""
    event = registration.event
    lines = [
        _("Agenda of %(name)s", name=registration.organization.display_name),
        event.name,
        f"{event.venue}",
    ]
    for row in agenda.meetings:
        if row.is_cancelled:
            continue
        start = row.meeting.slot.starts_at
        lines.append(
            "• "
            + local_date(start, event.timezone)
            + ", "
            + local_time(start, event.timezone)
            + " – "
            + row.counterpart.display_name
            + " ("
            + ", ".join(row.place[1:])
            + ")"
        )
    return "\n".join(lines)


def mark_first_look(registration: Registration, now: datetime | None = None) -> None:
    """Start comparing from now on the attendee's first look at the published agenda."""
    registration.agenda_seen_at = now or utcnow()


def _counterpart(meeting: Meeting, organization_id: int) -> Organization:
    request = meeting.request
    return request.target if request.requester_id == organization_id else request.requester
