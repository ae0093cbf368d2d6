"""Language choice and local-time formatting (WIB, WITA, WIT) for templates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"

# Indonesia's three zones go by their own abbreviations; the tz database gives only offsets.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def select_locale() -> str:
    """Pick the interface language: ?lang=, then the cookie, then the user's setting, else Indonesian."""
    supported = current_app.config["LANGUAGES"]
    for candidate in (
        request.args.get("lang"),
        request.cookies.get(LANG_COOKIE),
        getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None,
    ):
        if candidate in supported:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def zone_label(timezone: str, at: datetime | None = None) -> str:
    """Return the zone's everyday name: WIB, WITA, WIT, else UTC+hh:mm."""
    if timezone in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[timezone]
    offset = (at or datetime.now(ZoneInfo(timezone))).astimezone(ZoneInfo(timezone)).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def local_time(value: datetime, timezone: str, with_zone: bool = True) -> str:
    """Format an aware datetime as a local clock time, e.g. 08.00 WIB (Indonesian) or 08:00 WIB."""
    local = value.astimezone(ZoneInfo(timezone))
    locale = str(get_locale())
    text = format_time(local, "HH.mm" if locale == "id" else "HH:mm", locale=locale)
    return f"{text} {zone_label(timezone, value)}" if with_zone else text


def local_date(value: date | datetime, timezone: str | None = None) -> str:
    """Format a date (or an aware datetime's local date) in full, e.g. Rabu, 8 Oktober 2025."""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(timezone)) if timezone else value
        value = value.date()
    return format_date(value, "EEEE, d MMMM y", locale=str(get_locale()))


def register_template_helpers(app) -> None:
    """Expose the formatting helpers to Jinja as filters."""
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_date, "local_date")
    app.add_template_global(zone_label, "zone_label")
    app.add_template_global(get_locale, "get_locale")
