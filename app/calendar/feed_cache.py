"""A short-lived cache of rendered attendee feeds, per process, checked against a cheap fingerprint of the feed.

Building a feed takes a dozen queries and the iCalendar serializer; calendar clients poll the same feed again
and again. A cached feed is served only while it is younger than CALENDAR_FEED_CACHE_SECONDS (default 3600; 0
switches the cache off) AND the fingerprint still matches: the count, newest change and revisions of the
organization's meetings, the newest change of the event's programme, its confirmed seats, the event's status, and
the event's content revision (raised by `content_revision` on any change to the event, its slots, booths and rooms,
the people on stage, or the organizations taking part). Every change made through the app therefore shows on the
next poll; the cache's age only bounds how long a change written around the app (raw SQL) can go unseen.
With Redis, publishing fills the cache for every attendee feed of the event (`feed_warming`), so the first polls after a
publication find their feed built.

A poll costs one query (`lookup_feed`): the token's row, whether it is still usable, and the fingerprint, all
in one statement. Revoking or expiring a link therefore takes effect on the next request, cached copy or not.
A poll whose feed is cached is answered from memory, and a revalidation (If-None-Match) with the cached ETag
gets its 304 without anything being built.

Each process keeps its own renderings. With CACHE_REDIS_URL set they are also shared through Redis: a process that
has no (good) copy of a feed asks Redis before building it, and keeps what it builds there too, for the same age,
so with N web processes a feed is built once instead of N times. Entries are JSON (never pickles), keyed by the
token's hash; Redis failing or slow (over 0.25 s) is logged and the process goes on with its own cache alone.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.calendar.services import CalendarFile
from app.extensions import db
from app.models import (
    CalendarFeed,
    Event,
    FeedKind,
    Meeting,
    MeetingRequest,
    ProgrammeSession,
    Registration,
    utcnow,
)
from app.security.tokens import hash_token

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 3600
REDIS_PREFIX = "temubisnis:feed:"
REDIS_TIMEOUT_SECONDS = 0.25
# After Redis fails, a process leaves it alone for this long (and logs once), then tries again.
REDIS_BACKOFF_SECONDS = 30.0
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


class SharedFeedCache:
    """This process's FeedCache in front of renderings shared by every process through Redis."""

    def __init__(self, local: FeedCache, redis_client) -> None:
        self.local = local
        self.redis = redis_client
        self._down_until = 0.0

    def get(self, key: tuple[str, str], fingerprint: tuple, now: float) -> CalendarFile | None:
        """Return the rendering from this process's cache, else from Redis (kept here too for its remaining age)."""
        calendar = self.local.get(key, fingerprint, now)
        if calendar is not None or not self._redis_up(now):
            return calendar
        try:
            raw = self.redis.get(_redis_key(key))
        except Exception as error:  # any Redis failure: carry on with the local cache
            self._redis_failed(now, error)
            return None
        entry = _decode(raw, fingerprint) if raw else None
        if entry is None:
            return None
        calendar, remaining = entry
        if remaining <= 0:
            return None
        self.local.put(key, CachedFeed(fingerprint, calendar, now + remaining))
        return calendar

    def put(self, key: tuple[str, str], entry: CachedFeed, seconds: float, now: float) -> None:
        """Keep a rendering here and in Redis, for `seconds`."""
        self.local.put(key, entry)
        if not self._redis_up(now):
            return
        try:
            self.redis.set(_redis_key(key), _encode(entry, time.time() + seconds), px=max(1, int(seconds * 1000)))
        except Exception as error:  # any Redis failure: carry on with the local cache
            self._redis_failed(now, error)

    def _redis_up(self, now: float) -> bool:
        return self.redis is not None and now >= self._down_until

    def _redis_failed(self, now: float, error: Exception) -> None:
        if self._down_until == 0.0 or now >= self._down_until:
            log.warning(
                "calendar feed cache: Redis unavailable (%s); this process caches alone for %.0f s",
                error.__class__.__name__,
                REDIS_BACKOFF_SECONDS,
            )
        self._down_until = now + REDIS_BACKOFF_SECONDS


def _redis_key(key: tuple[str, str]) -> str:
    token_hash, locale = key
    return f"{REDIS_PREFIX}{token_hash}:{locale}"


