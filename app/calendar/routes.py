"""Calendar feed and file routes (behind secret feed tokens)."""

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
