"""Forms of the attendee pages: registering a cooperative, asking for a meeting, small confirmations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.phone import PhoneNumberError, normalize_whatsapp

REPRESENTATIVE_ROWS = 3
PRIORITY_CHOICES = [("3", _l("High")), ("2", _l("Medium")), ("1", _l("Low"))]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes, easier to tap on a phone than a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RepresentativeForm(Form):
    """One person who speaks for the cooperative; a row left empty is ignored."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position (e.g. Chair, Secretary)"), validators=[Optional(), Length(max=120)])
    whatsapp = StringField(_l("WhatsApp number"), validators=[Optional(), Length(max=30)])
    email = EmailField(
        _l("Email"), validators=[Optional(), Email(_l("This is not a valid email address.")), Length(max=254)]
    )

    @property
    def is_blank(self) -> bool:
        """Tell whether nothing was typed in this row."""
        return not any((f.data or "").strip() for f in (self.name, self.position, self.whatsapp, self.email))

    def validate_whatsapp(self, field) -> None:
        """Accept 0812..., +62 812... and the like; refuse numbers that cannot be Indonesian mobiles."""
        if not (field.data or "").strip():
            if (self.name.data or "").strip():
                raise ValidationError(_l("Fill in a WhatsApp number for this representative."))
            return
        try:
            field.data = normalize_whatsapp(field.data)
        except PhoneNumberError as error:
            raise ValidationError(_l("This is not an Indonesian mobile number (e.g. 0812 3456 7890).")) from error

    def validate_name(self, field) -> None:
        """A row with a number or an email needs the person's name."""
        if not (field.data or "").strip() and not self.is_blank:
            raise ValidationError(_l("Fill in the representative's name."))


class RegistrationForm(FlaskForm):
    """A village cooperative registering for an event, its village chosen beforehand."""

    village_code = HiddenField(validators=[DataRequired(_l("Choose your village first."))])
    name = StringField(
        _l("Name of the cooperative"),
        validators=[DataRequired(_l("Fill in the name of the cooperative.")), Length(min=5, max=200)],
    )
    representatives = FieldList(FormField(RepresentativeForm), min_entries=REPRESENTATIVE_ROWS, max_entries=5)
    needs = CheckboxListField(_l("What the cooperative needs"), choices=[], validate_choice=True)
    offers = CheckboxListField(_l("What the cooperative offers"), choices=[], validate_choice=True)
    available_from = SelectField(_l("Arriving at"), choices=[], default="")
    available_until = SelectField(_l("Leaving at"), choices=[], default="")
    topics = TextAreaField(
        _l("Questions or topics for the panel sessions"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For example: how to order LPG for the cooperative's outlet, or KUR loans for members."),
    )
    submit = SubmitField(_l("Register"))

    def validate_representatives(self, field) -> None:
        """At least one representative, and the first one needs an email for the personal link."""
        rows = [row.form for row in field if not row.form.is_blank]
        if not rows:
            raise ValidationError(_l("Name at least one representative with a WhatsApp number."))
        if not any((row.email.data or "").strip() for row in rows):
            raise ValidationError(_l("Give at least one email address: the personal link is sent there."))

    def validate_available_until(self, field) -> None:
        """Leaving must come after arriving."""
        if self.available_from.data and field.data and field.data <= self.available_from.data:
            raise ValidationError(_l("The time of leaving must be after the time of arriving."))


class MeetingRequestForm(FlaskForm):
    """Ask a booth for a meeting, with a priority."""

    booth_id = HiddenField(validators=[InputRequired()])
    priority = RadioField(_l("Priority"), choices=PRIORITY_CHOICES, default="2")
    submit = SubmitField(_l("Ask for a meeting"))


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (withdraw, revoke, mark as read...)."""

    submit = SubmitField(_l("Confirm"))
