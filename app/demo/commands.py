"""`flask demo load`: the Pasuruan reference event, for trying the app out."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.demo.pasuruan import DEMO_PASSWORD, USERS, load_pasuruan_demo
from app.extensions import db
from app.models import Event

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load when the database holds no event yet.")
def load(if_empty: bool) -> None:
    """Load the Pasuruan demo event (safe to run again: nothing is duplicated)."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("Database already holds events; demo not loaded.")
        return
    try:
        event = load_pasuruan_demo()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Demo event ready: /e/{event.slug}")
    click.echo(
        f"Logins (password {DEMO_PASSWORD!r}): " + ", ".join(f"{email} ({role})" for email, _n, role, _o in USERS)
    )
