"""A failed build's stored error, told in the organizer's language (runs store fixed English texts or a crash)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.jobs.celery_app import UNQUEUED
from app.timetable.jobs import ANOTHER_RUN, BROKE_RULES, INTERRUPTED, NO_TIMETABLE, OVERRAN, STALE


def run_error_text(error: str | None) -> str | None:
    """What went wrong and what to do, translated; a crash's own text is kept for the technical team."""
    if not error:
        return None
    halfway = _("The build stopped halfway: the process running it ended. Build again.")
    known = {
        INTERRUPTED: halfway,
        STALE: halfway,
        OVERRAN: _("The build ran past its time limit and was stopped. Build again; if it happens again, "
                   "give it a longer time limit."),
        ANOTHER_RUN: _("Another build of this event was running. Wait until it ends, then build again."),
        UNQUEUED: _("The job queue could not be reached. Try again in a moment; if it keeps happening, "
                    "tell the technical team."),
        NO_TIMETABLE: _("No timetable was found within the time limit. Build again with a longer time limit."),
    }
    if error in known:
        return known[error]
    if error.startswith(BROKE_RULES):
        return _("The solver's timetable broke a rule, so it was not kept. Please tell the technical team: "
                 "%(details)s", details=error[len(BROKE_RULES):])
    return _("Unexpected error (for the technical team): %(details)s", details=error)
