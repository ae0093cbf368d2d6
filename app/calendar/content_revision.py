"""Counting, per event, the changes its cached calendars and agenda pages must see beside meetings and programme.

Cached feeds and agenda pages are checked against a fingerprint (`feed_cache`): the organization's meetings, the
programme, its seats, the event's status, and `Event.content_revision`. The revision is raised here, in the same
flush (so the same transaction) as any change to what those pages show that the other parts do not cover:
- the event itself (name, venue, timezone...), its days, breaks and slots, its booths and rooms;
- the people on its stages;
- the organizations taking part (names, sectors, representatives): every event they are registered at, hold a
  booth in or have a meeting request at;
- the sectors' names (every event).
Newcomers raise nothing: an organization created, or registering, with its representatives, is on no other
page before a meeting (itself in the fingerprint) puts it there.
A cached copy therefore stays good until one of these changes, and the cache's age is only a safety net for
writes that bypass the ORM (raw SQL in a shell).
"""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select, true, union, update
from sqlalchemy.orm import Session

from app.models import (
    Booth,
    Event,
    EventBreak,
    EventDay,
    MeetingRequest,
    Organization,
    ProgrammeSession,
    Registration,
    Representative,
    Room,
    Sector,
    SessionPerson,
    Slot,
)

# Rows that belong to one event (their event_id column says which).
EVENT_PARTS = (EventDay, EventBreak, Slot, Booth, Room)
# Of those, the ones no page shows before a meeting (itself in the fingerprint) is placed there: adding one raises
# nothing, so a slot or booth added after publishing leaves every cached feed good.
SHOWN_THROUGH_MEETINGS = (Slot, Booth, Room)
WATCHED = (Event, *EVENT_PARTS, SessionPerson, Organization, Representative, Sector)


class ChangedScope:
    """What one flush changed that calendars show: events, organizations, programme sessions, or everything."""

    def __init__(self) -> None:
        self.events: set[int] = set()
        self.organizations: set[int] = set()
        self.sessions: set[int] = set()
        self.everything = False
        # Organizations created or registering in this flush: their first representatives raise nothing either.
        self.new_organizations: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.events or self.organizations or self.sessions or self.everything)

    def add(self, obj: object, is_new: bool) -> None:
        """Take in one changed row."""
        if not isinstance(obj, WATCHED):
            return
        if isinstance(obj, Event):
            if not is_new:
                self.events.add(_loaded(obj, "id"))
        elif isinstance(obj, EVENT_PARTS):
            if not (is_new and isinstance(obj, SHOWN_THROUGH_MEETINGS)):
                self.events.add(_loaded(obj, "event_id"))
        elif isinstance(obj, SessionPerson):
            self.sessions.add(_loaded(obj, "session_id"))
        elif isinstance(obj, Organization):
            organization_id = _loaded(obj, "id")
            if not is_new and organization_id not in self.new_organizations:
                self.organizations.add(organization_id)
        elif isinstance(obj, Representative):
            organization_id = _loaded(obj, "organization_id")
            if not (is_new and organization_id in self.new_organizations):
                self.organizations.add(organization_id)
        elif isinstance(obj, Sector) and not is_new:
            self.everything = True
        self.events.discard(None)
        self.organizations.discard(None)
        self.sessions.discard(None)


def _loaded(obj: object, attribute: str):
    """Return an attribute's value in memory (never loading it: a deleted row cannot be read back)."""
    state = inspect(obj)
    value = state.dict.get(attribute)
    if value is None and state.identity is not None and attribute == "id":
        value = state.identity[0]
    return value


def changed_scope(session: Session) -> ChangedScope:
    """Return what the session's pending changes touch among the things calendars show (each list read once: the
    session builds it anew on every access)."""
    scope = ChangedScope()
    new = list(session.new)
    scope.new_organizations = {_loaded(obj, "id") for obj in new if isinstance(obj, Organization)} | {
        _loaded(obj, "organization_id") for obj in new if isinstance(obj, Registration)
    }
    for obj in new:
        scope.add(obj, is_new=True)
    for obj in session.deleted:
        scope.add(obj, is_new=False)
    for obj in session.dirty:
        if isinstance(obj, WATCHED) and session.is_modified(obj, include_collections=True):
            scope.add(obj, is_new=False)
    return scope


def raise_revisions(connection, scope: ChangedScope) -> None:
    """Raise the content revision of every event the changes touch, in the flush's transaction."""
    events = Event.__table__
    statement = update(events).values(content_revision=events.c.content_revision + 1)
    if scope.everything:
        connection.execute(statement.where(true()))
        return
    touched = []
    if scope.events:
        touched.append(select(events.c.id).where(events.c.id.in_(scope.events)))
    if scope.sessions:
        touched.append(select(ProgrammeSession.event_id).where(ProgrammeSession.id.in_(scope.sessions)))
    if scope.organizations:
        touched.append(select(Registration.event_id).where(Registration.organization_id.in_(scope.organizations)))
        touched.append(select(Booth.event_id).where(Booth.organization_id.in_(scope.organizations)))
        in_requests = MeetingRequest.requester_id.in_(scope.organizations) | MeetingRequest.target_id.in_(
            scope.organizations
        )
        touched.append(select(MeetingRequest.event_id).where(in_requests))
    connection.execute(statement.where(events.c.id.in_(union(*touched) if len(touched) > 1 else touched[0])))


def after_flush(session: Session, _flush_context) -> None:
    """Raise the revisions the flushed changes call for (the session still lists them at this point)."""
    scope = changed_scope(session)
    if scope:
        raise_revisions(session.connection(), scope)


def listen() -> None:
    """Watch every ORM session's flushes (idempotent)."""
    if not sa_event.contains(Session, "after_flush", after_flush):
        sa_event.listen(Session, "after_flush", after_flush)
