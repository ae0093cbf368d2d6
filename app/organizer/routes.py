"""Organizer routes (behind an organizer login)."""

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
