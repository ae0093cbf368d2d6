"""Forms for booths and sectors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.form_fields import BoundedIntegerField


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (easier on a phone than a multiple select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class BoothForm(FlaskForm):
    """A booth: its organization (picked, or a new one named), label, hall, tables, days and sectors."""

    organization_id = SelectField(_l("Organization"), coerce=int, default=0)
    new_organization_name = StringField(
        _l("Or a new organization: full name"), validators=[Optional(), Length(max=200)]
    )
    new_organization_short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    label = StringField(_l("Booth label (e.g. A1)"), validators=[Optional(), Length(max=40)])
    hall = StringField(_l("Hall or room"), validators=[Optional(), Length(max=120)])
    table_count = BoundedIntegerField(
        _l("Number of tables"),
        default=1,
        validators=[InputRequired(_l("Fill in the number of tables.")), NumberRange(1, 200)],
    )
    day_ids = CheckboxesField(_l("Days present (none ticked: every day)"), coerce=int)
    sector_codes = CheckboxesField(_l("Sectors offered"))
    submit = SubmitField(_l("Save booth"))


class SectorForm(FlaskForm):
    """A line of business: a short code and its names in both languages."""

    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Fill in the code.")),
            Length(max=40),
            Regexp(r"^[a-z0-9_]+$", message=_l("Use only small letters, digits and underscores.")),
        ],
    )
    name_id = StringField(_l("Name in Indonesian"), validators=[DataRequired(_l("Fill in the name.")), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(_l("Fill in the name.")), Length(max=120)])
    submit = SubmitField(_l("Add sector"))
