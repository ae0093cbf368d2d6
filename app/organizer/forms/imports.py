"""Forms for importing cooperatives from a spreadsheet."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SubmitField


class UploadForm(FlaskForm):
    """The spreadsheet to check."""

    file = FileField(_l("CSV or Excel (.xlsx) file"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(FlaskForm):
    """Confirm the checked rows, optionally leaving out the rows with problems."""

    skip_invalid = BooleanField(_l("Skip the rows with problems and import the others"))
    submit = SubmitField(_l("Import"))
