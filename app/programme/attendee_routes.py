"""Attendee pages for seats in sessions: list sessions with free seats, sign up, leave, see the waiting list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.attendee.access import attendee_required, current_registration
from app.extensions import db
from app.models import SignupStatus, utcnow
from app.programme import seats
from app.programme.forms import ConfirmForm, SignupForm
from app.programme.notices import deliver, seat_notices
from app.programme.signups import SignupError, find_signup, leave, sign_up, waiting_position

bp = Blueprint("sessions", __name__, url_prefix="/a/sessions")


@bp.get("")
@attendee_required
def list_sessions():
    """Show the sessions with limited seats, the free seats and the cooperative's place in each."""
    registration = current_registration()
    return render_template(
        "programme/attendee_sessions.html",
        registration=registration,
        event=registration.event,
        choices=seats.session_choices(registration, utcnow()),
        form=SignupForm(),
        leave_form=ConfirmForm(),
    )


@bp.post("/<int:session_id>/sign-up")
@attendee_required
def sign_up_for_session(session_id: int):
    """Take a free seat, or a place at the end of the waiting list."""
    registration = current_registration()
    session = seats.find_session(registration, session_id) or abort(404)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            signup = sign_up(session.id, registration, question=form.question.data)
        except SignupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            if signup.status == SignupStatus.CONFIRMED:
                flash(_("You have a seat in “%(title)s”.", title=session.title), "info")
            else:
                flash(
                    _(
                        "All seats are taken: you are number %(position)d on the waiting list. "
                        "We will email you when a seat becomes free.",
                        position=waiting_position(signup),
                    ),
                    "info",
                )
    else:
        for error in form.question.errors:
            flash(error, "error")
    return redirect(url_for(".list_sessions") + f"#session-{session.id}")


@bp.post("/<int:session_id>/leave")
@attendee_required
def leave_session(session_id: int):
    """Give up the seat or the place on the waiting list; the next cooperative waiting gets the seat."""
    registration = current_registration()
    session = seats.find_session(registration, session_id) or abort(404)
    signup = find_signup(session, registration)
    if ConfirmForm().validate_on_submit() and signup is not None:
        promoted = leave(signup)
        db.session.commit()
        deliver(seat_notices(promoted))
        flash(_("You left “%(title)s”.", title=session.title), "info")
    return redirect(url_for(".list_sessions") + f"#session-{session.id}")
