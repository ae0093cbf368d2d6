"""Forms for an event's details, days, breaks, status and rooms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.form_fields import BoundedIntegerField
from app.models import BreakKind, EventStatus

# Indonesia's three zones first (Pontianak keeps WIB), then neighbours for events held abroad.
TIMEZONES = [
    ("Asia/Jakarta", _l("WIB, Western Indonesia (Jakarta, Java, Sumatra)")),
    ("Asia/Pontianak", _l("WIB, West and Central Kalimantan (Pontianak)")),
    ("Asia/Makassar", _l("WITA, Central Indonesia (Makassar, Bali, Nusa Tenggara)")),
    ("Asia/Jayapura", _l("WIT, Eastern Indonesia (Jayapura, Maluku, Papua)")),
    ("Asia/Singapore", "Asia/Singapore"),
    ("Asia/Kuala_Lumpur", "Asia/Kuala_Lumpur"),
    ("Asia/Dili", "Asia/Dili"),
    ("UTC", "UTC"),
]
TIME_FORMATS = ["%H:%M", "%H.%M"]


class EventDetailsForm(FlaskForm):
    """Name, address, place, timezone, slot length and registration of an event."""

    name = StringField(_l("Event name"), validators=[DataRequired(_l("Fill in the event's name.")), Length(max=200)])
    slug = StringField(
        _l("Web address (slug)"),
        description=_l("Small letters, digits and dashes; left empty, it is made from the name."),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use only small letters, digits and dashes.")),
        ],
    )
    venue = StringField(_l("Venue"), validators=[DataRequired(_l("Fill in the venue.")), Length(max=200)])
    city = StringField(_l("City or regency"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    timezone = SelectField(_l("Timezone"), choices=TIMEZONES, default="Asia/Jakarta")
    slot_minutes = BoundedIntegerField(
        _l("Meeting length (minutes)"),
        default=20,
        validators=[InputRequired(_l("Fill in the meeting length.")), NumberRange(5, 240)],
    )
    gap_minutes = BoundedIntegerField(
        _l("Gap between meetings (minutes)"),
        default=0,
        validators=[InputRequired(_l("Fill in the gap (0 for none).")), NumberRange(0, 120)],
    )
    registration_opens = DateTimeLocalField(
        _l("Registration opens (local time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    registration_closes = DateTimeLocalField(
        _l("Registration closes (local time)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    meeting_cap = BoundedIntegerField(
        _l("Most meeting requests per cooperative"),
        description=_l("Leave empty for no limit."),
        validators=[Optional(), NumberRange(1, 100)],
    )
    changeover_minutes = BoundedIntegerField(
        _l("Changeover minutes before and after a session for people on stage"),
        default=0,
        validators=[InputRequired(_l("Fill in the changeover (0 for none).")), NumberRange(0, 120)],
    )
    submit = SubmitField(_l("Save"))


class DayForm(FlaskForm):
    """A day of the event and its meeting window; saving an existing date changes its window."""

    date = DateField(_l("Date"), validators=[InputRequired(_l("Fill in the date."))])
    meetings_start = TimeField(
        _l("Meetings start"), format=TIME_FORMATS, validators=[InputRequired(_l("Fill in the time."))]
    )
    meetings_end = TimeField(
        _l("Meetings end"), format=TIME_FORMATS, validators=[InputRequired(_l("Fill in the time."))]
    )
    submit = SubmitField(_l("Save day"))


BREAK_KINDS = [
    (BreakKind.LUNCH.value, _l("Lunch")),
    (BreakKind.PRAYER.value, _l("Prayer")),
    (BreakKind.OTHER.value, _l("Other")),
]


class BreakForm(FlaskForm):
    """A window without meetings, on every day or on one day, or on Fridays only."""

    title = StringField(_l("Name"), validators=[DataRequired(_l("Fill in the name.")), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=BREAK_KINDS, default=BreakKind.LUNCH.value)
    day_id = SelectField(_l("Day"), coerce=int, default=0)
    starts = TimeField(_l("From"), format=TIME_FORMATS, validators=[InputRequired(_l("Fill in the time."))])
    ends = TimeField(_l("Until"), format=TIME_FORMATS, validators=[InputRequired(_l("Fill in the time."))])
    fridays_only = BooleanField(_l("Fridays only"))
    submit = SubmitField(_l("Add break"))


class StatusForm(FlaskForm):
    """Move the event to another status."""

    target = HiddenField(validators=[DataRequired()])

    def target_status(self) -> EventStatus | None:
        """Return the chosen status, or None when the value is not a status."""
        try:
            return EventStatus(self.target.data)
        except ValueError:
            return None


class RoomForm(FlaskForm):
    """A room of the venue."""

    name = StringField(_l("Room name"), validators=[DataRequired(_l("Fill in the name.")), Length(max=120)])
    capacity = BoundedIntegerField(_l("Capacity (people)"), validators=[Optional(), NumberRange(1, 100000)])
    submit = SubmitField(_l("Add room"))
