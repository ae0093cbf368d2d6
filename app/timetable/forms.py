"""Forms of the timetable pages; they validate input and never write."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.form_fields import BoundedIntegerField

MIN_SECONDS, MAX_SECONDS = 2, 600


class SolveForm(FlaskForm):
    """Start the solver: how long it may think, and whether published meetings stay where they are."""

    time_limit = BoundedIntegerField(
        _l("Time limit (seconds)"),
        validators=[
            InputRequired(_l("Fill in a time limit.")),
            NumberRange(MIN_SECONDS, MAX_SECONDS, _l("Choose between %(min)s and %(max)s seconds.")),
        ],
    )
    keep_published = BooleanField(_l("Keep published meetings at their times"), default=True)
    submit = SubmitField(_l("Build timetable"))


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class MoveForm(FlaskForm):
    """Move a meeting to another slot and table."""

    slot_id = SelectField(_l("Time"), coerce=int, validators=[DataRequired(_l("Choose a time."))])
    table = SelectField(_l("Table"), coerce=int, validators=[DataRequired(_l("Choose a table."))])
    submit = SubmitField(_l("Move"))


class SwapForm(FlaskForm):
    """Let a meeting trade places with another one."""

    other_id = SelectField(_l("Swap with"), coerce=int, validators=[DataRequired(_l("Choose a meeting."))])
    submit = SubmitField(_l("Swap"))


class ImportForm(FlaskForm):
    """Upload a timetable in the matching-timetable/1 format."""

    file = FileField(
        _l("Timetable file (JSON)"),
        validators=[FileRequired(_l("Choose a file.")), FileAllowed(["json"], _l("Upload a .json file."))],
    )
    submit = SubmitField(_l("Import as draft"))
