"""Attendee routes (registration is public; the rest behind a personal access link)."""

from flask import Blueprint

bp = Blueprint("attendee", __name__)
