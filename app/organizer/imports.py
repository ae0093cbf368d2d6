"""Organizer pages for importing cooperatives from CSV or Excel: upload, preview every row, confirm."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.extensions import db
from app.organizer.blueprint import bp
from app.organizer.common import event_or_404
from app.organizer.forms import ActionForm
from app.organizer.forms.imports import ConfirmImportForm, UploadForm
from app.organizer.services import upload_store
from app.organizer.services.import_template import template_csv, template_xlsx
from app.organizer.services.importing import COLUMNS, REQUIRED_COLUMNS, ImportRefused, check_sheet, import_rows
from app.organizer.services.spreadsheet import SpreadsheetError, read_spreadsheet
from app.security.roles import organizer_required

SESSION_KEY = "organizer_import"
PREVIEW_LIMIT = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/events/<int:event_id>/import", methods=["GET", "POST"])
@organizer_required
def upload_import(event_id: int):
    """Take a spreadsheet, read it and keep it server-side for the preview."""
    event = event_or_404(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            sheet = read_spreadsheet(upload.filename or "", upload.read())
        except SpreadsheetError as error:
            flash(str(error), "error")
        else:
            key = upload_store.save_upload(event.id, current_user.id, upload.filename or "", sheet)
            old = session.get(SESSION_KEY)
            if old:
                upload_store.delete_upload(old)
            session[SESSION_KEY] = key
            return redirect(url_for("organizer.preview_import", event_id=event.id, key=key))
    return render_template(
        "organizer/import_upload.html", event=event, form=form, columns=COLUMNS, required=REQUIRED_COLUMNS
    )


def _stored_or_404(event_id: int, key: str) -> upload_store.StoredUpload:
    stored = None
    if session.get(SESSION_KEY) == key:
        stored = upload_store.load_upload(key, event_id, current_user.id)
    if stored is None:
        abort(404)
    return stored


@bp.get("/events/<int:event_id>/import/<key>")
@organizer_required
def preview_import(event_id: int, key: str):
    """Show every row's problems before anything is written."""
    event = event_or_404(event_id)
    stored = _stored_or_404(event.id, key)
    preview = check_sheet(event, stored.sheet)
    return render_template(
        "organizer/import_preview.html",
        event=event,
        stored=stored,
        preview=preview,
        invalid=preview.invalid_rows[:PREVIEW_LIMIT],
        sample=preview.valid_rows[:20],
        form=ConfirmImportForm(),
        action_form=ActionForm(),
    )


@bp.post("/events/<int:event_id>/import/<key>/confirm")
@organizer_required
def confirm_import(event_id: int, key: str):
    """Write every accepted row in one transaction, or nothing at all."""
    event = event_or_404(event_id)
    stored = _stored_or_404(event.id, key)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return redirect(url_for("organizer.preview_import", event_id=event.id, key=key))
    try:
        result = import_rows(event, check_sheet(event, stored.sheet), form.skip_invalid.data)
        db.session.commit()
    except ImportRefused as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("organizer.preview_import", event_id=event.id, key=key))
    upload_store.delete_upload(key)
    session.pop(SESSION_KEY, None)
    flash(
        ngettext("%(num)d cooperative registered.", "%(num)d cooperatives registered.", result.registered)
        + " "
        + ngettext("%(num)d row skipped.", "%(num)d rows skipped.", result.skipped),
        "success",
    )
    return redirect(url_for("organizer.show_event", event_id=event.id))


@bp.post("/events/<int:event_id>/import/<key>/cancel")
@organizer_required
def cancel_import(event_id: int, key: str):
    """Throw the uploaded file away without importing."""
    event = event_or_404(event_id)
    _stored_or_404(event.id, key)
    if ActionForm().validate_on_submit():
        upload_store.delete_upload(key)
        session.pop(SESSION_KEY, None)
        flash(_("Import cancelled; nothing was written."), "info")
    return redirect(url_for("organizer.upload_import", event_id=event.id))


@bp.get("/import-template.<fmt>")
@organizer_required
def import_template(fmt: str):
    """Download the import template (CSV or Excel) with an example row and notes in Indonesian."""
    if fmt == "csv":
        body, mimetype = template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, mimetype = template_xlsx(), XLSX_TYPE
    else:
        abort(404)
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename=template-impor-koperasi.{fmt}"}
    )