def _encode(entry: CachedFeed, expires_at: float) -> str:
    calendar = entry.calendar
    return json.dumps(
        {
            "fingerprint": repr(entry.fingerprint),
            "expires_at": expires_at,
            "filename": calendar.filename,
            "body": base64.b64encode(calendar.body).decode("ascii"),
            "last_modified": calendar.last_modified.isoformat(),
        }
    )


def _decode(raw: bytes | str, fingerprint: tuple) -> tuple[CalendarFile, float] | None:
    """Return the shared rendering and its remaining seconds when it was built for this fingerprint."""
    try:
        data = json.loads(raw)
        if data["fingerprint"] != repr(fingerprint):
            return None
        calendar = CalendarFile(
            filename=data["filename"],
            body=base64.b64decode(data["body"]),
            last_modified=datetime.fromisoformat(data["last_modified"]),
        )
        return calendar, float(data["expires_at"]) - time.time()
    except (ValueError, KeyError, TypeError):
        return None


def feed_cache() -> SharedFeedCache:
    """Return this application's cache (one per app and process; a test's fresh app starts empty)."""
    cache = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        url = current_app.config.get("CACHE_REDIS_URL")
        client = None
        if url:
            import redis

            client = redis.Redis.from_url(
                url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
            )
        cache = current_app.extensions.setdefault(EXTENSION_KEY, SharedFeedCache(FeedCache(), client))
    return cache


@dataclass(frozen=True)
class FeedLookup:
    """What one query tells about a usable feed token: the feed's own columns and its fingerprint."""

    id: int
    kind: FeedKind
    event_id: int
    organization_id: int | None
    token_hash: str
    locale: str
    last_fetched_at: datetime | None
    fingerprint: tuple

    @property
    def cacheable(self) -> bool:
        """Tell whether the feed is an attendee feed (the only kind kept in the cache)."""
        return self.kind == FeedKind.ATTENDEE and self.organization_id is not None


def lookup_feed(raw_token: str, now: datetime | None = None) -> FeedLookup | None:
    """Return the usable feed behind a raw token with its fingerprint, in one query; unknown, revoked and expired
    tokens all give None (the same rule as `feeds.find_feed`)."""
    if not raw_token or len(raw_token) > 200:
        return None
    return lookup_feed_by_hash(hash_token(raw_token), now)


def lookup_feed_by_hash(token_hash: str, now: datetime | None = None) -> FeedLookup | None:
    """Return the usable feed stored under a token's hash with its fingerprint, in one query (see `lookup_feed`)."""
    row = db.session.execute(_lookup_query(), {"token_hash": token_hash}).first()
    if row is None:
        return None
    now = now or utcnow()
    if row.revoked_at is not None and row.revoked_at <= now:
        return None
    if row.expires_at is not None and now >= row.expires_at:
        return None
    return FeedLookup(
        id=row.id,
        kind=FeedKind(row.kind),
        event_id=row.event_id,
        organization_id=row.organization_id,
        token_hash=row.token_hash,
        locale=row.locale,
        last_fetched_at=row.last_fetched_at,
        fingerprint=tuple(row[_FINGERPRINT_START:]),
    )


_FEED_COLUMNS = (
    CalendarFeed.id,
    CalendarFeed.kind,
    CalendarFeed.event_id,
    CalendarFeed.organization_id,
    CalendarFeed.token_hash,
    CalendarFeed.locale,
    CalendarFeed.revoked_at,
    CalendarFeed.expires_at,
    CalendarFeed.last_fetched_at,
)
_FINGERPRINT_START = len(_FEED_COLUMNS)


@cache
def _lookup_query() -> Select:
    """Build the lookup statement once, with a parameter (building it costs more than running it).

    The feed row comes by its unique token hash; its organization's requests and their meetings are joined on
    (index probes from that one row) and aggregated; the programme and the seats are scalar subqueries on the
    row's event and organization. For a feed of another kind (no organization) nothing joins: the aggregates
    come back empty.
    """
    fingerprint, joined = _fingerprint(CalendarFeed, CalendarFeed.event_id, CalendarFeed.organization_id)
    return (
        joined(select(*_FEED_COLUMNS, *fingerprint))
        .where(CalendarFeed.token_hash == bindparam("token_hash"))
        .group_by(*_FEED_COLUMNS, Event.status, Event.content_revision)
    )


