"""Organizer routes for solving, reviewing, adjusting, publishing and exporting an event's timetable."""

from flask import Blueprint

bp = Blueprint("timetable", __name__, url_prefix="/organizer/events/<int:event_id>/timetable")
