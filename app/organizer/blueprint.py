"""The organizer blueprint, defined apart so each route module can register on it without import cycles."""

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
