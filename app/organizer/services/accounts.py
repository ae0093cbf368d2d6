"""Accounts: the password policy, organizers made from the command line, invitations and deactivation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import Event, Invitation, Organization, Role, User, utcnow
from app.security.tokens import hash_token, new_token

MIN_PASSWORD_LENGTH = 10
INVITATION_DAYS = 7
# Roles an organizer may invite; attendees come in through registration instead.
INVITABLE_ROLES = (Role.ORGANIZER, Role.MODERATOR, Role.BOOTH_STAFF)


class AccountError(ValueError):
    """Raised with a message for the user when an account cannot be made or changed."""


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and the token of its link, which is shown or sent once and never stored."""

    invitation: Invitation
    token: str


def password_problem(password: str, email: str) -> str | None:
    """Return what is wrong with a password under the policy (10+ characters, not the email), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password needs at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == email.strip().lower():
        return _("The password may not be the email address.")
    return None


def normalized_email(raw: str) -> str:
    """Return the email in the form it is stored, or raise AccountError when it is not an address."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(_("This is not a valid email address.")) from error


def find_user(email: str) -> User | None:
    """Return the account with this email (case-insensitive), if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, name: str, password: str, role: Role, organization_id: int | None = None) -> User:
    """Create an account after checking the email, the name and the password policy."""
    email = normalized_email(email)
    name = (name or "").strip()
    if not name:
        raise AccountError(_("Fill in the name."))
    if find_user(email):
        raise AccountError(_("An account with this email already exists."))
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    user = User(email=email, name=name, role=role, organization_id=organization_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def list_users() -> list[User]:
    """Return every account, organizers first, then by name."""
    return list(db.session.scalars(select(User).order_by(User.role, User.name)))


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate or reactivate an account; an organizer cannot lock themselves out."""
    if user.id == acting.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    user.active = active
    db.session.flush()


def invite(
    email: str,
    role: Role,
    invited_by: User,
    organization: Organization | None = None,
    event: Event | None = None,
    now: datetime | None = None,
) -> IssuedInvitation:
    """Record an invitation valid for a week; booth staff must name their booth's organization."""
    email = normalized_email(email)
    if role not in INVITABLE_ROLES:
        raise AccountError(_("This role cannot be invited."))
    if role == Role.BOOTH_STAFF and organization is None:
        raise AccountError(_("Booth staff belong to the organization of a booth: choose it."))
    if find_user(email):
        raise AccountError(_("An account with this email already exists."))
    token = new_token()
    invitation = Invitation(
        email=email,
        role=role,
        organization=organization if role == Role.BOOTH_STAFF else None,
        event=event,
        token_hash=hash_token(token),
        expires_at=(now or utcnow()) + timedelta(days=INVITATION_DAYS),
        invited_by=invited_by,
    )
    db.session.add(invitation)
    db.session.flush()
    return IssuedInvitation(invitation, token)


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation a link's token belongs to, if any (looked up by hash only)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def pending_invitations() -> list[Invitation]:
    """Return the invitations not yet accepted or revoked, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
        )
    )


def revoke_invitation(invitation: Invitation) -> None:
    """Make an invitation's link useless from now on."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()


def accept_invitation(invitation: Invitation, name: str, password: str) -> User:
    """Turn a usable invitation into an account with the chosen name and password."""
    if not invitation.is_usable():
        raise AccountError(_("This invitation is no longer valid. Ask the organizer for a new one."))
    user = create_user(invitation.email, name, password, invitation.role, invitation.organization_id)
    invitation.accepted_at = utcnow()
    user.last_login_at = invitation.accepted_at  # the person is logged in right away
    db.session.flush()
    return user
