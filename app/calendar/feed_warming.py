"""Building every attendee feed of an event into the feed cache right after the event is published.

Right after a publication every subscribed calendar client finds its feed changed and fetches it: without this,
the first fetch of each of the event's feeds builds it while the client waits (a dozen queries and the serializer),
thousands of builds in the first minutes of a province event. A background job builds them ahead, one after the
other, into the cache the web processes share (`feed_cache`: Redis, CACHE_REDIS_URL). Without a shared cache
nothing is built ahead: a job's own memory (a Celery worker, a command line, one of several web processes) would
serve nobody or few, and small events build their feeds on first fetch in no time.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from app.calendar import services
from app.calendar.feed_cache import cached_feed_calendar, lookup_feed_by_hash
from app.extensions import db
from app.jobs import MAIL_QUEUE, background_job, submit_job
from app.models import CalendarFeed, Event, FeedKind, utcnow

log = logging.getLogger(__name__)

WARM_FEEDS = "calendar.warm_feeds"
# Feeds built between two clean-ups of the job's session (its identity map would otherwise hold every row read).
BATCH = 200


def connect_signals() -> None:
    """Listen to timetable publications (idempotent: blinker keeps one connection per receiver)."""
    from app.timetable.signals import timetable_published

    timetable_published.connect(on_timetable_published)


def on_timetable_published(event: Event, **_extra) -> None:
    """Queue the building of the event's attendee feeds; never fails or slows the publication."""
    if not warming_helps():
        return
    try:
        submit_job(WARM_FEEDS, event_id=event.id)
    except Exception:  # the publication is committed already: report, never fail the organizer's request
        log.exception("could not queue the building of the calendar feeds of event %s", event.id)


def warming_helps() -> bool:
    """Tell whether built feeds would reach the web processes: the cache is on and shared through Redis."""
    config = current_app.config
    if not config.get("CALENDAR_WARM_FEEDS", True) or float(config.get("CALENDAR_FEED_CACHE_SECONDS", 0)) <= 0:
        return False
    return bool(config.get("CACHE_REDIS_URL"))


@background_job(WARM_FEEDS, queue=MAIL_QUEUE)
def warm_feeds(event_id: int) -> int:
    """The job: build each usable attendee feed of the event that the cache lacks; return how many were built
    (`lookup_feed_by_hash` passes over revoked and expired links, as for a poll)."""
    now = utcnow()
    hashes = db.session.scalars(
        select(CalendarFeed.token_hash)
        .where(CalendarFeed.event_id == event_id, CalendarFeed.kind == FeedKind.ATTENDEE)
        .order_by(CalendarFeed.id)
    ).all()
    built = 0

    def build(feed: CalendarFeed):
        nonlocal built
        built += 1
        return services.feed_calendar(feed)

    for done, token_hash in enumerate(hashes, start=1):
        found = lookup_feed_by_hash(token_hash, now)
        if found is not None and found.cacheable:
            cached_feed_calendar(found, build)
        if done % BATCH == 0:
            db.session.rollback()  # read-only: ends the snapshot and empties the identity map
    db.session.rollback()
    log.info("built %s of %s calendar feeds of event %s", built, len(hashes), event_id)
    return built
