"""Organizer routes for an event's programme (sessions, moderators, speakers, panelists)."""

from flask import Blueprint

bp = Blueprint("programme", __name__, url_prefix="/organizer/events/<int:event_id>/programme")
