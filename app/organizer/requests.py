"""Organizer pages for meeting requests: the filtered list, adding one, and suggested matches."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.extensions import db
from app.models import Booth, RequestStatus
from app.organizer.blueprint import bp
from app.organizer.common import event_or_404
from app.organizer.forms.requests import AddRequestForm, RequestFilterForm, SuggestionsForm
from app.organizer.labels import priority_labels, status_labels
from app.organizer.services import booths as booth_service
from app.organizer.services import requests as service
from app.organizer.services.requests import RequestFilters, RequestRefused
from app.security.roles import organizer_required

PICKER_LIMIT = 2000
SUGGESTIONS_SHOWN = 300


def _booth_choices(event) -> list[tuple[int, str]]:
    return [(b.id, f"{b.label} · {b.name}" if b.label else b.name) for b in booth_service.list_booths(event)]


def _list_page(event, add_form: AddRequestForm, status: int = 200):
    filters_form = RequestFilterForm(request.args)
    filters_form.booth.choices = [(0, _("Any"))] + _booth_choices(event)
    filters = _filters(filters_form)
    page = service.find_requests(event, filters, request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return (
        render_template(
            "organizer/requests.html",
            event=event,
            filters_form=filters_form,
            add_form=add_form,
            page=page,
            args=args,
            cooperatives=service.registered_cooperatives(event, PICKER_LIMIT),
            status_labels=status_labels(),
            priority_labels=priority_labels(),
        ),
        status,
    )


def _filters(form: RequestFilterForm) -> RequestFilters:
    """Read the filters, ignoring any value that is not one of the choices."""
    form.validate()
    statuses = {s.value for s in RequestStatus}
    return RequestFilters(
        booth_id=form.booth.data if isinstance(form.booth.data, int) and form.booth.data else None,
        cooperative=(form.cooperative.data or "").strip() or None,
        status=RequestStatus(form.status.data) if form.status.data in statuses else None,
        priority=form.priority.data if form.priority.data in (1, 2, 3) else None,
    )


def _add_form(event) -> AddRequestForm:
    form = AddRequestForm(prefix="new")
    form.booth_id.choices = _booth_choices(event)
    return form


@bp.get("/events/<int:event_id>/requests")
@organizer_required
def list_requests(event_id: int):
    """List the event's requests with filters, counts and pages."""
    event = event_or_404(event_id)
    return _list_page(event, _add_form(event))


@bp.post("/events/<int:event_id>/requests")
@organizer_required
def add_request(event_id: int):
    """Add a request on a cooperative's behalf, within the meeting cap."""
    event = event_or_404(event_id)
    form = _add_form(event)
    if not form.validate_on_submit():
        return _list_page(event, form, 400)
    cooperative = service.find_registered_cooperative(event, form.cooperative.data)
    booth = db.session.get(Booth, form.booth_id.data)
    if cooperative is None:
        form.cooperative.errors.append(_("No registered cooperative has this village code or name."))
        return _list_page(event, form, 400)
    try:
        service.add_request(event, cooperative, booth, form.priority.data, RequestStatus(form.status.data))
        db.session.commit()
    except RequestRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return _list_page(event, form, 400)
    flash(_("Request added: %(name)s meets %(booth)s.", name=cooperative.display_name, booth=booth.name), "success")
    return redirect(url_for("organizer.list_requests", event_id=event.id))


@bp.route("/events/<int:event_id>/requests/suggestions", methods=["GET", "POST"])
@organizer_required
def suggestions(event_id: int):
    """Suggest cooperative x booth pairs from needs and offers; create the chosen ones in one go."""
    event = event_or_404(event_id)
    form = SuggestionsForm()
    if form.validate_on_submit():
        keys = [s.key for s in service.suggest_matches(event)] if form.create_all.data else form.keys.data or []
        if not keys:
            flash(_("Tick at least one suggestion."), "error")
        else:
            created, capped = service.create_suggested(event, keys)
            db.session.commit()
            message = ngettext("%(num)d request created.", "%(num)d requests created.", created)
            if capped:
                message += " " + ngettext(
                    "%(num)d left out because of the meeting cap.",
                    "%(num)d left out because of the meeting cap.",
                    capped,
                )
            flash(message, "success")
            return redirect(url_for("organizer.suggestions", event_id=event.id))
    found = service.suggest_matches(event)
    return render_template(
        "organizer/suggestions.html",
        event=event,
        form=form,
        suggestions=found[:SUGGESTIONS_SHOWN],
        total=len(found),
        sector_names={s.code: s.label(str(get_locale())) for s in booth_service.list_sectors()},
    )
