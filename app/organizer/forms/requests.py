"""Forms for filtering, adding and suggesting meeting requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from app.form_fields import BoundedIntegerField
from app.models import RequestStatus

PRIORITIES = [(1, _l("Low")), (2, _l("Normal")), (3, _l("High"))]
STATUSES = [
    (RequestStatus.PENDING.value, _l("Pending")),
    (RequestStatus.ACCEPTED.value, _l("Accepted")),
    (RequestStatus.DECLINED.value, _l("Declined")),
    (RequestStatus.WITHDRAWN.value, _l("Withdrawn")),
]


class RequestFilterForm(FlaskForm):
    """Filters of the request list, read from the query string (a GET form, no token needed)."""

    class Meta:
        csrf = False

    booth = SelectField(_l("Booth"), coerce=int, default=0, validators=[Optional()])
    cooperative = StringField(_l("Cooperative (name or village code)"), validators=[Optional(), Length(max=120)])
    status = SelectField(_l("Status"), choices=[("", _l("Any"))] + STATUSES, default="", validators=[Optional()])
    priority = SelectField(
        _l("Priority"), choices=[(0, _l("Any"))] + PRIORITIES, coerce=int, default=0, validators=[Optional()]
    )
    page = BoundedIntegerField(default=1, validators=[Optional()])


class AddRequestForm(FlaskForm):
    """A request on a cooperative's behalf."""

    cooperative = StringField(
        _l("Cooperative (village code or name)"),
        validators=[DataRequired(_l("Choose the cooperative.")), Length(max=250)],
    )
    booth_id = SelectField(_l("Booth"), coerce=int, validators=[DataRequired(_l("Choose the booth."))])
    priority = SelectField(_l("Priority"), choices=PRIORITIES, coerce=int, default=2)
    status = SelectField(_l("Status"), choices=STATUSES[:2], default=RequestStatus.PENDING.value)
    submit = SubmitField(_l("Add request"))


class SuggestionsForm(FlaskForm):
    """The suggested pairs the organizer ticks."""

    keys = SelectMultipleField(_l("Suggestions"), validate_choice=False)
    submit = SubmitField(_l("Create the chosen requests"))
    create_all = SubmitField(_l("Create every suggestion"))
