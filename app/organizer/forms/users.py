"""Forms for inviting people and accepting an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.models import Role

INVITE_ROLES = [
    (Role.ORGANIZER.value, _l("Co-organizer")),
    (Role.MODERATOR.value, _l("Panel moderator")),
    (Role.BOOTH_STAFF.value, _l("Booth staff")),
]


class InviteForm(FlaskForm):
    """Who to invite, in which role; booth staff with their booth's organization."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Fill in the email.")),
            Email(_l("This is not a valid email address.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=INVITE_ROLES, default=Role.BOOTH_STAFF.value)
    organization_id = SelectField(_l("Organization (booth staff only)"), coerce=int, default=0)
    event_id = SelectField(_l("Event (optional)"), coerce=int, default=0)
    submit = SubmitField(_l("Send invitation"))


class AcceptInvitationForm(FlaskForm):
    """The invited person's name and password."""

    name = StringField(_l("Your name"), validators=[DataRequired(_l("Fill in your name.")), Length(max=120)])
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters, not your email address."),
        validators=[DataRequired(_l("Fill in your password.")), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(_l("Fill in your password.")), EqualTo("password", _l("The passwords differ."))],
    )
    submit = SubmitField(_l("Create my account"))
