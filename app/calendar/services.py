"""Which meetings and sessions go into which calendar, read from the published timetable and the programme."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, cached_property

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.calendar.items import Viewer, meeting_item, session_item
from app.calendar.serializer import CalendarItem, build_calendar
from app.extensions import db
from app.models import (
    Booth,
    CalendarFeed,
    Event,
    EventStatus,
    FeedKind,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    Organization,
    ProgrammeSession,
    Registration,
    Representative,
    Sector,
    SessionPerson,
    User,
    utcnow,
)
from app.models.organization import organization_needs, organization_offers
from app.models.types import UTCDateTime

DEFAULT_CANCELLED_DAYS = 30


@dataclass(frozen=True)
class CalendarFile:
    """A finished .ics: its bytes, a file name to save it under and the time of its last change."""

    filename: str
    body: bytes
    last_modified: datetime

    @cached_property
    def etag(self) -> str:
        """Return the entity tag of the body (worked out once per rendering, which the feed cache keeps)."""
        return hashlib.sha256(self.body).hexdigest()[:40]


def cancelled_cutoff(now: datetime) -> datetime:
    """Return the moment before which cancelled items leave the feeds (CALENDAR_CANCELLED_DAYS back)."""
    days = int(current_app.config.get("CALENDAR_CANCELLED_DAYS", DEFAULT_CANCELLED_DAYS))
    return now - timedelta(days=days)


_MEETING_NEIGHBOURS = (
    joinedload(Meeting.slot, innerjoin=True),
    joinedload(Meeting.booth).joinedload(Booth.organization, innerjoin=True),
    joinedload(Meeting.request, innerjoin=True).options(
        joinedload(MeetingRequest.requester, innerjoin=True),
        joinedload(MeetingRequest.target, innerjoin=True),
    ),
)


def _meeting_query(event: Event, now: datetime):
    """Published meetings of the event, cancelled ones only while they are recent, with slot, booth and parties.

    The one-to-one neighbours come in the same query (joins): a feed or an agenda page is one round trip here.
    """
    return (
        select(Meeting)
        .where(
            Meeting.event_id == event.id,
            or_(Meeting.status != MeetingStatus.CANCELLED, Meeting.updated_at >= cancelled_cutoff(now)),
        )
        .options(*_MEETING_NEIGHBOURS)
    )


def _with_party_details(meetings: list[Meeting]) -> list[Meeting]:
    """Load the needs, offers and representatives of every party of the meetings at once (for descriptions).

    Two queries whatever the number of parties: the sectors each party needs or offers (one UNION), and their
    representatives; the collections are then set on the already loaded organizations as if lazily loaded.
    """
    parties = {m.request.requester.id: m.request.requester for m in meetings}
    parties.update({m.request.target.id: m.request.target for m in meetings})
    if not parties:
        return meetings
    ids = list(parties)
    pairs = union_all(
        *(
            select(
                table.c.organization_id.label("organization_id"),
                literal(name).label("collection"),
                table.c.sector_code,
            ).where(table.c.organization_id.in_(ids))
            for name, table in (("needs", organization_needs), ("offers", organization_offers))
        )
    ).subquery()
    sectors: dict[tuple[int, str], list[Sector]] = defaultdict(list)
    for organization_id, collection, sector in db.session.execute(
        select(pairs.c.organization_id, pairs.c.collection, Sector)
        .join(Sector, Sector.code == pairs.c.sector_code)
        .order_by(Sector.code)
    ):
        sectors[(organization_id, collection)].append(sector)
    people: dict[int, list[Representative]] = defaultdict(list)
    for person in db.session.scalars(
        select(Representative).where(Representative.organization_id.in_(ids)).order_by(Representative.id)
    ):
        people[person.organization_id].append(person)
    for organization_id, organization in parties.items():
        set_committed_value(organization, "needs", sectors[(organization_id, "needs")])
        set_committed_value(organization, "offers", sectors[(organization_id, "offers")])
        set_committed_value(organization, "representatives", people[organization_id])
    return meetings


def organization_meetings(
    event: Event, organization_id: int, now: datetime | None = None, details: bool = True
) -> list[Meeting]:
    """Return the published meetings an organization takes part in (as requester or as the one asked).

    `details=False` leaves the parties' needs, offers and representatives unloaded (pages that show none of them).
    """
    if not event.is_published:
        return []
    # The organization's requests first, then their meetings by request id: one statement with a subquery would
    # be planned once for all organizations on PostgreSQL (a prepared statement's generic plan), and that plan
    # reads every meeting of the event, as BUMN booths are the target of hundreds of requests each.
    parameters = {"event_id": event.id, "organization_id": organization_id}
    own_requests = db.session.scalars(_own_requests_query(), parameters).all()
    if not own_requests:
        return []
    cutoff = cancelled_cutoff(now or utcnow())
    meetings = list(
        db.session.scalars(_own_meetings_query(), {"event_id": event.id, "cutoff": cutoff, "requests": own_requests})
    )
    return _with_party_details(meetings) if details else meetings


@cache
def _own_requests_query():
    """The requests an organization made or received in an event (built once, with parameters)."""
    organization_id = bindparam("organization_id")
    return select(MeetingRequest.id).where(
        MeetingRequest.event_id == bindparam("event_id"),
        or_(MeetingRequest.requester_id == organization_id, MeetingRequest.target_id == organization_id),
    )


@cache
def _own_meetings_query():
    """`_meeting_query` for a list of requests, built once with parameters: building it cost more than running it."""
    return (
        select(Meeting)
        .where(
            Meeting.event_id == bindparam("event_id"),
            or_(
                Meeting.status != MeetingStatus.CANCELLED, Meeting.updated_at >= bindparam("cutoff", type_=UTCDateTime)
            ),
            Meeting.request_id.in_(bindparam("requests", expanding=True)),
        )
        .options(*_MEETING_NEIGHBOURS)
    )


def booth_meetings(booth: Booth, table_number: int | None = None, now: datetime | None = None) -> list[Meeting]:
    """Return the published meetings at a booth, at all its tables or at one."""
    if not booth.event.is_published:
        return []
    query = _meeting_query(booth.event, now or utcnow()).where(Meeting.booth_id == booth.id)
    if table_number is not None:
        query = query.where(Meeting.table_number == table_number)
    return _with_party_details(list(db.session.scalars(query)))


def _session_query(event: Event, now: datetime):
    return (
        select(ProgrammeSession)
        .where(
            ProgrammeSession.event_id == event.id,
            or_(~ProgrammeSession.cancelled, ProgrammeSession.updated_at >= cancelled_cutoff(now)),
        )
        .options(selectinload(ProgrammeSession.people))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )


def programme_sessions(event: Event, now: datetime | None = None) -> list[ProgrammeSession]:
    """Return the event's public programme."""
    return list(db.session.scalars(_session_query(event, now or utcnow())))


