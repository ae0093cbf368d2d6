"""Organizer pages for an event's booths and for the sectors booths offer and cooperatives need."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from app.demo.pasuruan import SECTORS as STANDARD_SECTORS
from app.models import Booth
from app.organizer.blueprint import bp
from app.organizer.common import apply_change, child_or_404, event_or_404
from app.organizer.forms import ActionForm
from app.organizer.forms.booths import BoothForm, SectorForm
from app.organizer.services import booths as service
from app.organizer.services.booths import BoothDetails, BoothError
from app.security.roles import organizer_required


def _booth_form(event, booth: Booth | None = None) -> BoothForm:
    form = BoothForm(obj=booth)
    form.organization_id.choices = [(0, _("(new organization)"))] + [
        (o.id, o.name) for o in service.booth_organizations()
    ]
    form.day_ids.choices = [(d.id, d.date.strftime("%d-%m-%Y")) for d in event.days]
    form.sector_codes.choices = [(s.code, s.name_id) for s in service.list_sectors()]
    if booth is not None and not form.is_submitted():
        form.day_ids.data = [d.id for d in booth.days]
        form.sector_codes.data = [s.code for s in booth.organization.offers]
    return form


def _details(form: BoothForm) -> BoothDetails:
    return BoothDetails(
        organization_id=form.organization_id.data or None,
        new_organization_name=form.new_organization_name.data,
        new_organization_short_name=form.new_organization_short_name.data,
        label=form.label.data,
        hall=form.hall.data,
        table_count=form.table_count.data,
        day_ids=form.day_ids.data or [],
        sector_codes=form.sector_codes.data or [],
    )


@bp.get("/events/<int:event_id>/booths")
@organizer_required
def list_booths(event_id: int):
    """List the event's booths."""
    event = event_or_404(event_id)
    return render_template(
        "organizer/booths.html", event=event, booths=service.list_booths(event), action_form=ActionForm()
    )


@bp.route("/events/<int:event_id>/booths/new", methods=["GET", "POST"])
@organizer_required
def new_booth(event_id: int):
    """Add a booth, picking an organization or creating one."""
    event = event_or_404(event_id)
    form = _booth_form(event)
    if form.validate_on_submit():
        if apply_change(lambda: service.save_booth(event, _details(form)), _("Booth saved."), (BoothError,)):
            return redirect(url_for("organizer.list_booths", event_id=event.id))
    return render_template("organizer/booth_form.html", event=event, form=form, booth=None)


@bp.route("/events/<int:event_id>/booths/<int:booth_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_booth(event_id: int, booth_id: int):
    """Change a booth's set-up."""
    event = event_or_404(event_id)
    booth = child_or_404(Booth, booth_id, event)
    form = _booth_form(event, booth)
    if form.validate_on_submit():
        if apply_change(lambda: service.save_booth(event, _details(form), booth), _("Booth saved."), (BoothError,)):
            return redirect(url_for("organizer.list_booths", event_id=event.id))
    return render_template("organizer/booth_form.html", event=event, form=form, booth=booth)


@bp.post("/events/<int:event_id>/booths/<int:booth_id>/delete")
@organizer_required
def remove_booth(event_id: int, booth_id: int):
    """Remove a booth without requests."""
    event = event_or_404(event_id)
    booth = child_or_404(Booth, booth_id, event)
    if ActionForm().validate_on_submit():
        apply_change(lambda: service.remove_booth(booth), _("Booth removed."), (BoothError,))
    return redirect(url_for("organizer.list_booths", event_id=event.id))


@bp.route("/sectors", methods=["GET", "POST"])
@organizer_required
def sectors():
    """List the sectors and add one."""
    form = SectorForm()
    if form.validate_on_submit():
        if apply_change(
            lambda: service.add_sector(form.code.data, form.name_id.data, form.name_en.data),
            _("Sector added."),
            (BoothError,),
        ):
            return redirect(url_for("organizer.sectors"))
    return render_template(
        "organizer/sectors.html", form=form, sectors=service.list_sectors(), action_form=ActionForm()
    )


@bp.post("/sectors/standard")
@organizer_required
def add_standard_sectors():
    """Add the usual sectors of KDKMP business matching (rice, cooking oil, LPG, fertiliser, financing...)."""
    if ActionForm().validate_on_submit():
        apply_change(
            lambda: service.add_standard_sectors(STANDARD_SECTORS), _("Standard sectors added."), (BoothError,)
        )
    return redirect(url_for("organizer.sectors"))
