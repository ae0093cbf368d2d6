"""Organizer routes for solving, reviewing, adjusting, publishing and exporting an event's timetable."""

from app.timetable import export_routes, labels, review_routes, solve_routes  # noqa: F401  (registers on bp)
from app.timetable.blueprint import bp

__all__ = ["bp"]
