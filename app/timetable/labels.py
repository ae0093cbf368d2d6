"""Words for the timetable's states, shared by its templates (kept out of the templates, which hold no logic)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.models import SolveStatus, TimetableVersion, VersionStatus
from app.timetable.blueprint import bp


def version_status(version: TimetableVersion) -> str:
    """Return the version's state in the user's language."""
    return {
        VersionStatus.DRAFT: _("draft"),
        VersionStatus.PUBLISHED: _("published"),
        VersionStatus.SUPERSEDED: _("superseded"),
        VersionStatus.DISCARDED: _("set aside"),
    }[version.status]


def solver_label(solver_status: str | None) -> str:
    """Return how a version came about: proven best, good but not proven, adjusted by hand, imported."""
    return {
        "optimal": _("best possible"),
        "feasible": _("valid, not proven best"),
        "manual": _("adjusted by hand"),
        "imported": _("imported"),
    }.get(solver_status or "", solver_status or "")


def run_status_label(status: SolveStatus) -> str:
    """Return a solve run's state in the user's language."""
    return {
        SolveStatus.QUEUED: _("waiting"),
        SolveStatus.RUNNING: _("running"),
        SolveStatus.SUCCEEDED: _("done"),
        SolveStatus.INFEASIBLE: _("impossible"),
        SolveStatus.STOPPED: _("stopped"),
        SolveStatus.FAILED: _("failed"),
    }[status]


def phase_label(phase: str | None) -> str:
    """Return what the solver is working on now."""
    return {
        "served": _("Giving as many parties as possible a meeting"),
        "weight": _("Placing the most important requests"),
        "breaks": _("Closing idle gaps"),
        "moved": _("Keeping published meetings in place"),
    }.get(phase or "", _("Preparing"))


@bp.context_processor
def timetable_labels() -> dict[str, object]:
    """Offer the label functions to the timetable's templates."""
    return {
        "version_status": version_status,
        "solver_label": solver_label,
        "run_status_label": run_status_label,
        "phase_label": phase_label,
    }
