"""Printable pages, PDF, CSV, XLSX and JSON exports of a version, and importing a timetable JSON."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.security.roles import organizer_required
from app.timetable.blueprint import bp
from app.timetable.exports import (
    ImportRefused,
    import_timetable,
    problem_json,
    timetable_csv,
    timetable_json,
    timetable_xlsx,
)
from app.timetable.forms import ImportForm
from app.timetable.loading import event_or_404, version_or_404
from app.timetable.pdf import agendas_pdf, booth_sheets_pdf
from app.timetable.views import agendas, booth_sheets, counterpart, guest_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _name(event, version, what: str, extension: str) -> str:
    return f"{event.slug}-v{version.number}-{what}.{extension}"


@bp.get("/versions/<int:version_id>/print/booths")
@organizer_required
def print_booths(event_id: int, version_id: int):
    """Show every booth's table sheet on one printable page (a page per booth on paper)."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return render_template(
        "timetable/print_booths.html", event=event, version=version, sheets=booth_sheets(version), guest_of=guest_of
    )


@bp.get("/versions/<int:version_id>/print/cooperatives")
@organizer_required
def print_agendas(event_id: int, version_id: int):
    """Show every cooperative's agenda on one printable page."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return render_template(
        "timetable/print_agendas.html", event=event, version=version, agendas=agendas(version), counterpart=counterpart
    )


@bp.get("/versions/<int:version_id>/booths.pdf")
@organizer_required
def booths_pdf(event_id: int, version_id: int):
    """Download the booths' table sheets as PDF."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return _download(booth_sheets_pdf(version), "application/pdf", _name(event, version, "booths", "pdf"))


@bp.get("/versions/<int:version_id>/cooperatives.pdf")
@organizer_required
def cooperatives_pdf(event_id: int, version_id: int):
    """Download the cooperatives' agendas as PDF."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return _download(agendas_pdf(version), "application/pdf", _name(event, version, "cooperatives", "pdf"))


@bp.get("/versions/<int:version_id>/timetable.csv")
@organizer_required
def export_csv(event_id: int, version_id: int):
    """Download the version as CSV (with a BOM, so spreadsheet programs read UTF-8)."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return _download("\ufeff" + timetable_csv(version), "text/csv", _name(event, version, "timetable", "csv"))


@bp.get("/versions/<int:version_id>/timetable.xlsx")
@organizer_required
def export_xlsx(event_id: int, version_id: int):
    """Download the version as an Excel workbook."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return _download(timetable_xlsx(version), XLSX, _name(event, version, "timetable", "xlsx"))


@bp.get("/versions/<int:version_id>/timetable.json")
@organizer_required
def export_timetable_json(event_id: int, version_id: int):
    """Download the version in the matching-timetable/1 format."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    return _download(timetable_json(version), "application/json", _name(event, version, "timetable", "json"))


@bp.get("/problem.json")
@organizer_required
def export_problem(event_id: int):
    """Download the event as a matching-problem/1, to solve offline or attach to a report."""
    event = event_or_404(event_id)
    return _download(problem_json(event), "application/json", f"{event.slug}-problem.json")


@bp.route("/import", methods=["GET", "POST"])
@organizer_required
def import_json(event_id: int):
    """Upload a matching-timetable/1; once checked against the event it becomes the new draft."""
    event = event_or_404(event_id)
    form = ImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            version = import_timetable(event, form.file.data.read())
            db.session.commit()
        except ImportRefused as refused:
            db.session.rollback()
            errors = refused.messages
        else:
            flash(_("Timetable imported as a draft."), "success")
            return redirect(url_for("timetable.show_version", event_id=event.id, version_id=version.id))
    return render_template("timetable/import.html", event=event, form=form, errors=errors)
