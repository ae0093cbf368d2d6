"""Words for stored values (statuses, priorities), in the user's language."""

from __future__ import annotations

from flask_babel import gettext as _


def status_labels() -> dict[str, str]:
    """Return the label of each request and meeting status."""
    return {
        "pending": _("Pending"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "withdrawn": _("Withdrawn"),
        "scheduled": _("Scheduled"),
        "cancelled": _("Cancelled"),
        "held": _("Held"),
        "no_show": _("No-show"),
    }


def priority_labels() -> dict[int, str]:
    """Return the label of each request priority."""
    return {1: _("Low"), 2: _("Normal"), 3: _("High")}


def role_labels() -> dict[str, str]:
    """Return the label of each account role."""
    return {
        "organizer": _("Organizer"),
        "moderator": _("Panel moderator"),
        "booth_staff": _("Booth staff"),
        "attendee": _("Attendee"),
    }
