"""Forms of the booth staff pages: the booth's offer, answering and making requests, meeting outcomes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from app.attendee.forms import PRIORITY_CHOICES, CheckboxListField
from app.form_fields import MAX_DIGITS
from app.models import LPG_CYLINDERS_MONTHLY_LIMIT

# No figure of a form comes near this (the largest column bound below is 10**15 Rupiah).
LARGEST_FIGURE = 10**MAX_DIGITS


class LocalDecimalField(Field):
    """A decimal number typed the Indonesian way (2,5) or the English way (2.5); empty means none."""

    # A text box, not type=number: phones with an Indonesian keyboard type the decimal comma (2,5).
    widget = TextInput()

    def _value(self) -> str:
        return "" if self.data is None else format(self.data, "f").rstrip("0").rstrip(".")

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not raw:
            self.data = None
            return
        try:
            self.data = Decimal(raw.replace(",", "."))
        except InvalidOperation as error:
            self.data = None
            raise ValueError(_l("Type a number, e.g. 2,5.")) from error
        if not self.data.is_finite():  # Decimal reads "NaN" and "Infinity" too; no quantity is either
            self.data = None
            raise ValueError(_l("Type a number, e.g. 2,5."))
        if self.data.copy_abs() >= LARGEST_FIGURE:  # before anything turns "1e999999999" into a float or an int
            self.data = None
            raise ValueError(_l("This number is too large."))


class RupiahField(Field):
    """An amount in Rupiah, typed with or without Rp and thousands dots (Rp 50.000.000)."""

    widget = TextInput()

    def _value(self) -> str:
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = re.sub(r"(?i)^rp\.?|[\s.]", "", (valuelist[0] if valuelist else "").strip())
        raw = raw.split(",")[0]  # no cents in Rupiah
        if not raw:
            self.data = None
            return
        if not (raw.isascii() and raw.isdigit()):  # isdigit alone takes "²" and other scripts' digits
            self.data = None
            raise ValueError(_l("Type an amount in Rupiah, e.g. 50.000.000."))
        if len(raw.lstrip("0")) > MAX_DIGITS:
            self.data = None
            raise ValueError(_l("This number is too large."))
        self.data = int(raw)


class WholeNumberField(LocalDecimalField):
    """A whole number (cylinders, people); refuses fractions."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            if self.data != self.data.to_integral_value():
                self.data = None
                raise ValueError(_l("Type a whole number."))
            self.data = int(self.data)


class OfferForm(FlaskForm):
    """What the booth offers cooperatives."""

    offers = CheckboxListField(_l("Sectors offered"), choices=[], validate_choice=True)
    description = TextAreaField(
        _l("Short description"),
        validators=[Optional(), Length(max=600)],
        description=_l("A few lines cooperatives read before asking for a meeting: products, terms, whom to ask."),
    )
    submit = SubmitField(_l("Save"))


class AnswerForm(FlaskForm):
    """Accept or decline a cooperative's request."""

    answer = HiddenField(validators=[InputRequired()])


class AskCooperativeForm(FlaskForm):
    """Ask a registered cooperative for a meeting."""

    organization_id = HiddenField(validators=[InputRequired()])
    priority = RadioField(_l("Priority"), choices=PRIORITY_CHOICES, default="2")


class MeetingStatusForm(FlaskForm):
    """Mark a meeting held or no-show (or back to scheduled)."""

    status = HiddenField(validators=[InputRequired()])


class OutcomeForm(FlaskForm):
    """What came of a meeting."""

    interest = RadioField(
        _l("Interest"),
        choices=[("high", _l("High")), ("low", _l("Low")), ("none", _l("None"))],
        default="none",
    )
    follow_up = BooleanField(_l("Follow-up needed"))
    mou_signed = BooleanField(_l("MoU signed"))
    rice_tonnes_month = LocalDecimalField(_l("Rice (tonnes a month)"), validators=[Optional(), NumberRange(min=0)])
    cooking_oil_litres_month = WholeNumberField(
        _l("Cooking oil (litres a month)"), validators=[Optional(), NumberRange(min=0)]
    )
    lpg_cylinders_month = WholeNumberField(
        _l("LPG (cylinders a month)"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=LPG_CYLINDERS_MONTHLY_LIMIT,
                message=_l("At most %(max)d LPG cylinders a month per cooperative.", max=LPG_CYLINDERS_MONTHLY_LIMIT),
            ),
        ],
    )
    fertiliser_tonnes = LocalDecimalField(_l("Fertiliser (tonnes)"), validators=[Optional(), NumberRange(min=0)])
    financing_rupiah = RupiahField(_l("Financing (Rupiah)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save outcome"))

    def validate_rice_tonnes_month(self, field) -> None:
        """Keep volumes within what the columns hold."""
        _check_size(field, 10**8)

    def validate_cooking_oil_litres_month(self, field) -> None:
        """Keep volumes within what the columns hold."""
        _check_size(field, 10**10)

    def validate_fertiliser_tonnes(self, field) -> None:
        """Keep volumes within what the columns hold."""
        _check_size(field, 10**8)

    def validate_financing_rupiah(self, field) -> None:
        """Keep the amount within reason (under a quadrillion Rupiah)."""
        _check_size(field, 10**15)


def _check_size(field, limit: int) -> None:
    if field.data is not None and field.data >= limit:
        raise ValidationError(_l("This number is too large."))
