"""Organizer routes (behind an organizer login), split by page into modules that register on `bp`."""

from app.organizer import audit, booths, dashboard, events, imports, requests, users  # noqa: F401  (registers the routes)
from app.organizer.blueprint import bp

__all__ = ["bp"]