def attendee_sessions(event: Event, organization_id: int, now: datetime | None = None) -> list[ProgrammeSession]:
    """Return the sessions an organization attends: those for everyone, and those it holds a seat in."""
    parameters = {"event_id": event.id, "organization_id": organization_id, "cutoff": cancelled_cutoff(now or utcnow())}
    return list(db.session.scalars(_attendee_sessions_query(), parameters))


@cache
def _attendee_sessions_query():
    """`attendee_sessions`' statement, built once with parameters (every feed and agenda page runs it)."""
    event_id, organization_id = bindparam("event_id"), bindparam("organization_id")
    condition = ProgrammeSession.for_everyone
    signup = _signup_condition_of(event_id, organization_id)
    if signup is not None:
        condition = or_(condition, signup)
    return (
        select(ProgrammeSession)
        .where(
            ProgrammeSession.event_id == event_id,
            or_(~ProgrammeSession.cancelled, ProgrammeSession.updated_at >= bindparam("cutoff", type_=UTCDateTime)),
            condition,
        )
        .options(selectinload(ProgrammeSession.people))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )


def _signup_condition_of(event_id, organization_id):
    """Sessions with a confirmed seat for the organization (when the programme has seat sign-ups)."""
    try:
        from app.models import SessionSignup, SignupStatus
    except ImportError:  # the programme area may not have seat sign-ups in this build
        return None
    seated = (
        select(SessionSignup.session_id)
        .join(Registration, Registration.id == SessionSignup.registration_id)
        .where(
            Registration.event_id == event_id,
            Registration.organization_id == organization_id,
            SessionSignup.status == SignupStatus.CONFIRMED,
        )
    )
    return ProgrammeSession.id.in_(seated)


def user_sessions(event: Event, user_id: int, now: datetime | None = None) -> list[ProgrammeSession]:
    """Return the sessions a user is on stage in (moderating, speaking or on a panel)."""
    on_stage = select(SessionPerson.session_id).where(SessionPerson.user_id == user_id)
    return list(db.session.scalars(_session_query(event, now or utcnow()).where(ProgrammeSession.id.in_(on_stage))))


def attendee_calendar(event: Event, organization: Organization, locale: str = "id", now=None) -> CalendarFile:
    """Return an organization's calendar: its meetings in the published timetable and its sessions."""
    now = now or utcnow()
    viewer = Viewer(locale=locale, organization_id=organization.id)
    items = [meeting_item(m, viewer) for m in organization_meetings(event, organization.id, now)]
    items += [session_item(s, viewer) for s in attendee_sessions(event, organization.id, now)]
    with force_locale(locale):
        name = _("Schedule: %(name)s – %(event)s", name=organization.display_name, event=event.name)
    return _calendar_file(event, name, items, f"{event.slug}-{organization.display_name}")


