"""Organizer routes (behind an organizer login), split by page into modules that register on `bp`."""

from app.organizer import (  # noqa: F401  (registers the routes)
    audit,
    booths,
    dashboard,
    events,
    imports,
    requests,
    users,
)
from app.organizer.blueprint import bp

__all__ = ["bp"]
