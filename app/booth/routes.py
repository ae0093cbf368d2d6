"""Booth staff routes (behind a booth staff login, for their own organization's booths only)."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.attendee.choices import sector_choices
from app.attendee.labels import label_helpers
from app.attendee.services import sectors
from app.booth import services
from app.booth.forms import AnswerForm, AskCooperativeForm, MeetingStatusForm, OfferForm, OutcomeForm
from app.extensions import db
from app.models import Booth, Role
from app.public.services import registration_state
from app.security.roles import roles_required

bp = Blueprint("booth", __name__, url_prefix="/booth")
bp.context_processor(label_helpers)
booth_staff_required = roles_required(Role.BOOTH_STAFF)


def _own_booth(booth_id: int) -> Booth:
    """Return the booth if the logged-in staff member works for its organization; 404 or 403 otherwise."""
    booth = db.session.get(Booth, booth_id)
    if booth is None:
        abort(404)
    if not current_user.belongs_to(booth.organization_id):
        abort(403)
    return booth


@bp.get("/")
@booth_staff_required
def home():
    """List the staff member's booths; with one booth, go straight to it."""
    booths = services.staff_booths(current_user)
    if len(booths) == 1:
        return redirect(url_for("booth.show_requests", booth_id=booths[0].id))
    return render_template("booth/home.html", booths=booths)


@bp.route("/<int:booth_id>/offer", methods=["GET", "POST"])
@booth_staff_required
def edit_offer(booth_id: int):
    """Keep the booth's offer up to date: sectors offered and a short description."""
    booth = _own_booth(booth_id)
    form = OfferForm(obj=booth if request.method == "GET" else None)
    form.offers.choices = sector_choices(sectors(), str(get_locale()))
    if request.method == "GET":
        form.offers.data = [s.code for s in booth.organization.offers]
    if form.validate_on_submit():
        services.update_offer(booth, form.offers.data or [], form.description.data)
        db.session.commit()
        flash(_("The booth's offer is saved."), "info")
        return redirect(url_for("booth.edit_offer", booth_id=booth.id))
    return render_template("booth/offer.html", booth=booth, form=form, active="offer")


@bp.get("/<int:booth_id>/requests")
@booth_staff_required
def show_requests(booth_id: int):
    """Show the cooperatives that asked for the booth, and the registered cooperatives it may invite."""
    booth = _own_booth(booth_id)
    query = request.args.get("q", "")[:100]
    return render_template(
        "booth/requests.html",
        booth=booth,
        event=booth.event,
        incoming=services.incoming_requests(booth),
        cooperatives=services.cooperatives_to_ask(booth, query),
        query=query,
        is_open=registration_state(booth.event) == "open",
        answer_form=AnswerForm(),
        ask_form=AskCooperativeForm(),
        active="requests",
    )


@bp.post("/<int:booth_id>/requests/<int:request_id>/answer")
@booth_staff_required
def answer_request(booth_id: int, request_id: int):
    """Accept or decline a cooperative's request."""
    booth = _own_booth(booth_id)
    form = AnswerForm()
    if not form.validate_on_submit() or form.answer.data not in ("accept", "decline"):
        abort(400)
    try:
        answered = services.answer_request(booth, request_id, form.answer.data == "accept")
    except LookupError:
        abort(404)
    except services.BoothActionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        name = answered.requester.display_name
        if form.answer.data == "accept":
            flash(_("Request of %(name)s accepted.", name=name), "info")
        else:
            flash(_("Request of %(name)s declined.", name=name), "info")
    return redirect(url_for("booth.show_requests", booth_id=booth.id))


@bp.post("/<int:booth_id>/requests/ask")
@booth_staff_required
def ask_cooperative(booth_id: int):
    """Ask a registered cooperative for a meeting (mutual when it asked the booth already)."""
    booth = _own_booth(booth_id)
    form = AskCooperativeForm()
    if not form.validate_on_submit() or not form.organization_id.data.isdigit():
        abort(400)
    try:
        asked = services.ask_cooperative(booth, int(form.organization_id.data), int(form.priority.data))
    except LookupError:
        abort(404)
    except services.BoothActionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        if asked.mutual:
            flash(_("%(name)s asked for you too: the meeting is marked mutual.", name=asked.requester.display_name))
        else:
            flash(_("Meeting requested with %(name)s.", name=asked.target.display_name), "info")
    return redirect(url_for("booth.show_requests", booth_id=booth.id, q=request.args.get("q") or None))


@bp.get("/<int:booth_id>/today")
@booth_staff_required
def show_day(booth_id: int):
    """Show a day's meetings table by table, to mark them held or no-show and record outcomes."""
    booth = _own_booth(booth_id)
    event = booth.event
    if not event.is_published:
        return render_template("booth/day.html", booth=booth, event=event, tables={}, days=[], day=None, active="day")
    days = services.meeting_days(booth)
    day = services.pick_day(days, request.args.get("day"), datetime.now(event.zone).date())
    tables = services.tables_on(booth, day) if day else {}
    meetings = [m for rows in tables.values() for m in rows]
    return render_template(
        "booth/day.html",
        booth=booth,
        event=event,
        days=days,
        day=day,
        tables=tables,
        outcomes=services.outcomes_by_meeting(meetings),
        form=MeetingStatusForm(),
        active="day",
    )


@bp.post("/<int:booth_id>/meetings/<int:meeting_id>/status")
@booth_staff_required
def mark_meeting(booth_id: int, meeting_id: int):
    """Mark a meeting held or no-show."""
    booth = _own_booth(booth_id)
    form = MeetingStatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        meeting = services.set_meeting_status(booth, meeting_id, form.status.data)
    except LookupError:
        abort(404)
    except services.BoothActionError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("booth.show_day", booth_id=booth.id))
    db.session.commit()
    day = meeting.slot.starts_at.astimezone(booth.event.zone).date().isoformat()
    return redirect(url_for("booth.show_day", booth_id=booth.id, day=day, _anchor=f"meeting-{meeting.id}"))


@bp.route("/<int:booth_id>/meetings/<int:meeting_id>/outcome", methods=["GET", "POST"])
@booth_staff_required
def record_outcome(booth_id: int, meeting_id: int):
    """Record what came of a meeting: interest, follow-up, MoU and volumes."""
    booth = _own_booth(booth_id)
    try:
        meeting = services.booth_meeting(booth, meeting_id)
    except LookupError:
        abort(404)
    outcome = services.outcome_of(meeting)
    form = OutcomeForm(obj=outcome if request.method == "GET" else None)
    if request.method == "GET" and outcome is not None:
        form.interest.data = outcome.interest.value
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.OUTCOME_FIELDS}
        try:
            services.record_outcome(booth, meeting.id, values, current_user)
        except services.BoothActionError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Outcome saved."), "info")
            day = meeting.slot.starts_at.astimezone(booth.event.zone).date().isoformat()
            return redirect(url_for("booth.show_day", booth_id=booth.id, day=day, _anchor=f"meeting-{meeting.id}"))
    return render_template("booth/outcome.html", booth=booth, meeting=meeting, form=form, active="day")
