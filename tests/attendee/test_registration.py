"""A village cooperative registers for an event without an account and gets its personal link."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mail import outbox
from app.models import AccessLink, EventStatus, Organization, Registration, utcnow
from tests.attendee.conftest import WIB, WONOKERTO
from tests.factories import make_event


def form_data(**overrides):
    data = {
        "village_code": WONOKERTO,
        "name": "Koperasi Desa Merah Putih Wonokerto",
        "representatives-0-name": "Siti Rahayu",
        "representatives-0-position": "Ketua",
        "representatives-0-whatsapp": "0812-3456-7890",
        "representatives-0-email": "siti@example.org",
        "representatives-1-name": "Budi Santoso",
        "representatives-1-whatsapp": "+62 813 1111 2222",
        "needs": ["rice", "lpg"],
        "offers": ["financing"],
        "available_from": "",
        "topics": "Bagaimana koperasi menjadi pangkalan LPG?",
    }
    data.update(overrides)
    return data


def arrive_at(event, hour, minute=0):
    at = datetime(2025, 10, 8, hour, minute, tzinfo=WIB)
    return next(s.starts_at for s in event.slots if s.starts_at == at).isoformat()


def test_cooperative_chooses_its_village_step_by_step_without_javascript(client, event):
    db.session.commit()
    page = client.get(f"/e/{event.slug}/daftar").text
    assert "Jawa Timur" in page and "Papua" in page
    page = client.get(f"/e/{event.slug}/daftar?prov=35").text
    assert "Kabupaten Pasuruan" in page
    page = client.get(f"/e/{event.slug}/daftar?prov=35&kab=35.14&kec=35.14.09").text
    assert ">Wonokerto</option>" in page
    page = client.get(f"/e/{event.slug}/daftar?prov=35&kab=35.14&kec=35.14.09&desa={WONOKERTO}").text
    assert 'value="Koperasi Desa Merah Putih Wonokerto"' in page
    assert "Kecamatan Sukorejo" in page


def test_a_district_from_another_regency_is_ignored(client, event):
    db.session.commit()
    page = client.get(f"/e/{event.slug}/daftar?prov=35&kab=35.14&kec=11.01.01").text
    assert "Keude Bakongan" not in page


@pytest.mark.parametrize(
    ("code", "expected"), [("35", "Kabupaten Pasuruan"), ("35.14", "Sukorejo"), ("35.14.09", "Wonokerto")]
)
def test_village_chooser_lists_come_as_small_json(client, code, expected):
    response = client.get(f"/areas/{code}.json")
    assert response.status_code == 200
    assert expected in [row["name"] for row in response.json]
    assert response.cache_control.max_age == 86400


@pytest.mark.parametrize("code", ["99", "35.99", "x", "35.14.09.2019"])
def test_unknown_area_codes_are_not_found(client, code):
    assert client.get(f"/areas/{code}.json").status_code == 404


def test_cooperative_registers_and_receives_its_personal_link(client, event):
    event_id = event.id
    event.slots  # noqa: B018  (load the grid)
    data = form_data(available_from=arrive_at(event, 10))
    db.session.commit()
    response = client.post(f"/e/{event.slug}/daftar", data=data)
    assert response.status_code == 200
    registration = db.session.scalar(select(Registration).where(Registration.event_id == event_id))
    organization = registration.organization
    assert organization.village_code == WONOKERTO
    assert organization.address.startswith("Desa Wonokerto, Kecamatan Sukorejo, Kabupaten Pasuruan")
    assert [r.whatsapp for r in organization.representatives] == ["+6281234567890", "+6281311112222"]
    assert [s.code for s in organization.needs] == ["lpg", "rice"]
    assert [s.code for s in organization.offers] == ["financing"]
    assert registration.available_from == datetime(2025, 10, 8, 10, tzinfo=WIB)
    assert registration.available_until is None
    assert registration.topics == "Bagaimana koperasi menjadi pangkalan LPG?"
    # The link is shown once, sent by email, shareable to WhatsApp, and only its hash is stored.
    link = db.session.scalar(select(AccessLink).where(AccessLink.registration_id == registration.id))
    token = response.text.split("/a/")[1].split('"')[0]
    assert len(token) >= 40
    assert link.token_hash != token and token not in link.token_hash
    message = outbox().messages[-1]
    assert message["To"] == "siti@example.org"
    assert f"/a/{token}" in message.get_content()
    assert "https://wa.me/?text=" in response.text
    # The browser that registered is signed in to the cooperative's pages.
    assert "Koperasi Desa Merah Putih Wonokerto" in client.get("/saya").text


def test_registration_errors_are_shown_in_indonesian_and_nothing_is_saved(client, event):
    db.session.commit()
    data = form_data(**{"representatives-0-whatsapp": "12345", "representatives-0-email": "bukan-email"})
    response = client.post(f"/e/{event.slug}/daftar", data=data)
    assert "Ini bukan nomor HP Indonesia" in response.text
    assert "Alamat email tidak valid." in response.text
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert (
        db.session.scalar(select(func.count()).select_from(Organization).where(Organization.village_code == WONOKERTO))
        == 0
    )


def test_leaving_before_arriving_is_refused(client, event):
    data = form_data(available_from=arrive_at(event, 11), available_until=arrive_at(event, 10))
    db.session.commit()
    response = client.post(f"/e/{event.slug}/daftar", data=data)
    assert "Waktu pulang harus sesudah waktu datang." in response.text


def test_a_registration_needs_a_representative_with_an_email(client, event):
    db.session.commit()
    data = form_data(**{"representatives-0-email": ""})
    data.pop("representatives-1-name")
    data.pop("representatives-1-whatsapp")
    response = client.post(f"/e/{event.slug}/daftar", data=data)
    assert "tautan pribadi dikirim ke sana" in response.text
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_same_village_cannot_register_twice_for_an_event(client, event):
    db.session.commit()
    assert "/a/" in client.post(f"/e/{event.slug}/daftar", data=form_data()).text
    second = client.post(f"/e/{event.slug}/daftar", data=form_data(name="Koperasi Wonokerto Baru"))
    assert "sudah terdaftar" in second.text
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    assert db.session.scalar(select(Organization.name).where(Organization.village_code == WONOKERTO)) == (
        "Koperasi Desa Merah Putih Wonokerto"
    )
    page = client.get(f"/e/{event.slug}/daftar?prov=35&kab=35.14&kec=35.14.09&desa={WONOKERTO}").text
    assert "sudah terdaftar" in page


def test_the_village_cooperative_is_reused_at_the_next_event(client, event):
    later = make_event(slug="temu-bisnis-2026", registration_closes_at=utcnow() + timedelta(days=30))
    db.session.commit()
    client.post(f"/e/{event.slug}/daftar", data=form_data())
    client.post(
        f"/e/{later.slug}/daftar",
        data=form_data(**{"representatives-2-name": "Eko", "representatives-2-whatsapp": "081399998888"}),
    )
    organizations = db.session.scalars(select(Organization).where(Organization.village_code == WONOKERTO)).all()
    assert len(organizations) == 1
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2
    assert len(organizations[0].representatives) == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"registration_closes_at": datetime(2020, 1, 1, tzinfo=WIB)}, "Pendaftaran sudah ditutup."),
        ({"registration_opens_at": datetime(2099, 1, 1, tzinfo=WIB)}, "Pendaftaran belum dibuka."),
        ({"status": EventStatus.REGISTRATION_CLOSED}, "Pendaftaran sudah ditutup."),
    ],
)
def test_registration_respects_the_open_and_close_dates(client, sectors, overrides, message):
    event = make_event(**overrides)
    db.session.commit()
    assert message in client.get(f"/e/{event.slug}/daftar").text
    client.post(f"/e/{event.slug}/daftar", data=form_data())
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_draft_event_has_no_registration_page(client):
    event = make_event(status=EventStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/e/{event.slug}/daftar").status_code == 404


def test_the_event_page_links_to_the_registration(client, event):
    db.session.commit()
    assert f"/e/{event.slug}/daftar" in client.get(f"/e/{event.slug}").text
