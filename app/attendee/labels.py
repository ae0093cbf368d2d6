"""Words for codes shown on attendee and booth pages: priorities, request and meeting statuses, interest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PRIORITY_LABELS = {3: _l("High"), 2: _l("Medium"), 1: _l("Low")}
REQUEST_STATUS_LABELS = {
    "pending": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
MEETING_STATUS_LABELS = {
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled"),
}


def priority_label(priority: int) -> str:
    """Return the priority in words: High, Medium or Low."""
    return str(PRIORITY_LABELS.get(priority, priority))


def request_status_label(status: str) -> str:
    """Return a request's status in words."""
    return str(REQUEST_STATUS_LABELS.get(str(status), status))


def meeting_status_label(status: str) -> str:
    """Return a meeting's status in words."""
    return str(MEETING_STATUS_LABELS.get(str(status), status))


def label_helpers() -> dict:
    """Return the helpers for a blueprint's context processor."""
    return {
        "priority_label": priority_label,
        "request_status_label": request_status_label,
        "meeting_status_label": meeting_status_label,
    }
