"""A short-lived cache of rendered attendee feeds, per process, checked against a cheap fingerprint of the feed.

Building a feed takes a dozen queries and the iCalendar serializer; calendar clients poll the same feed again
and again. A cached feed is served only while it is younger than CALENDAR_FEED_CACHE_SECONDS (default 60; 0
switches the cache off) AND the fingerprint still matches: the count, newest change and revisions of the
organization's meetings, the newest change of the event's programme, and its confirmed seats. A published change
to the timetable or programme therefore shows at once; a change outside them (a renamed counterpart, a new
representative) within the cache's age at most.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import BindParameter, Select, bindparam, func, or_, select

from app.calendar.services import CalendarFile
from app.extensions import db
from app.models import CalendarFeed, FeedKind, Meeting, MeetingRequest, ProgrammeSession, Registration

DEFAULT_SECONDS = 60
# Rendered attendee feeds are a few kilobytes: a few thousand per process stay within some megabytes.
MAX_ENTRIES = 4096
EXTENSION_KEY = "calendar_feed_cache"


@dataclass(frozen=True)
class CachedFeed:
    """A rendered feed, the fingerprint it was built for, and when it stops being served."""

    fingerprint: tuple
    calendar: CalendarFile
    expires: float


class FeedCache:
    """A bounded, thread-safe map of (token hash, locale) to a rendering; the least recently used leave first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], CachedFeed] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], fingerprint: tuple, now: float) -> CalendarFile | None:
        """Return the cached rendering when it is fresh and built for this fingerprint."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires <= now or entry.fingerprint != fingerprint:
                return None
            self._entries.move_to_end(key)
            return entry.calendar

    def put(self, key: tuple[str, str], entry: CachedFeed) -> None:
        """Keep a rendering, dropping the least recently used one when full."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def feed_cache() -> FeedCache:
    """Return this application's cache (one per app and process; a test's fresh app starts empty)."""
    return current_app.extensions.setdefault(EXTENSION_KEY, FeedCache())


def attendee_fingerprint(feed: CalendarFeed) -> tuple:
    """Return, in one query, what changes whenever the timetable or programme of the feed's organization changes."""
    query = _fingerprint_query()
    return tuple(db.session.execute(query, {"event_id": feed.event_id, "organization_id": feed.organization_id}).one())


@cache
def _fingerprint_query() -> Select:
    """Build the fingerprint statement once, with parameters (building it costs more than running it)."""
    event_id, organization_id = bindparam("event_id"), bindparam("organization_id")
    own_requests = select(MeetingRequest.id).where(
        MeetingRequest.event_id == event_id,
        or_(MeetingRequest.requester_id == organization_id, MeetingRequest.target_id == organization_id),
    )
    sessions = select(func.count(ProgrammeSession.id)).where(ProgrammeSession.event_id == event_id)
    return select(
        func.count(Meeting.id),
        func.max(Meeting.updated_at),
        func.coalesce(func.sum(Meeting.revision), 0),
        sessions.scalar_subquery(),
        sessions.with_only_columns(func.max(ProgrammeSession.updated_at)).scalar_subquery(),
        *_seats_fingerprint(event_id, organization_id),
    ).where(Meeting.event_id == event_id, Meeting.request_id.in_(own_requests))


def _seats_fingerprint(event_id: BindParameter, organization_id: BindParameter) -> list:
    try:
        from app.models import SessionSignup
    except ImportError:  # the programme area may not have seat sign-ups in this build
        return []
    seats = (
        select(func.count(SessionSignup.id))
        .join(Registration, Registration.id == SessionSignup.registration_id)
        .where(Registration.event_id == event_id, Registration.organization_id == organization_id)
    )
    return [
        seats.scalar_subquery(),
        seats.with_only_columns(func.max(SessionSignup.updated_at)).scalar_subquery(),
    ]


def cached_feed_calendar(
    feed: CalendarFeed, build: Callable[[CalendarFeed], CalendarFile | None]
) -> CalendarFile | None:
    """Return the feed's calendar from the cache when still good, else build it (and keep attendee feeds)."""
    seconds = float(current_app.config.get("CALENDAR_FEED_CACHE_SECONDS", DEFAULT_SECONDS))
    if seconds <= 0 or feed.kind != FeedKind.ATTENDEE or feed.organization_id is None:
        return build(feed)
    # The token's hash, not the row id: ids can come back (SQLite reuses the highest one after a delete).
    key = (feed.token_hash, feed.locale)
    fingerprint = attendee_fingerprint(feed)
    now = time.monotonic()
    cached = feed_cache().get(key, fingerprint, now)
    if cached is not None:
        return cached
    calendar = build(feed)
    if calendar is not None:
        feed_cache().put(key, CachedFeed(fingerprint, calendar, now + seconds))
    return calendar