def registration_fingerprint(registration_id: int) -> tuple:
    """Return the fingerprint of what a registration's organization has at its event, in one query: the values
    `lookup_feed` reads for a feed (event status, meetings, programme, seats), for pages cached the same way."""
    row = db.session.execute(_registration_fingerprint_query(), {"registration_id": registration_id}).first()
    return tuple(row) if row is not None else ()


@cache
def _registration_fingerprint_query() -> Select:
    """Like `_lookup_query`, from the registration's row (by primary key) instead of the feed's: the requests and
    meetings are joined on that row's columns, never compared with a parameter, so PostgreSQL's generic plan probes
    the indexes from the one row (compared with a parameter, it read every meeting of the event)."""
    registration = aliased(Registration)
    fingerprint, joined = _fingerprint(registration, registration.event_id, registration.organization_id)
    return (
        joined(select(*fingerprint).select_from(registration))
        .where(registration.id == bindparam("registration_id"))
        .group_by(registration.id, Event.status, Event.content_revision)
    )


def _fingerprint(outer, event_id, organization_id) -> tuple[list, Callable[[Select], Select]]:
    """The fingerprint columns of an organization at its event, read from the row `outer` (a feed or a
    registration): event status, its meetings (count, latest change, revisions), the programme, its seats and the
    event's content revision; and the joins those columns need. The requests and meetings are joined on that row's
    columns, never compared with a parameter, so PostgreSQL's generic plan probes the indexes from the one row."""
    sessions = select(func.count(ProgrammeSession.id)).where(ProgrammeSession.event_id == event_id).correlate(outer)
    columns = [
        Event.status,
        func.count(Meeting.id),
        func.max(Meeting.updated_at),
        func.coalesce(func.sum(Meeting.revision), 0),
        sessions.scalar_subquery(),
        sessions.with_only_columns(func.max(ProgrammeSession.updated_at)).scalar_subquery(),
        *_seats_fingerprint(event_id, organization_id, outer),
        Event.content_revision,
    ]

    def joined(query: Select) -> Select:
        return (
            query.join(Event, Event.id == event_id)
            .outerjoin(
                MeetingRequest,
                and_(
                    MeetingRequest.event_id == event_id,
                    or_(MeetingRequest.requester_id == organization_id, MeetingRequest.target_id == organization_id),
                ),
            )
            .outerjoin(Meeting, and_(Meeting.request_id == MeetingRequest.id, Meeting.event_id == event_id))
        )

    return columns, joined


def _seats_fingerprint(event_id, organization_id, outer=CalendarFeed) -> list:
    try:
        from app.models import SessionSignup
    except ImportError:  # the programme area may not have seat sign-ups in this build
        return []
    seats = (
        select(func.count(SessionSignup.id))
        .join(Registration, Registration.id == SessionSignup.registration_id)
        .where(Registration.event_id == event_id, Registration.organization_id == organization_id)
        .correlate(outer)
    )
    return [
        seats.scalar_subquery(),
        seats.with_only_columns(func.max(SessionSignup.updated_at)).scalar_subquery(),
    ]


def load_feed(found: FeedLookup) -> CalendarFeed | None:
    """Load the feed row (with its event and organization, which building reads) to build its calendar."""
    return db.session.get(
        CalendarFeed, found.id, options=[joinedload(CalendarFeed.event), joinedload(CalendarFeed.organization)]
    )


def cached_feed_calendar(
    found: FeedLookup, build: Callable[[CalendarFeed], CalendarFile | None]
) -> CalendarFile | None:
    """Return the feed's calendar from the cache when still good, else build it (and keep attendee feeds)."""
    seconds = float(current_app.config.get("CALENDAR_FEED_CACHE_SECONDS", DEFAULT_SECONDS))
    use_cache = seconds > 0 and found.cacheable
    # The token's hash, not the row id: ids can come back (SQLite reuses the highest one after a delete).
    key = (found.token_hash, found.locale)
    now = time.monotonic()
    if use_cache:
        cached = feed_cache().get(key, found.fingerprint, now)
        if cached is not None:
            return cached
    feed = load_feed(found)
    calendar = build(feed) if feed is not None else None
    if calendar is not None and use_cache:
        # The fingerprint was read before building: a change in between makes the next poll build again.
        feed_cache().put(key, CachedFeed(found.fingerprint, calendar, now + seconds), seconds, now)
    return calendar
