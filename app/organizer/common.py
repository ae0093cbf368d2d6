"""Helpers the organizer's routes share: loading rows or 404, and running one change in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash

from app.extensions import db
from app.models import Event

T = TypeVar("T")


def event_or_404(event_id: int) -> Event:
    """Return the event or answer 404."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


def child_or_404(model: type[T], child_id: int, event: Event) -> T:
    """Return a row that belongs to the event (by its event_id), or answer 404."""
    row = db.session.get(model, child_id)
    if row is None or row.event_id != event.id:
        abort(404)
    return row


def apply_change(change: Callable[[], Any], success: str, refused: tuple[type[Exception], ...]) -> bool:
    """Run one change and commit it, flashing success; on a refusal roll everything back and flash why."""
    try:
        change()
        db.session.commit()
    except refused as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    flash(success, "success")
    return True