def booth_calendar(booth: Booth, table_number: int | None = None, locale: str = "id", now=None) -> CalendarFile:
    """Return a booth's calendar: the meetings at all its tables, or at one table."""
    now = now or utcnow()
    viewer = Viewer(locale=locale, organization_id=booth.organization_id)
    items = [meeting_item(m, viewer) for m in booth_meetings(booth, table_number, now)]
    with force_locale(locale):
        name = _("Booth %(name)s – %(event)s", name=booth.name, event=booth.event.name)
        if table_number is not None:
            name = _("%(calendar)s, table %(number)s", calendar=name, number=table_number)
    suffix = f"-{table_number}" if table_number is not None else ""
    return _calendar_file(booth.event, name, items, f"{booth.event.slug}-{booth.name}{suffix}")


def moderator_calendar(event: Event, user: User, locale: str = "id", now=None) -> CalendarFile:
    """Return the sessions a user moderates or speaks in."""
    now = now or utcnow()
    viewer = Viewer(locale=locale)
    items = [session_item(s, viewer, user_id=user.id) for s in user_sessions(event, user.id, now)]
    with force_locale(locale):
        name = _("On stage: %(name)s – %(event)s", name=user.name, event=event.name)
    return _calendar_file(event, name, items, f"{event.slug}-{user.name}")


def programme_calendar(event: Event, locale: str = "id", now=None) -> CalendarFile:
    """Return the event's public programme."""
    viewer = Viewer(locale=locale)
    items = [session_item(s, viewer) for s in programme_sessions(event, now or utcnow())]
    with force_locale(locale):
        name = _("Programme – %(event)s", event=event.name)
    return _calendar_file(event, name, items, f"{event.slug}-programme")


def feed_calendar(feed: CalendarFeed, now: datetime | None = None) -> CalendarFile | None:
    """Return the calendar a feed link stands for, or None when its subject is gone."""
    event, locale = feed.event, feed.locale
    if feed.kind == FeedKind.ATTENDEE and feed.organization is not None:
        return attendee_calendar(event, feed.organization, locale, now)
    if feed.kind == FeedKind.BOOTH and feed.booth is not None:
        return booth_calendar(feed.booth, None, locale, now)
    if feed.kind == FeedKind.BOOTH_TABLE and feed.booth is not None:
        return booth_calendar(feed.booth, feed.table_number, locale, now)
    if feed.kind == FeedKind.MODERATOR and feed.user is not None:
        return moderator_calendar(event, feed.user, locale, now)
    if feed.kind == FeedKind.PROGRAMME:
        return programme_calendar(event, locale, now)
    return None


def meeting_file(meeting: Meeting, organization_id: int | None, locale: str = "id") -> CalendarFile:
    """Return one meeting as a file, seen from the given organization's side."""
    item = meeting_item(meeting, Viewer(locale=locale, organization_id=organization_id))
    return _calendar_file(meeting.event, item.title, [item], f"{meeting.event.slug}-meeting-{meeting.id}")


def session_file(session: ProgrammeSession, locale: str = "id") -> CalendarFile:
    """Return one programme session as a file."""
    item = session_item(session, Viewer(locale=locale))
    return _calendar_file(session.event, item.title, [item], f"{session.event.slug}-session-{session.id}")


def organizations_with_meetings(event: Event) -> list[Organization]:
    """Return every organization that registered for the event or has a meeting in it, booth holders excepted."""
    booth_holders = select(Booth.organization_id).where(Booth.event_id == event.id)
    in_meetings = select(MeetingRequest.requester_id).join(Meeting, Meeting.request_id == MeetingRequest.id)
    in_meetings_as_target = select(MeetingRequest.target_id).join(Meeting, Meeting.request_id == MeetingRequest.id)
    registered = select(Registration.organization_id).where(Registration.event_id == event.id)
    query = (
        select(Organization)
        .where(
            and_(
                or_(
                    Organization.id.in_(registered),
                    Organization.id.in_(in_meetings.where(Meeting.event_id == event.id)),
                    Organization.id.in_(in_meetings_as_target.where(Meeting.event_id == event.id)),
                ),
                Organization.id.not_in(booth_holders),
            )
        )
        .order_by(Organization.id)
    )
    return list(db.session.scalars(query))


def event_is_public(event: Event) -> bool:
    """Tell whether the event's programme may be shown to anyone (the event is past its draft)."""
    return event.status != EventStatus.DRAFT


def _calendar_file(event: Event, name: str, items: Sequence[CalendarItem], stem: str) -> CalendarFile:
    body = build_calendar(name, items, timezone=event.timezone, description=event.name)
    changed = max((i.updated_at for i in items), default=event.created_at)
    return CalendarFile(filename=f"{safe_file_stem(stem)}.ics", body=body, last_modified=changed)


def safe_file_stem(text: str) -> str:
    """Return text as a plain ASCII file name stem, e.g. 'KDKMP Sumber Rejo, Kec.' -> 'kdkmp-sumber-rejo-kec'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:100] or "calendar"
