"""Two-step login with an authenticator app (TOTP): secrets, provisioning QR codes, code checks without replay."""

from __future__ import annotations

import time

import pyotp
import segno

from app.models import User, utcnow

ISSUER = "Temu Bisnis"
STEP_SECONDS = 30


def new_secret() -> str:
    """Return a fresh random base32 secret (160 bits) for an authenticator app."""
    return pyotp.random_base32(length=32)


def provisioning_uri(user: User, secret: str) -> str:
    """Return the otpauth:// address authenticator apps read from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """Return the QR code of an otpauth:// address as an SVG data URI (served inline, no outside request)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """Return the time step the code belongs to (this one or one either side for clock drift), else None."""
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify_code(user: User, code: str, now: float | None = None) -> bool:
    """Accept a code of the user's secret once: a step at or before the last one used is refused. Flushes nothing."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True


def enable(user: User, secret: str, code: str, now: float | None = None) -> bool:
    """Switch two-step login on when the code proves the app holds the secret."""
    if matching_step(secret, code, now) is None:
        return False
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    user.totp_last_step = matching_step(secret, code, now)
    return True


def disable(user: User) -> None:
    """Switch two-step login off and forget the secret."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
