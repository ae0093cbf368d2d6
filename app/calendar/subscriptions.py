"""Calendar links of logged-in booth staff and moderators: which feed is theirs, issuing and stopping it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.calendar.access import own_booth
from app.calendar.feeds import issue_feed
from app.extensions import db
from app.models import Booth, CalendarFeed, Event, FeedKind, Role, User, utcnow

ALL_TABLES = 0


@dataclass(frozen=True)
class OwnFeeds:
    """What a user may subscribe to at an event: a booth (all tables or one) or their stage sessions."""

    booth: Booth | None
    moderator: bool

    @property
    def any(self) -> bool:
        """Tell whether the user has any calendar of their own at the event."""
        return self.booth is not None or self.moderator

    def table_choices(self) -> list[int]:
        """Return the booth's table numbers (empty for a moderator)."""
        return list(range(1, self.booth.table_count + 1)) if self.booth else []


def own_feeds(user: User, event: Event) -> OwnFeeds:
    """Return what the user may subscribe to at the event."""
    booth = own_booth(user, event) if user.role == Role.BOOTH_STAFF else None
    return OwnFeeds(booth=booth, moderator=user.role == Role.MODERATOR)


def issue_own_feed(user: User, event: Event, table_number: int, locale: str) -> str:
    """Create the user's feed link (a booth's, one table's, or their sessions'); return the raw token once."""
    feeds = own_feeds(user, event)
    if feeds.booth is not None and table_number != ALL_TABLES:
        return issue_feed(event, FeedKind.BOOTH_TABLE, booth=feeds.booth, table_number=table_number, locale=locale)
    if feeds.booth is not None:
        return issue_feed(event, FeedKind.BOOTH, booth=feeds.booth, locale=locale)
    if feeds.moderator:
        return issue_feed(event, FeedKind.MODERATOR, user=user, locale=locale)
    raise PermissionError("no calendar of one's own at this event")


def live_own_feeds(user: User, event: Event) -> list[CalendarFeed]:
    """Return the user's working feed links at the event (a booth's are shared by its staff), newest first."""
    feeds = own_feeds(user, event)
    query = select(CalendarFeed).where(CalendarFeed.event_id == event.id, CalendarFeed.revoked_at.is_(None))
    if feeds.booth is not None:
        query = query.where(CalendarFeed.booth_id == feeds.booth.id)
    elif feeds.moderator:
        query = query.where(CalendarFeed.kind == FeedKind.MODERATOR, CalendarFeed.user_id == user.id)
    else:
        return []
    now = utcnow()
    return [f for f in db.session.scalars(query.order_by(CalendarFeed.id.desc())) if f.is_usable(now)]


def revoke_own_feeds(user: User, event: Event) -> int:
    """Stop every working feed link of the user (or their booth) at the event; return how many."""
    feeds = live_own_feeds(user, event)
    now = utcnow()
    for feed in feeds:
        feed.revoked_at = now
    db.session.flush()
    return len(feeds)
