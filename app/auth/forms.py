"""Forms for logging in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Fill in your email.")),
            Email(_l("This is not a valid email address.")),
            Length(max=254),
        ],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Fill in your password.")), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Fill in the six-digit code.")), Length(min=6, max=7)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"},
    )
    submit = SubmitField(_l("Continue"))
