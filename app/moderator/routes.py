"""Moderator routes (behind a moderator or organizer login)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.i18n import local_date
from app.models import Role, utcnow
from app.moderator import services
from app.moderator.forms import CheckInForm, DayFilterForm
from app.programme.signups import SignupError, check_in, undo_check_in
from app.security.roles import roles_required

bp = Blueprint("moderator", __name__, url_prefix="/moderator")
moderator_required = roles_required(Role.MODERATOR, Role.ORGANIZER)


def _moderated(session_id: int):
    """Return the session if the current user moderates it; 404 otherwise, so strangers learn nothing."""
    return services.session_for(current_user, session_id) or abort(404)


@bp.get("/")
@moderator_required
def my_sessions():
    """List the sessions the moderator leads, with times, rooms and their role."""
    return render_template("moderator/my_sessions.html", sessions=services.my_sessions(current_user), now=utcnow())


@bp.get("/sessions/<int:session_id>")
@moderator_required
def show_session(session_id: int):
    """Show a session's people on stage, its signed-up cooperatives with check-in, and their questions."""
    session = _moderated(session_id)
    return render_template(
        "moderator/session.html", sheet=services.session_sheet(session), event=session.event, form=CheckInForm()
    )


@bp.get("/sessions/<int:session_id>/run-sheet")
@moderator_required
def run_sheet(session_id: int):
    """Show a printable run sheet: timeline, people on stage, questions."""
    session = _moderated(session_id)
    return render_template("moderator/run_sheet.html", sheet=services.session_sheet(session), event=session.event)


@bp.post("/sessions/<int:session_id>/signups/<int:signup_id>/check-in")
@moderator_required
def check_in_attendee(session_id: int, signup_id: int):
    """Record that a signed-up cooperative has arrived."""
    return _check_in_action(session_id, signup_id, undo=False)


@bp.post("/sessions/<int:session_id>/signups/<int:signup_id>/undo-check-in")
@moderator_required
def undo_check_in_attendee(session_id: int, signup_id: int):
    """Take back a check-in made by mistake."""
    return _check_in_action(session_id, signup_id, undo=True)


def _check_in_action(session_id: int, signup_id: int, undo: bool):
    session = _moderated(session_id)
    signup = services.signup_for(session, signup_id) or abort(404)
    if CheckInForm().validate_on_submit():
        try:
            if undo:
                undo_check_in(signup)
            else:
                check_in(signup)
        except SignupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            name = signup.organization.display_name
            message = _("Check-in of %(name)s undone.", name=name) if undo else _("%(name)s checked in.", name=name)
            flash(message, "info")
    return redirect(url_for(".show_session", session_id=session.id) + f"#signup-{signup.id}")


@bp.get("/events/<int:event_id>/sessions")
@moderator_required
def day_sessions(event_id: int):
    """List all sessions of a day, filtered by room and time, marking what is on now and next."""
    event = services.visible_event(current_user, event_id) or abort(404)
    form = DayFilterForm(request.args)
    form.validate()
    day = _parse_day(form.day.data)
    now = utcnow()
    programme = services.day_programme(event, now, day=day, room=form.room.data or None, after=form.after.data)
    form.day.choices = [(d.isoformat(), local_date(d)) for d in programme.days]
    form.day.data = programme.day.isoformat()
    form.room.choices = [("", _("All rooms"))] + [(r, r) for r in programme.rooms]
    return render_template("moderator/day.html", event=event, programme=programme, form=form, now=now)


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
