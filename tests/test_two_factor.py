"""An organizer protects the account with an authenticator app; a stolen password alone no longer gets in."""

import time

import pyotp
from sqlalchemy import select

from app.auth import two_factor
from app.extensions import db
from app.models import Role, User
from tests.timetable.conftest import log_in, make_user

PASSWORD = "sandi-panitia-panjang"


def organizer_with_password():
    user = make_user(Role.ORGANIZER, "panitia@example.org")
    user.set_password(PASSWORD)
    db.session.commit()
    return user


def current_code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def test_organizer_switches_two_step_login_on_with_a_scanned_secret(client):
    user = organizer_with_password()
    log_in(client, user)
    page = client.get("/auth/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and "Verifikasi dua langkah" in page
    with client.session_transaction() as session:
        secret = session["two_factor_setup_secret"]
    assert client.post("/auth/two-factor", data={"code": "000000"}).status_code == 200
    assert db.session.get(User, user.id).totp_enabled_at is None
    client.post("/auth/two-factor", data={"code": current_code(secret)})
    db.session.expire_all()
    assert db.session.get(User, user.id).uses_two_factor


def test_login_then_asks_for_the_code_and_refuses_a_replayed_one(client):
    user = organizer_with_password()
    secret = two_factor.new_secret()
    two_factor.enable(user, secret, current_code(secret, -1))
    db.session.commit()
    response = client.post("/auth/login", data={"email": "panitia@example.org", "password": PASSWORD})
    assert response.headers["Location"].startswith("/auth/login/code")
    assert client.get("/organizer/").status_code in (302, 401)  # not logged in yet
    wrong = client.post("/auth/login/code", data={"code": "123456"})
    assert "Kode itu tidak cocok" in wrong.get_data(as_text=True)
    code = current_code(secret)
    assert client.post("/auth/login/code", data={"code": code}).status_code == 302
    assert client.get("/organizer/").status_code == 200
    # The same code cannot be used again, even by someone who watched it being typed.
    other = client.application.test_client()
    other.post("/auth/login", data={"email": "panitia@example.org", "password": PASSWORD})
    assert "Kode itu tidak cocok" in other.post("/auth/login/code", data={"code": code}).get_data(as_text=True)


def test_the_code_step_expires_and_cannot_be_skipped(client):
    user = organizer_with_password()
    secret = two_factor.new_secret()
    two_factor.enable(user, secret, current_code(secret, -1))
    db.session.commit()
    client.post("/auth/login", data={"email": "panitia@example.org", "password": PASSWORD})
    with client.session_transaction() as session:
        session["pending_two_factor"] = {**session["pending_two_factor"], "at": time.time() - 3600}
    response = client.post("/auth/login/code", data={"code": current_code(secret)})
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/auth/login/code").headers["Location"] == "/auth/login"


def test_codes_from_a_drifting_phone_clock_are_accepted_one_step_either_side():
    secret = two_factor.new_secret()
    now = time.time()
    assert two_factor.matching_step(secret, pyotp.TOTP(secret).at(now - 30), now) is not None
    assert two_factor.matching_step(secret, pyotp.TOTP(secret).at(now + 30), now) is not None
    assert two_factor.matching_step(secret, pyotp.TOTP(secret).at(now - 120), now) is None
    assert two_factor.matching_step(secret, "12ab56", now) is None


def test_switching_off_needs_a_current_code(client):
    user = organizer_with_password()
    secret = two_factor.new_secret()
    two_factor.enable(user, secret, current_code(secret, -1))
    db.session.commit()
    log_in(client, user)
    client.post("/auth/two-factor", data={"code": "999999"})
    db.session.expire_all()
    assert db.session.get(User, user.id).uses_two_factor
    client.post("/auth/two-factor", data={"code": current_code(secret)})
    db.session.expire_all()
    assert not db.session.scalar(select(User).where(User.id == user.id)).uses_two_factor


def test_a_regency_can_require_two_step_login_for_organizers(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_FOR_ORGANIZERS", True)
    user = organizer_with_password()
    response = client.post("/auth/login", data={"email": "panitia@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/auth/two-factor"
    assert client.get("/organizer/").headers["Location"] == "/auth/two-factor"
    assert user.id
