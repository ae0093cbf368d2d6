"""Who the attendee is: a personal access link kept in the signed session (or a logged-in attendee account).

Other areas build attendee pages on this: `current_registration()` and the `attendee_required` decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import g, render_template, session
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AccessLink, Registration, Role, utcnow
from app.security.tokens import hash_token

SESSION_KEY = "attendee_link_id"
# last_seen_at is refreshed at most this often, so reading pages does not write on every request.
SEEN_RESOLUTION = timedelta(minutes=5)


def find_link(token: str) -> AccessLink | None:
    """Return the active access link whose token this is, else None."""
    if not token or len(token) > 200:
        return None
    link = db.session.scalar(select(AccessLink).where(AccessLink.token_hash == hash_token(token)))
    return link if link is not None and link.is_active else None


def remember_link(link: AccessLink) -> None:
    """Keep the link's id in the signed session: this browser now speaks for the registration."""
    session[SESSION_KEY] = link.id
    session.permanent = True
    g.pop("attendee_link", None)


def forget_link() -> None:
    """Forget the access link on this browser."""
    session.pop(SESSION_KEY, None)
    g.pop("attendee_link", None)


def current_link() -> AccessLink | None:
    """Return the access link this browser opened, re-checked against the database on every request."""
    if "attendee_link" in g:
        return g.attendee_link
    link = None
    link_id = session.get(SESSION_KEY)
    if isinstance(link_id, int):
        # One query for the link, its registration, event and organization: every attendee page reads them.
        registration = joinedload(AccessLink.registration)
        link = db.session.get(
            AccessLink,
            link_id,
            options=[registration.joinedload(Registration.event), registration.joinedload(Registration.organization)],
        )
        if link is None or not link.is_active:
            session.pop(SESSION_KEY, None)
            link = None
    g.attendee_link = link
    return link


def current_registration() -> Registration | None:
    """Return the registration the visitor speaks for: by access link, else a logged-in attendee's latest."""
    link = current_link()
    if link is not None:
        return link.registration
    if current_user.is_authenticated and current_user.role == Role.ATTENDEE and current_user.organization_id:
        return db.session.scalar(
            select(Registration)
            .where(Registration.organization_id == current_user.organization_id)
            .order_by(Registration.registered_at.desc(), Registration.id.desc())
            .limit(1)
        )
    return None


def touch_link(link: AccessLink) -> bool:
    """Record that the link was used (at most every few minutes); tell whether anything changed."""
    now = utcnow()
    if link.last_seen_at is None or now - link.last_seen_at >= SEEN_RESOLUTION:
        link.last_seen_at = now
        db.session.flush()
        return True
    return False


def attendee_required(view: Callable) -> Callable:
    """Let through only visitors with a working access link (or an attendee login); others get a 403 page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any):
        registration = current_registration()
        if registration is None:
            return render_template("attendee/no_access.html"), 403
        link = current_link()
        if link is not None and touch_link(link):
            db.session.commit()
        return view(*args, **kwargs)

    return wrapped
