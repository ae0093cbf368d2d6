"""The audit log page: who changed what, when, for organizers."""

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import AuditEntry
from app.organizer.blueprint import bp
from app.security.roles import organizer_required

PAGE_SIZE = 100


@bp.get("/audit")
@organizer_required
def audit_log():
    """Show the latest audited actions, newest first, optionally for one event."""
    query = select(AuditEntry).options(selectinload(AuditEntry.user)).order_by(AuditEntry.id.desc())
    event_id = request.args.get("event", type=int)
    if event_id:
        query = query.where(AuditEntry.event_id == event_id)
    page = max(request.args.get("page", 1, type=int), 1)
    entries = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template(
        "organizer/audit.html",
        entries=entries[:PAGE_SIZE],
        page=page,
        more=len(entries) > PAGE_SIZE,
        event_id=event_id,
    )
