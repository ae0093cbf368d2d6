"""A short-lived cache of rendered agenda pages, per process, checked against the same fingerprint as the feeds.

Cooperatives keep the agenda page open and reload it; building it takes several queries and a template. A cached
page is served only while it is younger than AGENDA_CACHE_SECONDS (default 60; 0 switches the cache off) AND the
fingerprint of the organization's calendar (`feed_cache.registration_fingerprint`: its meetings' count, newest
change and revisions, the programme, its seats, the event's status) still matches. The key holds the registration,
the language and the moment the attendee last took note of the changes, so "what changed since you last looked"
is right after every "Noted", and no attendee can be given another's page.

Served fresh, never from the cache: a first look at the published agenda (it is written down), a page with a
query string, a page with flashed messages waiting, and visitors logged in with an account (their name and menu
are in the page). The access link is checked on every request before this cache is asked (`attendee_required`).
Each page carries the visitor's own CSRF token: pages are kept with a placeholder in its place, replaced on the way
out by the token of the session at hand.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.calendar.feed_cache import registration_fingerprint
from app.models import Registration

DEFAULT_SECONDS = 60
MAX_ENTRIES = 4096
EXTENSION_KEY = "attendee_agenda_cache"
# Random per process, so no text a cooperative types can pose as it.
CSRF_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)


@dataclass(frozen=True)
class CachedPage:
    """A rendered page (with the CSRF placeholder), the fingerprint it was built for, and when it stops serving."""

    fingerprint: tuple
    page: str
    expires: float


class PageCache:
    """A bounded, thread-safe map of keys to rendered pages; the least recently used leave first."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, fingerprint: tuple, now: float) -> str | None:
        """Return the cached page when it is fresh and built for this fingerprint."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires <= now or entry.fingerprint != fingerprint:
                return None
            self._entries.move_to_end(key)
            return entry.page

    def put(self, key: tuple, entry: CachedPage) -> None:
        """Keep a page, dropping the least recently used one when full."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def page_cache() -> PageCache:
    """Return this application's cache (one per app and process)."""
    return current_app.extensions.setdefault(EXTENSION_KEY, PageCache())


def cacheable_request() -> bool:
    """Tell whether this request may be answered from the cache (see the module's notes)."""
    seconds = float(current_app.config.get("AGENDA_CACHE_SECONDS", DEFAULT_SECONDS))
    return seconds > 0 and not request.query_string and "_flashes" not in session and not current_user.is_authenticated


def cached_agenda_page(registration: Registration, render: Callable[[], str]) -> str:
    """Return the agenda page from the cache when still good, else render it (and keep it)."""
    if not cacheable_request():
        return render()
    seconds = float(current_app.config.get("AGENDA_CACHE_SECONDS", DEFAULT_SECONDS))
    seen = registration.agenda_seen_at
    key = (registration.id, registration.organization_id, str(get_locale()), seen.isoformat() if seen else None)
    fingerprint = registration_fingerprint(registration.id)
    now = time.monotonic()
    token = generate_csrf() if current_app.config.get("WTF_CSRF_ENABLED", True) else None
    page = page_cache().get(key, fingerprint, now)
    if page is None:
        page = _render_with_placeholder(render, token)
        # The fingerprint was read before rendering: a change in between makes the next visit render again.
        page_cache().put(key, CachedPage(fingerprint, page, now + seconds))
    return page.replace(CSRF_PLACEHOLDER, token) if token else page


def _render_with_placeholder(render: Callable[[], str], token: str | None) -> str:
    if token is None:
        return render()
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    # generate_csrf() keeps the request's signed token in g: the templates' csrf_token() and hidden_tag() read it.
    setattr(g, field, CSRF_PLACEHOLDER)
    try:
        return render()
    finally:
        setattr(g, field, token)
