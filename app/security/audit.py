"""Recording every state-changing request of organizers and staff in the audit log."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_login import current_user
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.audit import AuditEntry

log = logging.getLogger(__name__)

AUDITED_AREAS = ("organizer", "timetable", "programme", "moderator", "booth", "calendar", "auth")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Fields whose names are kept out of the log too: nothing about secrets is recorded.
NEVER_NAMED = {"csrf_token", "password", "password_confirm", "confirm", "current_password", "code"}


def register_audit_log(app: Flask) -> None:
    """After each write by a logged-in user in an audited area, add an audit entry in its own transaction."""

    @app.after_request
    def record(response):
        if request.method not in WRITE_METHODS or not request.endpoint:
            return response
        if request.endpoint.split(".", 1)[0] not in AUDITED_AREAS or not current_user.is_authenticated:
            return response
        try:
            args = dict(request.view_args or {})
            event_id = args.get("event_id")
            entry = AuditEntry(
                user_id=current_user.id,
                event_id=event_id if isinstance(event_id, int) else None,
                action=request.endpoint,
                method=request.method,
                path=request.path[:500],
                status=response.status_code,
                remote_addr=request.remote_addr,
                details={
                    "args": {k: v for k, v in args.items() if isinstance(v, int | str) and k != "token"},
                    "fields": sorted(k for k in request.form if k not in NEVER_NAMED)[:50],
                },
            )
            # A session of its own: the request's session (and the objects the view handed on) stays untouched.
            with Session(db.engine) as audit_session:
                audit_session.add(entry)
                audit_session.commit()
        except Exception:  # the user's action stands; a missing audit line is logged loudly
            log.exception("could not write the audit entry for %s %s", request.method, request.path)
        return response
