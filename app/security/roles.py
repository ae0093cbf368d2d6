"""Role checks for routes: every route says who may open it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.models import Role


def roles_required(*roles: Role) -> Callable:
    """Let only logged-in users with one of the roles through: others log in (401) or get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            if (
                current_app.config.get("TWO_FACTOR_REQUIRED_FOR_ORGANIZERS")
                and current_user.is_organizer
                and not current_user.uses_two_factor
            ):
                return redirect(url_for("auth.two_factor_settings"))
            return view(*args, **kwargs)

        return wrapped

    return decorator


organizer_required = roles_required(Role.ORGANIZER)
