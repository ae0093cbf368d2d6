"""Indonesian phone numbers (WhatsApp): normalised to E.164 (+628...), the form wa.me links take."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()/]")


class PhoneNumberError(ValueError):
    """Raised for a number that cannot be an Indonesian mobile (WhatsApp) number."""


def normalize_whatsapp(raw: str) -> str:
    """Return the number as +628...; accepts 0812..., 62812..., +62 812-..., 812... forms."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            raise PhoneNumberError("not an Indonesian number")
    if not digits.isdigit():
        raise PhoneNumberError("only digits, spaces, dashes and a leading + are allowed")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    # Mobile numbers start with 8 and have 9 to 12 digits after the country code.
    if not national.startswith("8") or not 9 <= len(national) <= 12:
        raise PhoneNumberError("not a mobile number")
    return "+62" + national


def wa_link(e164: str, text: str | None = None) -> str:
    """Return a wa.me link that opens a chat with the number, optionally with a prepared message."""
    from urllib.parse import quote

    link = f"https://wa.me/{e164.lstrip('+')}"
    return f"{link}?text={quote(text)}" if text else link
