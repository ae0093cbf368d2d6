"""Who may see which meeting or calendar: feed owners, the parties of a meeting, organizers."""

from __future__ import annotations

from sqlalchemy import select

from app.calendar import services
from app.extensions import db
from app.models import Booth, CalendarFeed, Event, FeedKind, Meeting, Role, User


def meeting_parties(meeting: Meeting) -> set[int]:
    """Return the ids of the organizations taking part in a meeting, the booth's own included."""
    parties = {meeting.request.requester_id, meeting.request.target_id}
    if meeting.booth is not None:
        parties.add(meeting.booth.organization_id)
    return parties


def feed_covers_meeting(feed: CalendarFeed, meeting: Meeting) -> bool:
    """Tell whether a meeting belongs in a feed's calendar (same event, published, the feed's subject)."""
    if meeting.event_id != feed.event_id or not meeting.event.is_published:
        return False
    if feed.kind == FeedKind.ATTENDEE:
        return feed.organization_id in {meeting.request.requester_id, meeting.request.target_id}
    if feed.kind == FeedKind.BOOTH:
        return meeting.booth_id == feed.booth_id
    if feed.kind == FeedKind.BOOTH_TABLE:
        return meeting.booth_id == feed.booth_id and meeting.table_number == feed.table_number
    return False


def user_may_see_meeting(user: User, meeting: Meeting) -> bool:
    """Tell whether a logged-in user may download a meeting: organizers always, parties once it is published."""
    if user.role == Role.ORGANIZER:
        return True
    return meeting.event.is_published and user.organization_id in meeting_parties(meeting)


def own_booth(user: User, event: Event) -> Booth | None:
    """Return the booth a booth staff member works at in an event."""
    if user.organization_id is None:
        return None
    return db.session.scalar(
        select(Booth).where(Booth.event_id == event.id, Booth.organization_id == user.organization_id)
    )


def own_calendar(user: User, event: Event, locale: str) -> services.CalendarFile | None:
    """Return a logged-in user's own calendar of an event, or None when they have none there."""
    if user.role == Role.MODERATOR:
        return services.moderator_calendar(event, user, locale)
    if user.role == Role.BOOTH_STAFF:
        booth = own_booth(user, event)
        return services.booth_calendar(booth, None, locale) if booth else None
    if user.role == Role.ATTENDEE and user.organization is not None:
        return services.attendee_calendar(event, user.organization, locale)
    return None
