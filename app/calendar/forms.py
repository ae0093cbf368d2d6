"""Forms of the calendar pages: asking for a feed link, stopping it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField


class IssueFeedForm(FlaskForm):
    """Ask for a new calendar link; booth staff choose all tables or one."""

    table = SelectField(_l("Which meetings"), coerce=int, default=0)
    submit = SubmitField(_l("Create calendar link"))


class RevokeFeedForm(FlaskForm):
    """Stop the calendar links given out so far."""

    submit = SubmitField(_l("Stop the calendar links"))
