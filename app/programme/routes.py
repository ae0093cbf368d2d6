"""Organizer routes for an event's programme (sessions, moderators, speakers, panelists)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.extensions import db
from app.models import Event, ProgrammeSession, SessionPerson
from app.programme import services
from app.programme.forms import ConfirmForm, PersonForm, SessionForm
from app.programme.labels import kind_label, role_label, status_label
from app.programme.notices import deliver
from app.programme.services import ChangeResult, ProgrammeError
from app.security.roles import organizer_required

bp = Blueprint("programme", __name__, url_prefix="/organizer/events/<int:event_id>/programme")
bp.add_app_template_filter(kind_label, "session_kind")
bp.add_app_template_filter(role_label, "session_role")
bp.add_app_template_filter(status_label, "signup_status")


def _event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _session(event_id: int, session_id: int) -> ProgrammeSession:
    session = db.session.get(ProgrammeSession, session_id)
    if session is None or session.event_id != event_id:
        abort(404)
    return session


def _person_form(event: Event) -> PersonForm:
    return PersonForm(services.organization_choices(event), services.moderator_accounts(), prefix="person")


def _saved(result: ChangeResult, message: str) -> None:
    """Commit a change, then send its notices and tell the organizer how many went out."""
    db.session.commit()
    deliver(result.notices)
    flash(message, "info")
    if result.notices:
        flash(ngettext("%(num)d notice sent by email.", "%(num)d notices sent by email.", len(result.notices)), "info")


@bp.get("")
@organizer_required
def list_sessions(event_id: int):
    """Show the event's programme with seats taken and the people on stage."""
    event = _event(event_id)
    return render_template(
        "programme/list.html",
        event=event,
        sessions=services.event_sessions(event),
        counts=services.seat_counts(event),
    )


@bp.route("/new", methods=["GET", "POST"])
@organizer_required
def new_session(event_id: int):
    """Add a session to the programme."""
    event = _event(event_id)
    form = SessionForm(event)
    if form.validate_on_submit():
        try:
            session = services.create_session(event, form.to_input())
        except ProgrammeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Session saved. Now add its moderator, speakers or panelists."), "info")
            return redirect(url_for(".edit_session", event_id=event.id, session_id=session.id))
    return render_template(
        "programme/session_form.html", event=event, form=form, session=None, rooms=services.room_names(event)
    )


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_session(event_id: int, session_id: int):
    """Change a session; a new time or room first shows whom it affects, then saves and notifies them."""
    event, session = _event(event_id), _session(event_id, session_id)
    form = SessionForm(event)
    if request.method == "GET":
        form.fill_from(session)
    impact = None
    if form.validate_on_submit():
        data = form.to_input()
        impact = services.preview_update(session, data)
        change = data.snapshot(session.cancelled).fingerprint()
        if impact.is_empty or form.confirmed_change.data == change:
            try:
                result = services.update_session(session, data)
            except ProgrammeError as error:
                db.session.rollback()
                flash(str(error), "error")
                impact = None
            else:
                _saved(result, _("Session saved."))
                return redirect(url_for(".list_sessions", event_id=event.id))
        else:
            form.confirmed_change.data = change
    return render_template(
        "programme/session_form.html",
        event=event,
        form=form,
        session=session,
        impact=impact,
        person_form=_person_form(event),
        confirm_form=ConfirmForm(),
        rooms=services.room_names(event),
    )


@bp.post("/<int:session_id>/people")
@organizer_required
def add_person(event_id: int, session_id: int):
    """Put a moderator, speaker or panelist on the session's stage."""
    event, session = _event(event_id), _session(event_id, session_id)
    form = _person_form(event)
    if form.validate_on_submit():
        try:
            person = services.add_person(session, form.to_input())
        except ProgrammeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=person.name), "info")
            return redirect(url_for(".edit_session", event_id=event.id, session_id=session.id) + "#people")
    form_view = SessionForm(event)
    form_view.fill_from(session)
    return render_template(
        "programme/session_form.html",
        event=event,
        form=form_view,
        session=session,
        impact=None,
        person_form=form,
        confirm_form=ConfirmForm(),
        rooms=services.room_names(event),
    )


@bp.post("/<int:session_id>/people/<int:person_id>/remove")
@organizer_required
def remove_person(event_id: int, session_id: int, person_id: int):
    """Take a person off the session's stage."""
    session = _session(event_id, session_id)
    person = db.session.get(SessionPerson, person_id)
    if person is None or person.session_id != session.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.remove_person(person)
        db.session.commit()
        flash(_("%(name)s removed.", name=person.name), "info")
    return redirect(url_for(".edit_session", event_id=event_id, session_id=session.id) + "#people")


@bp.route("/<int:session_id>/cancel", methods=["GET", "POST"])
@organizer_required
def cancel_session(event_id: int, session_id: int):
    """Show whom cancelling the session affects; on confirmation cancel it and notify them."""
    event, session = _event(event_id), _session(event_id, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            result = services.cancel_session(session)
        except ProgrammeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            _saved(result, _("Session cancelled."))
            return redirect(url_for(".list_sessions", event_id=event.id))
    return render_template(
        "programme/cancel.html", event=event, session=session, impact=services.preview_cancel(session), form=form
    )


@bp.post("/<int:session_id>/reinstate")
@organizer_required
def reinstate_session(event_id: int, session_id: int):
    """Let a cancelled session take place after all."""
    session = _session(event_id, session_id)
    if ConfirmForm().validate_on_submit():
        try:
            result = services.reinstate_session(session)
        except ProgrammeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            _saved(result, _("The session takes place after all."))
    return redirect(url_for(".list_sessions", event_id=event_id))


@bp.post("/<int:session_id>/delete")
@organizer_required
def delete_session(event_id: int, session_id: int):
    """Remove a session entered by mistake."""
    session = _session(event_id, session_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_session(session)
        except ProgrammeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Session deleted."), "info")
    return redirect(url_for(".list_sessions", event_id=event_id))
