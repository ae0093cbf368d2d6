"""Calendar feed and file routes: secret-token feeds, the public programme, single meetings and sessions."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.calendar import access, services, subscriptions
from app.calendar.feed_cache import cached_feed_calendar, lookup_feed
from app.calendar.feeds import feed_urls, find_feed, record_fetch_of
from app.calendar.forms import IssueFeedForm, RevokeFeedForm
from app.extensions import db, limiter, without_transaction
from app.models import Event, Meeting, ProgrammeSession, Role
from app.security.roles import roles_required

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

LOGGED_IN_ROLES = (Role.ORGANIZER, Role.MODERATOR, Role.BOOTH_STAFF, Role.ATTENDEE)


@bp.get("/feed/<token>.ics")
@limiter.limit(lambda: current_app.config["FEED_RATE_LIMIT"])
@without_transaction
def subscribed_feed(token: str):
    """Send the calendar behind a secret feed token (webcal subscription, or a download with ?download=1).

    One query checks the token (revoked and expired links answer 404 at once) and reads the feed's fingerprint; a
    cached rendering with the same fingerprint is sent (or a 304) without building anything.
    """
    found = lookup_feed(token)
    # services.feed_calendar looked up at call time: tests count the builds by replacing it.
    calendar = cached_feed_calendar(found, lambda feed: services.feed_calendar(feed)) if found else None
    if found is None or calendar is None:
        return feed_not_found()
    if record_fetch_of(found.id, found.last_fetched_at):
        db.session.commit()
    return send_calendar(calendar, private=True)


@bp.get("/feed/<token>/meetings/<int:meeting_id>.ics")
@limiter.limit(lambda: current_app.config["FEED_RATE_LIMIT"])
def feed_meeting_file(token: str, meeting_id: int):
    """Send one meeting of a feed as a file, seen from the feed owner's side."""
    feed = find_feed(token)
    meeting = db.session.get(Meeting, meeting_id)
    if feed is None or meeting is None or not access.feed_covers_meeting(feed, meeting):
        return feed_not_found()
    organization_id = feed.organization_id or (feed.booth.organization_id if feed.booth else None)
    return send_calendar(services.meeting_file(meeting, organization_id, feed.locale), private=True, download=True)


@bp.get("/e/<slug>/programme.ics")
def programme_feed(slug: str):
    """Send an event's public programme (no token: it is public)."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not services.event_is_public(event):
        abort(404)
    return send_calendar(services.programme_calendar(event, str(get_locale())), private=False)


@bp.get("/sessions/<int:session_id>.ics")
def session_file(session_id: int):
    """Send one programme session as a file (public, like the programme)."""
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or not services.event_is_public(session.event):
        abort(404)
    return send_calendar(services.session_file(session, str(get_locale())), private=False, download=True)


@bp.get("/meetings/<int:meeting_id>.ics")
@roles_required(*LOGGED_IN_ROLES)
def meeting_file(meeting_id: int):
    """Send one meeting as a file to a logged-in party of it (or an organizer)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not access.user_may_see_meeting(current_user, meeting):
        abort(404)
    calendar = services.meeting_file(meeting, current_user.organization_id, str(get_locale()))
    return send_calendar(calendar, private=True, download=True)


@bp.get("/events/<int:event_id>/mine.ics")
@roles_required(Role.MODERATOR, Role.BOOTH_STAFF, Role.ATTENDEE)
def my_calendar(event_id: int):
    """Send the logged-in user's own calendar of an event: their organization's, their booth's or their stage."""
    event = db.get_or_404(Event, event_id)
    calendar = access.own_calendar(current_user, event, str(get_locale()))
    if calendar is None:
        abort(404)
    return send_calendar(calendar, private=True, download=True)


@bp.route("/events/<int:event_id>/subscription", methods=["GET", "POST"])
@roles_required(Role.MODERATOR, Role.BOOTH_STAFF)
def manage_subscription(event_id: int):
    """Let booth staff and moderators create a calendar link (shown once) for their booth, a table or their stage."""
    event = db.get_or_404(Event, event_id)
    feeds = subscriptions.own_feeds(current_user, event)
    if not feeds.any:
        abort(404)
    form = IssueFeedForm()
    form.table.choices = [(subscriptions.ALL_TABLES, _("All tables of the booth"))] + [
        (n, _("Table %(number)s", number=n)) for n in feeds.table_choices()
    ]
    urls = None
    if form.validate_on_submit():
        token = subscriptions.issue_own_feed(current_user, event, form.table.data, str(get_locale()))
        db.session.commit()
        urls = feed_urls(token)
    response = make_response(
        render_template(
            "calendar/subscription.html",
            event=event,
            feeds=feeds,
            form=form,
            revoke_form=RevokeFeedForm(),
            live=subscriptions.live_own_feeds(current_user, event),
            urls=urls,
        )
    )
    # The page may show a secret link: no cache keeps it.
    response.cache_control.no_store = True
    return response


@bp.post("/events/<int:event_id>/subscription/stop")
@roles_required(Role.MODERATOR, Role.BOOTH_STAFF)
def stop_subscription(event_id: int):
    """Stop every calendar link the user (or their booth) has at the event."""
    event = db.get_or_404(Event, event_id)
    if not RevokeFeedForm().validate_on_submit():
        abort(400)
    stopped = subscriptions.revoke_own_feeds(current_user, event)
    db.session.commit()
    flash(_("Calendar links stopped: %(count)s.", count=stopped), "success")
    return redirect(url_for("calendar.manage_subscription", event_id=event.id))


def feed_not_found() -> Response:
    """Answer a feed link that is unknown, revoked or expired: the same short 404 for all, no page around it."""
    text = _("This calendar link does not work (any more). Ask for a new one on your schedule page.")
    response = make_response(text + "\n", 404)
    response.content_type = "text/plain; charset=utf-8"
    response.cache_control.no_store = True
    return response


def send_calendar(calendar: services.CalendarFile, private: bool, download: bool | None = None) -> Response:
    """Answer with an .ics: text/calendar, ETag and Last-Modified, and 304 when the client's copy is current."""
    if download is None:
        download = request.args.get("download") == "1"
    response = make_response(calendar.body)
    response.content_type = "text/calendar; charset=utf-8"
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{calendar.filename}"'
    response.set_etag(calendar.etag)
    response.last_modified = calendar.last_modified
    # Clients revalidate every time (cheap with the ETag); shared caches never keep a personal feed.
    response.cache_control.no_cache = True
    if private:
        response.cache_control.private = True
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    else:
        response.cache_control.public = True
    return response.make_conditional(request)
