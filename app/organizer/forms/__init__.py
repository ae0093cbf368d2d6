"""Forms of the organizer area; they check input and never write to the database."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A form with no fields: a button that changes something, protected by its CSRF token."""
