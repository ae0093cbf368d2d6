"""Issuing, finding and revoking secret calendar feed links; the raw token is shown once and stored hashed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Booth, CalendarFeed, Event, FeedKind, Organization, User, utcnow
from app.security.tokens import hash_token, new_token

# A fetch is recorded at most this often, so hourly polling by many clients does not write on every request.
FETCH_RECORD_INTERVAL = timedelta(minutes=10)


class FeedSubjectError(ValueError):
    """Raised when a feed's kind and its subject do not fit together (e.g. a booth feed without a booth)."""


class FeedUrls(NamedTuple):
    """The two addresses of a feed: webcal:// to subscribe, http(s):// to download or paste into Google."""

    webcal_url: str
    https_url: str


class Subject(NamedTuple):
    """Whose feed it is: the columns that tell one subject from another."""

    organization_id: int | None = None
    booth_id: int | None = None
    table_number: int | None = None
    user_id: int | None = None


def feed_subject(
    kind: FeedKind,
    *,
    organization: Organization | None = None,
    booth: Booth | None = None,
    table_number: int | None = None,
    user: User | None = None,
) -> Subject:
    """Return the subject of a feed of this kind, refusing a subject that does not fit the kind."""
    if kind == FeedKind.ATTENDEE and organization is not None:
        return Subject(organization_id=organization.id)
    if kind == FeedKind.BOOTH and booth is not None:
        return Subject(booth_id=booth.id)
    if kind == FeedKind.BOOTH_TABLE and booth is not None and table_number is not None:
        if not 1 <= table_number <= booth.table_count:
            raise FeedSubjectError(f"booth {booth.id} has no table {table_number}")
        return Subject(booth_id=booth.id, table_number=table_number)
    if kind == FeedKind.MODERATOR and user is not None:
        return Subject(user_id=user.id)
    if kind == FeedKind.PROGRAMME:
        return Subject()
    raise FeedSubjectError(f"a {kind} feed needs its subject")


def issue_feed(
    event: Event,
    kind: FeedKind,
    *,
    organization: Organization | None = None,
    booth: Booth | None = None,
    table_number: int | None = None,
    user: User | None = None,
    locale: str = "id",
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> str:
    """Create a feed link for the subject, revoking its previous one of that kind; return the raw token once."""
    now = now or utcnow()
    subject = feed_subject(kind, organization=organization, booth=booth, table_number=table_number, user=user)
    _revoke(event, kind, subject, now)
    token = new_token()
    feed = CalendarFeed(
        event_id=event.id,
        kind=kind,
        token_hash=hash_token(token),
        locale=locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"],
        created_at=now,
        expires_at=expires_at,
        **subject._asdict(),
    )
    db.session.add(feed)
    db.session.flush()
    return token


def revoke_feed(
    event: Event,
    kind: FeedKind,
    *,
    organization: Organization | None = None,
    booth: Booth | None = None,
    table_number: int | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> int:
    """Revoke the subject's live feed links of that kind (its old link then answers 404); return how many."""
    subject = feed_subject(kind, organization=organization, booth=booth, table_number=table_number, user=user)
    return _revoke(event, kind, subject, now or utcnow())


def active_feed(
    event: Event,
    kind: FeedKind,
    *,
    organization: Organization | None = None,
    booth: Booth | None = None,
    table_number: int | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> CalendarFeed | None:
    """Return the subject's usable feed of that kind (to show since when it exists), or None."""
    subject = feed_subject(kind, organization=organization, booth=booth, table_number=table_number, user=user)
    now = now or utcnow()
    feeds = db.session.scalars(_subject_query(event, kind, subject).order_by(CalendarFeed.id.desc()))
    return next((f for f in feeds if f.is_usable(now)), None)


def find_feed(raw_token: str, now: datetime | None = None) -> CalendarFeed | None:
    """Return the usable feed behind a raw token; unknown, revoked and expired tokens all give None."""
    if not raw_token or len(raw_token) > 200:
        return None
    feed = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.token_hash == hash_token(raw_token))
        # Building any feed reads its event, and an attendee feed its organization: one round trip for all three.
        .options(joinedload(CalendarFeed.event), joinedload(CalendarFeed.organization))
    )
    if feed is None or not feed.is_usable(now or utcnow()):
        return None
    return feed


def fetch_due(last_fetched_at: datetime | None, now: datetime) -> bool:
    """Tell whether a fetch at `now` is to be recorded (the first one, then at most once per few minutes)."""
    return last_fetched_at is None or now - last_fetched_at >= FETCH_RECORD_INTERVAL


def record_fetch(feed: CalendarFeed, now: datetime | None = None) -> None:
    """Note that a calendar client fetched the feed (at most once per few minutes)."""
    now = now or utcnow()
    if fetch_due(feed.last_fetched_at, now):
        feed.last_fetched_at = now
        db.session.flush()


def record_fetch_of(feed_id: int, last_fetched_at: datetime | None, now: datetime | None = None) -> bool:
    """Like `record_fetch`, for a feed known by id (no row loaded): one UPDATE when due; tell whether it wrote."""
    now = now or utcnow()
    if not fetch_due(last_fetched_at, now):
        return False
    db.session.execute(update(CalendarFeed).where(CalendarFeed.id == feed_id).values(last_fetched_at=now))
    return True


def feed_urls(raw_token: str) -> FeedUrls:
    """Return the webcal:// and http(s):// addresses of a feed, built on the configured PUBLIC_BASE_URL."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = current_app.url_map.bind("localhost").build("calendar.subscribed_feed", {"token": raw_token})
    https_url = base + path
    return FeedUrls(webcal_url="webcal://" + https_url.split("://", 1)[1], https_url=https_url)


def _subject_query(event: Event, kind: FeedKind, subject: Subject):
    query = select(CalendarFeed).where(CalendarFeed.event_id == event.id, CalendarFeed.kind == kind)
    for column, value in subject._asdict().items():
        attribute = getattr(CalendarFeed, column)
        query = query.where(attribute.is_(None) if value is None else attribute == value)
    return query


def _revoke(event: Event, kind: FeedKind, subject: Subject, now: datetime) -> int:
    feeds = db.session.scalars(_subject_query(event, kind, subject).where(CalendarFeed.revoked_at.is_(None))).all()
    for feed in feeds:
        feed.revoked_at = now
    db.session.flush()
    return len(feeds)
