"""Moderator routes (behind a moderator or organizer login)."""

from flask import Blueprint

bp = Blueprint("moderator", __name__, url_prefix="/moderator")
