"""Booth staff routes (behind a booth staff login)."""

from flask import Blueprint

bp = Blueprint("booth", __name__, url_prefix="/booth")
