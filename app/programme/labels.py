"""Names of session kinds, roles and sign-up statuses in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import SessionKind, SessionRole, SignupStatus

KIND_LABELS = {
    SessionKind.OPENING: _l("Opening"),
    SessionKind.PLENARY: _l("Plenary"),
    SessionKind.TALK: _l("Talk"),
    SessionKind.PANEL: _l("Panel discussion"),
    SessionKind.WORKSHOP: _l("Workshop"),
    SessionKind.CLOSING: _l("Closing"),
}

ROLE_LABELS = {
    SessionRole.MODERATOR: _l("moderator"),
    SessionRole.SPEAKER: _l("speaker"),
    SessionRole.PANELIST: _l("panelist"),
}

STATUS_LABELS = {
    SignupStatus.CONFIRMED: _l("seat confirmed"),
    SignupStatus.WAITLISTED: _l("on the waiting list"),
    SignupStatus.CANCELLED: _l("cancelled"),
}


def kind_label(kind: SessionKind | str) -> str:
    """Return the name of a session kind, e.g. Diskusi panel."""
    return str(KIND_LABELS[SessionKind(kind)])


def role_label(role: SessionRole | str) -> str:
    """Return the name of a role on stage, e.g. panelis."""
    return str(ROLE_LABELS[SessionRole(role)])


def status_label(status: SignupStatus | str) -> str:
    """Return the name of a sign-up status, e.g. di daftar tunggu."""
    return str(STATUS_LABELS[SignupStatus(status)])
