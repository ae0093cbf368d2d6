"""Organizer pages for accounts: the user list, deactivation, invitations; and the public accept page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.extensions import db
from app.mail import send_mail
from app.models import Event, Invitation, Organization, Role, User
from app.organizer.blueprint import bp
from app.organizer.forms import ActionForm
from app.organizer.forms.users import AcceptInvitationForm, InviteForm
from app.organizer.labels import role_labels
from app.organizer.services import accounts
from app.organizer.services.accounts import AccountError
from app.organizer.services.booths import booth_organizations
from app.organizer.services.events import list_events
from app.security.roles import organizer_required


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.organization_id.choices = [(0, "—")] + [(o.id, o.name) for o in booth_organizations()]
    form.event_id.choices = [(0, "—")] + [(e.id, e.name) for e in list_events()]
    return form


def _users_page(form: InviteForm, status: int = 200):
    return (
        render_template(
            "organizer/users.html",
            users=accounts.list_users(),
            invitations=accounts.pending_invitations(),
            form=form,
            action_form=ActionForm(),
            role_labels=role_labels(),
        ),
        status,
    )


@bp.get("/users")
@organizer_required
def list_users():
    """List accounts and open invitations, with the invitation form."""
    return _users_page(_invite_form())


def _invitation_mail(link: str, role_label: str, invitation: Invitation) -> tuple[str, str]:
    subject = _("Invitation to Temu Bisnis")
    body = _(
        "%(name)s invites you to Temu Bisnis as %(role)s.\n\n"
        "Open this link to choose your name and password (valid for 7 days):\n%(link)s\n\n"
        "If you did not expect this email, you can ignore it.",
        name=current_user.name,
        role=role_label,
        link=link,
    )
    if invitation.event:
        body += "\n\n" + _("Event: %(event)s", event=invitation.event.name)
    return subject, body


@bp.post("/users/invite")
@organizer_required
def invite_user():
    """Invite a co-organizer, a moderator or booth staff by email."""
    form = _invite_form()
    if not form.validate_on_submit():
        return _users_page(form, 400)
    organization = db.session.get(Organization, form.organization_id.data) if form.organization_id.data else None
    event = db.session.get(Event, form.event_id.data) if form.event_id.data else None
    try:
        issued = accounts.invite(form.email.data, Role(form.role.data), current_user, organization, event)
        link = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(
            "organizer.accept_invitation", token=issued.token
        )
        send_mail(
            issued.invitation.email, *_invitation_mail(link, role_labels()[issued.invitation.role], issued.invitation)
        )
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        form.email.errors.append(str(error))
        return _users_page(form, 400)
    flash(_("Invitation sent to %(email)s.", email=issued.invitation.email), "success")
    return redirect(url_for("organizer.list_users"))


@bp.post("/invitations/<int:invitation_id>/revoke")
@organizer_required
def revoke_invitation(invitation_id: int):
    """Make an invitation's link useless."""
    invitation = db.session.get(Invitation, invitation_id) or abort(404)
    if ActionForm().validate_on_submit():
        accounts.revoke_invitation(invitation)
        db.session.commit()
        flash(_("Invitation revoked."), "success")
    return redirect(url_for("organizer.list_users"))


@bp.post("/users/<int:user_id>/deactivate")
@organizer_required
def deactivate_user(user_id: int):
    """Stop an account from logging in."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/activate")
@organizer_required
def activate_user(user_id: int):
    """Let a deactivated account log in again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = db.session.get(User, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(user, active, current_user)
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Account activated.") if active else _("Account deactivated."), "success")
    return redirect(url_for("organizer.list_users"))


# Reached through the emailed secret link by someone who has no account yet, so no role check applies.
@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Let an invited person choose a name and password; the account gets the invited role."""
    invitation = accounts.find_invitation(token)
    if invitation is None or not invitation.is_usable():
        return render_template("organizer/invitation_invalid.html"), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = accounts.accept_invitation(invitation, form.name.data, form.password.data)
            db.session.commit()
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("organizer.home") if user.role == Role.ORGANIZER else url_for("public.list_events"))
    return render_template(
        "organizer/invitation_accept.html", form=form, invitation=invitation, role_label=role_labels()[invitation.role]
    )
