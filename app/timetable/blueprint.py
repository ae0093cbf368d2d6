"""The timetable blueprint, defined apart so each route module can register on it without import cycles."""

from flask import Blueprint

bp = Blueprint("timetable", __name__, url_prefix="/organizer/events/<int:event_id>/timetable")
