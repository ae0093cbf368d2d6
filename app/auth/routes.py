"""Logging in and out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from app.auth.forms import LoginForm
from app.extensions import db, limiter
from app.models import User, utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Log a user in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("public.list_events"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(func.lower(User.email) == form.email.data.strip().lower()))
        if user is None or not user.active or not user.check_password(form.password.data):
            flash(_("Email or password is wrong."), "error")
        else:
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("public.list_events")
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log the current user out."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.list_events"))
