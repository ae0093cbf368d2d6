"""Public pages: the list of events and each event's page (programme, booths, how to register)."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from app.extensions import db
from app.i18n import LANG_COOKIE
from app.models import Event, EventStatus
from app.public import services

bp = Blueprint("public", __name__)


@bp.get("/")
def list_events():
    """Show the events that are open to the public."""
    events = db.session.scalars(select(Event).where(Event.status != EventStatus.DRAFT).order_by(Event.id.desc())).all()
    return render_template("public/index.html", events=events)


@bp.get("/e/<slug>")
def show_event(slug: str):
    """Show an event's page: when and where, the programme, the booths and how to register."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or event.status == EventStatus.DRAFT:
        abort(404)
    return render_template("public/event.html", event=event, page=services.event_page(event))


@bp.get("/language/<code>")
def choose_language(code: str):
    """Remember the chosen interface language in a cookie and go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    target = request.args.get("next", "")
    # Only local paths, so the switch cannot be used to send people elsewhere.
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.list_events")
    response = redirect(target)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
