"""Organizers invite co-organizers, moderators and booth staff; links are secret, hashed and revocable."""

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.mail import outbox
from app.models import Invitation, OrganizationKind, Role, User, utcnow
from tests.factories import make_organization
from tests.organizer.conftest import PASSWORD, log_in, make_user


def invite(client, email="petugas@bulog.co.id", role="booth_staff", organization_id=0, event_id=0):
    return client.post(
        "/organizer/users/invite",
        data={"email": email, "role": role, "organization_id": organization_id, "event_id": event_id},
    )


def link_in_last_mail() -> str:
    body = outbox().messages[-1].get_content()
    return re.search(r"http://\S+/organizer/invitation/(\S+)", body).group(0)


def test_organizer_invites_booth_staff_who_sets_name_and_password(organizer_client, app):
    bulog = make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name="Perum BULOG", village_code=None)
    db.session.commit()
    outbox().messages.clear()
    response = invite(organizer_client, organization_id=bulog.id)
    assert response.status_code == 302
    message = outbox().messages[-1]
    assert message["To"] == "petugas@bulog.co.id"
    link = link_in_last_mail()
    token = link.rsplit("/", 1)[1]
    invitation = db.session.scalar(select(Invitation))
    assert token not in invitation.token_hash and len(token) >= 40  # only the hash is stored

    guest = app.test_client()
    page = guest.get(link.replace(app.config["PUBLIC_BASE_URL"], ""))
    assert page.status_code == 200 and "petugas@bulog.co.id" in page.text
    response = guest.post(
        link.replace(app.config["PUBLIC_BASE_URL"], ""),
        data={"name": "Rina Petugas BULOG", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petugas@bulog.co.id"))
    assert user.role == Role.BOOTH_STAFF and user.organization_id == bulog.id
    assert user.check_password(PASSWORD)
    # The link works once only.
    assert guest.get(link.replace(app.config["PUBLIC_BASE_URL"], "")).status_code == 404


def test_accepting_applies_the_password_policy(organizer_client, app):
    invite(organizer_client, email="moderator@example.org", role="moderator")
    path = link_in_last_mail().replace(app.config["PUBLIC_BASE_URL"], "")
    response = app.test_client().post(path, data={"name": "Endah", "password": "pendek", "confirm": "pendek"})
    assert response.status_code == 200
    assert "paling sedikit 10 karakter" in response.text
    assert db.session.scalar(select(User).where(User.email == "moderator@example.org")) is None


def test_booth_staff_must_belong_to_an_organization(organizer_client):
    response = invite(organizer_client, organization_id=0)
    assert response.status_code == 400
    assert "organisasi" in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_a_revoked_invitation_link_no_longer_works(organizer_client, app):
    invite(organizer_client, email="panitia2@example.org", role="organizer")
    path = link_in_last_mail().replace(app.config["PUBLIC_BASE_URL"], "")
    invitation = db.session.scalar(select(Invitation))
    assert organizer_client.post(f"/organizer/invitations/{invitation.id}/revoke").status_code == 302
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert "Undangan tidak berlaku" in response.text


def test_an_expired_invitation_link_no_longer_works(organizer_client, app):
    invite(organizer_client, email="panitia3@example.org", role="organizer")
    path = link_in_last_mail().replace(app.config["PUBLIC_BASE_URL"], "")
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_a_made_up_token_finds_nothing(client):
    assert client.get("/organizer/invitation/" + "x" * 43).status_code == 404


def test_organizer_deactivates_an_account_which_then_cannot_log_in(organizer_client, app):
    staff = make_user(Role.BOOTH_STAFF, email="lama@example.org")
    db.session.commit()
    assert organizer_client.post(f"/organizer/users/{staff.id}/deactivate").status_code == 302
    db.session.refresh(staff)
    assert staff.active is False
    response = app.test_client().post("/auth/login", data={"email": "lama@example.org", "password": PASSWORD})
    assert "Email atau kata sandi salah." in response.text


def test_organizer_cannot_deactivate_their_own_account(organizer_client, organizer):
    response = organizer_client.post(f"/organizer/users/{organizer.id}/deactivate", follow_redirects=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.text
    db.session.refresh(organizer)
    assert organizer.active


def test_login_records_the_last_login_shown_in_the_user_list(app, organizer, client):
    client.post("/auth/login", data={"email": organizer.email, "password": PASSWORD})
    db.session.refresh(organizer)
    assert organizer.last_login_at is not None
    page = client.get("/organizer/users")
    assert organizer.email in page.text


def test_invitation_to_an_email_that_has_an_account_is_refused(organizer_client, organizer):
    response = invite(organizer_client, email=organizer.email, role="organizer")
    assert response.status_code == 400
    assert "sudah ada" in response.text


def test_another_organizer_sees_the_same_accounts(client, organizer):
    other = make_user(Role.ORGANIZER)
    db.session.commit()
    log_in(client, other)
    assert organizer.email in client.get("/organizer/users").text
