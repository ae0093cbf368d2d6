"""Forms of the programme pages: a session, a person on stage, and confirmations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from app.i18n import local_date
from app.models import Event, Organization, SessionKind, SessionRole, User
from app.phone import PhoneNumberError, normalize_whatsapp
from app.programme.labels import KIND_LABELS, ROLE_LABELS
from app.programme.services import PersonInput, SessionInput


def _none_if_zero(value: str | int | None) -> int | None:
    return int(value) if value not in (None, "", "0", 0) else None


class SessionForm(FlaskForm):
    """A session of the programme; times are entered in the event's local time."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    day = SelectField(_l("Day"), validators=[DataRequired()])
    starts = TimeField(_l("Starts"), validators=[DataRequired()])
    ends = TimeField(_l("Ends"), validators=[DataRequired()])
    capacity = IntegerField(
        _l("Seats (empty: no limit)"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
    )
    for_everyone = BooleanField(_l("All attendees are expected (no meetings meanwhile)"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    # Set when the organizer has seen whom a new time or room affects: the fingerprint of that change.
    confirmed_change = HiddenField()
    submit = SubmitField(_l("Save"))

    def __init__(self, event: Event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.day.choices = [(d.date.isoformat(), local_date(d.date)) for d in event.days]

    def validate_ends(self, field: TimeField) -> None:
        """Refuse a session that ends before it starts."""
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The session must end after it starts."))

    def to_input(self) -> SessionInput:
        """Return the entered session with its times turned into UTC."""
        day = date.fromisoformat(self.day.data)
        zone = self.event.zone
        return SessionInput(
            title=self.title.data,
            kind=SessionKind(self.kind.data),
            room=self.room.data,
            starts_at=datetime.combine(day, self.starts.data, tzinfo=zone).astimezone(UTC),
            ends_at=datetime.combine(day, self.ends.data, tzinfo=zone).astimezone(UTC),
            capacity=self.capacity.data,
            for_everyone=self.for_everyone.data,
            description=self.description.data,
        )

    def fill_from(self, session) -> None:
        """Show a stored session's values in local time."""
        zone = self.event.zone
        local_start, local_end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        self.title.data = session.title
        self.kind.data = session.kind.value
        self.room.data = session.room
        self.day.data = local_start.date().isoformat()
        self.starts.data = local_start.time()
        self.ends.data = local_end.time()
        self.capacity.data = session.capacity
        self.for_everyone.data = session.for_everyone
        self.description.data = session.description


class PersonForm(FlaskForm):
    """A moderator, speaker or panelist of a session."""

    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=160)])
    organization_id = SelectField(_l("Organization"), coerce=_none_if_zero, validate_choice=False)
    user_id = SelectField(_l("Moderator account (sees the session's attendees)"), coerce=_none_if_zero)
    whatsapp = StringField(_l("WhatsApp number"), validators=[Optional(), Length(max=30)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    submit = SubmitField(_l("Add"))

    def __init__(self, organizations: list[Organization], accounts: list[User], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [(0, _l("(none)"))] + [(o.id, o.display_name) for o in organizations]
        self.user_id.choices = [(0, _l("(none)"))] + [(u.id, f"{u.name} ({u.email})") for u in accounts]
        self._organization_ids = {o.id for o in organizations}

    def validate_organization_id(self, field: SelectField) -> None:
        """Accept only the event's booth holders and registered guests."""
        if field.data is not None and field.data not in self._organization_ids:
            raise ValidationError(_l("Choose an organization of this event."))

    def validate_whatsapp(self, field: StringField) -> None:
        """Accept Indonesian mobile numbers in any usual writing; store them as +628..."""
        if not field.data:
            field.data = None
            return
        try:
            field.data = normalize_whatsapp(field.data)
        except PhoneNumberError as error:
            raise ValidationError(_l("Enter a mobile number such as 0812 3456 7890.")) from error

    def validate_user_id(self, field: SelectField) -> None:
        """Link accounts to moderators only."""
        if field.data is not None and self.role.data != SessionRole.MODERATOR.value:
            raise ValidationError(_l("Only a moderator is linked to an account."))

    def to_input(self) -> PersonInput:
        """Return the entered person."""
        return PersonInput(
            role=SessionRole(self.role.data),
            name=self.name.data,
            position=self.position.data,
            organization_id=self.organization_id.data,
            user_id=self.user_id.data,
            whatsapp=self.whatsapp.data,
            email=self.email.data,
        )


class ConfirmForm(FlaskForm):
    """A button that changes something (cancel, reinstate, delete, remove): a POST with its CSRF token."""

    submit = SubmitField(_l("Confirm"))


class SignupForm(FlaskForm):
    """A cooperative takes a seat in a session, optionally with a question for the people on stage."""

    question = TextAreaField(_l("Your question for the panel (optional)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Sign up"))
