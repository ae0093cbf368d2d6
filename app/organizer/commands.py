"""`flask users ...`: creating the first organizer and listing accounts."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.extensions import db
from app.models import Role
from app.organizer.services.accounts import AccountError, create_user, list_users

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create-organizer")
@click.option("--email", required=True, help="Login email of the organizer.")
@click.option("--name", required=True, help="Name shown in the app, e.g. the office's name.")
@click.password_option(help="Asked for, hidden and twice, when not given.")
def create_organizer(email: str, name: str, password: str) -> None:
    """Create an organizer account (password: at least 10 characters, not the email)."""
    # No request here: messages come in the site's default language.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        try:
            user = create_user(email, name, password, Role.ORGANIZER)
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
    click.echo(f"Organizer {user.email} created.")


@users_cli.command("list")
def list_accounts() -> None:
    """List every account: email, role, name, whether active, last login."""
    for user in list_users():
        state = "active" if user.active else "inactive"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_login_at else "-"
        click.echo(f"{user.email}\t{user.role.value}\t{user.name}\t{state}\tlast login {last}")
