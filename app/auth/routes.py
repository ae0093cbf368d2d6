"""Logging in and out, with an optional second step (authenticator app codes)."""

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.auth import two_factor
from app.auth.forms import CodeForm, LoginForm
from app.extensions import db, limiter
from app.models import User, utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")

PENDING_KEY = "pending_two_factor"
PENDING_SECONDS = 300  # the code must follow the password within five minutes
SETUP_KEY = "two_factor_setup_secret"
# Checked when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = "scrypt:32768:8:1$8wHGsbXb1X2u4nbd$" + "0" * 128


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Log a user in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("public.list_events"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(func.lower(User.email) == form.email.data.strip().lower()))
        if user is None:
            check_password_hash(_DUMMY_HASH, form.password.data)
        if user is None or not user.active or not user.check_password(form.password.data):
            flash(_("Email or password is wrong."), "error")
        elif user.uses_two_factor:
            session[PENDING_KEY] = {"user_id": user.id, "at": time.time(), "remember": bool(form.remember.data)}
            return redirect(url_for("auth.login_code", next=request.args.get("next", "")))
        else:
            return _complete_login(user, bool(form.remember.data))
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login_code():
    """Second step: the code from the authenticator app of a user who gave the right password."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, pending["user_id"])
    form = CodeForm()
    if form.validate_on_submit():
        if user is not None and user.active and two_factor.verify_code(user, form.code.data):
            session.pop(PENDING_KEY, None)
            return _complete_login(user, pending.get("remember", False))
        db.session.rollback()
        flash(_("That code is not right. Codes change every 30 seconds; use the newest one."), "error")
    return render_template("auth/login_code.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_settings():
    """Switch two-step login on (scan the QR code, confirm with a code) or off (confirm with a code)."""
    form = CodeForm()
    user = current_user
    if user.uses_two_factor:
        if form.validate_on_submit():
            if two_factor.verify_code(user, form.code.data):
                two_factor.disable(user)
                db.session.commit()
                flash(_("Two-step login is off."), "info")
                return redirect(url_for("auth.two_factor_settings"))
            db.session.rollback()
            flash(_("That code is not right. Codes change every 30 seconds; use the newest one."), "error")
        return render_template("auth/two_factor.html", form=form, enabled=True)
    secret = session.get(SETUP_KEY) or two_factor.new_secret()
    session[SETUP_KEY] = secret
    if form.validate_on_submit():
        if two_factor.enable(user, secret, form.code.data):
            session.pop(SETUP_KEY, None)
            db.session.commit()
            flash(_("Two-step login is on. From now on you will be asked for a code after your password."), "info")
            return redirect(url_for("auth.two_factor_settings"))
        flash(_("That code is not right. Codes change every 30 seconds; use the newest one."), "error")
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "auth/two_factor.html", form=form, enabled=False, secret=secret, qr=two_factor.qr_data_uri(uri)
    )


def _complete_login(user: User, remember: bool):
    """Log the user in, note the time, and go where they were heading (a local path only)."""
    user.last_login_at = utcnow()
    db.session.commit()
    login_user(user, remember=remember)
    if current_app.config.get("TWO_FACTOR_REQUIRED_FOR_ORGANIZERS") and user.is_organizer and not user.uses_two_factor:
        flash(_("Organizers must switch on two-step login before going on."), "info")
        return redirect(url_for("auth.two_factor_settings"))
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.list_events")
    return redirect(target)


@bp.post("/logout")
@login_required
def logout():
    """Log the current user out."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.list_events"))
