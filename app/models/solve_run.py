"""A run of the solver for an event: the durable record of a background job."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.enums import string_enum
from app.models.event import Event
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.timetable import TimetableVersion


class SolveStatus(enum.StrEnum):
    """Where a solve run stands."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    INFEASIBLE = "infeasible"
    STOPPED = "stopped"
    FAILED = "failed"


FINISHED_STATUSES = (SolveStatus.SUCCEEDED, SolveStatus.INFEASIBLE, SolveStatus.STOPPED, SolveStatus.FAILED)


class SolveRun(db.Model):
    """One attempt to build a timetable, with live best figures and the draft it produced."""

    __tablename__ = "solve_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[SolveStatus] = mapped_column(string_enum(SolveStatus), default=SolveStatus.QUEUED)
    time_limit: Mapped[float] = mapped_column(Float, default=60.0)
    stop_requested: Mapped[bool] = mapped_column(default=False)
    # Pin meetings already published to their slots (they may still be dropped if they can no longer happen).
    keep_published: Mapped[bool] = mapped_column(default=True)
    # The objective level the solver is working on now: served, weight, breaks or moved.
    phase: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    best_served: Mapped[int | None] = mapped_column(Integer)
    best_weight: Mapped[int | None] = mapped_column(Integer)
    best_breaks: Mapped[int | None] = mapped_column(Integer)
    bound_served: Mapped[int | None] = mapped_column(Integer)
    bound_weight: Mapped[int | None] = mapped_column(Integer)
    bound_breaks: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    # Why an infeasible problem has no timetable: the solver's conflicts, as [{"kind", "message", ...}].
    conflicts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("timetable_versions.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    version: Mapped[TimetableVersion | None] = relationship()

    @property
    def is_finished(self) -> bool:
        """Tell whether the run has ended, one way or another."""
        return self.status in FINISHED_STATUSES
