"""Forms for logging in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
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
