"""Forms of the moderator pages: check-in buttons and the day programme's filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TimeField
from wtforms.validators import Optional


class CheckInForm(FlaskForm):
    """A check-in (or undo) button: a POST carrying its CSRF token."""

    submit = SubmitField(_l("Check in"))


class DayFilterForm(FlaskForm):
    """Which sessions of the day to list: a day, a room, those still running after a time (read from the URL)."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    day = SelectField(_l("Day"), validators=[Optional()], validate_choice=False)
    room = SelectField(_l("Room"), validators=[Optional()], validate_choice=False)
    after = TimeField(_l("Still running after"), validators=[Optional()])
    submit = SubmitField(_l("Show"))
