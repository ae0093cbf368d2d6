"""Temu Bisnis: business-matching days between village cooperatives and state-owned enterprises."""

from __future__ import annotations

from flask import Flask, render_template

from app.observability import register_logging
from app.security.audit import register_audit_log
from app.security.headers import register_security_headers
from app.security.input import register_input_cleaning
from config import Config, local_secret_key


def create_app(config_class: type[Config] = Config) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages and commands."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = local_secret_key()
    register_proxy_fix(app)
    register_logging(app)
    register_extensions(app)
    register_security_headers(app)
    register_input_cleaning(app)
    register_audit_log(app)
    register_blueprints(app)
    register_error_pages(app)
    register_commands(app)
    register_signals(app)
    register_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from app import models  # noqa: F401  (registers every table with the metadata)
    from app.extensions import babel, csrf, db, enforce_sqlite_foreign_keys, limiter, login_manager, migrate
    from app.i18n import register_template_helpers, select_locale

    if not event.contains(Engine, "connect", enforce_sqlite_foreign_keys):
        event.listen(Engine, "connect", enforce_sqlite_foreign_keys)
    db.init_app(app)
    # In-process counters without a timer thread per request (app/ratelimit.py); Redis and others unchanged.
    from app.ratelimit import storage_uri

    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(models.User, int(user_id))

    register_template_helpers(app)


def register_proxy_fix(app: Flask) -> None:
    """Trust X-Forwarded-For/Proto/Host from exactly the configured number of proxies."""
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def register_blueprints(app: Flask) -> None:
    """Mount each area's routes."""
    from app.attendee.routes import bp as attendee_bp
    from app.auth.routes import bp as auth_bp
    from app.booth.routes import bp as booth_bp
    from app.calendar.routes import bp as calendar_bp
    from app.health import bp as health_bp
    from app.moderator.routes import bp as moderator_bp
    from app.organizer.routes import bp as organizer_bp
    from app.programme.attendee_routes import bp as sessions_bp
    from app.programme.routes import bp as programme_bp
    from app.public.routes import bp as public_bp
    from app.timetable.routes import bp as timetable_bp

    for blueprint in (
        health_bp,
        public_bp,
        auth_bp,
        organizer_bp,
        timetable_bp,
        programme_bp,
        sessions_bp,
        attendee_bp,
        booth_bp,
        calendar_bp,
        moderator_bp,
    ):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    """Answer errors with pages in the user's language."""

    def page(code: int):
        def handler(_error):
            return render_template("error.html", code=code), code

        return handler

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, page(code))

    from sqlalchemy.exc import DBAPIError

    @app.errorhandler(DBAPIError)
    def database_connection_lost(error: DBAPIError):
        # A pooled connection the database server dropped (restart, failover; there is no pre-ping): SQLAlchemy has
        # already thrown away every pooled connection of this process, so trying again in a moment works.
        if not error.connection_invalidated:
            raise error
        from app.extensions import db

        db.session.rollback()
        app.logger.warning("database connection lost; the pool reconnects: %s", error.__class__.__name__)
        return render_template("error.html", code=503), 503, {"Retry-After": "1"}


def register_signals(app: Flask) -> None:
    """Connect the areas that listen to other areas' signals and flushes (calendar invitations and feed warming on
    publication, the events' content revisions)."""
    from app.calendar import content_revision, feed_warming
    from app.calendar.itip import connect_signals

    connect_signals()
    feed_warming.connect_signals()
    content_revision.listen()


def register_jobs(app: Flask) -> None:
    """Run solves and background jobs (emails) on Celery workers when CELERY_BROKER_URL is set, else in-process."""
    from app.jobs import register_jobs as register_background_jobs

    register_background_jobs(app)


def register_commands(app: Flask) -> None:
    """Add the project's flask sub-commands."""
    from app.calendar.commands import calendar_cli
    from app.demo.commands import demo_cli
    from app.organizer.commands import users_cli
    from app.timetable.commands import schedule_cli

    for group in (demo_cli, users_cli, schedule_cli, calendar_cli):
        app.cli.add_command(group)


def _migrations_dir():
    from config import BASE_DIR

    return BASE_DIR / "migrations"
