"""Cooperative managers type WhatsApp numbers in every local style; all become +628..."""

import pytest

from app.phone import PhoneNumberError, normalize_whatsapp, wa_link


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "081234567890", "+62 812 3456 7890", "62812-3456-7890", "812 3456 7890", "(0812) 3456.7890"],
)
def test_local_styles_become_e164(raw):
    assert normalize_whatsapp(raw) == "+6281234567890"


@pytest.mark.parametrize("raw", ["", "0341-123456", "+1 202 555 0100", "0812abc", "08123", "0812345678901234"])
def test_landlines_foreign_and_malformed_numbers_are_refused(raw):
    with pytest.raises(PhoneNumberError):
        normalize_whatsapp(raw)


def test_wa_link_prepares_a_message():
    assert wa_link("+6281234567890", "Agenda Anda") == "https://wa.me/6281234567890?text=Agenda%20Anda"
