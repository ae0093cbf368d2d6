"""Calendar feed and file routes (behind secret feed tokens)."""

from flask import Blueprint, abort

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.get("/feed/<token>.ics")
def subscribed_feed(token: str):
    """Send the calendar behind a secret feed token (webcal subscription or download)."""
    abort(404)
