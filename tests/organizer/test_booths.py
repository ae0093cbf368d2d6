"""Booths: the organizer picks or creates the organization, sets tables, days and the sectors it offers."""

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Booth, Organization, OrganizationKind, Sector
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request, make_slot

FORM = {"organization_id": 0, "label": "A1", "hall": "Auditorium", "table_count": 12}


def test_organizer_adds_a_booth_for_a_new_organization_with_days_and_sectors(organizer_client, sectors):
    event = make_event(day=date(2025, 10, 8))
    from datetime import time

    from app.models import EventDay

    event.days.append(EventDay(date=date(2025, 10, 9), meetings_start=time(9), meetings_end=time(12)))
    db.session.commit()
    second_day = event.days[1]
    response = organizer_client.post(
        f"/organizer/events/{event.id}/booths/new",
        data={
            **FORM,
            "new_organization_name": "Perum BULOG",
            "new_organization_short_name": "BULOG",
            "day_ids": [second_day.id],
            "sector_codes": ["rice", "cooking_oil"],
        },
        follow_redirects=True,
    )
    assert "Booth disimpan." in response.text and "Perum BULOG" in response.text
    booth = db.session.scalar(select(Booth))
    assert (booth.label, booth.hall, booth.table_count) == ("A1", "Auditorium", 12)
    assert booth.organization.kind == OrganizationKind.STATE_ENTERPRISE
    assert [d.date for d in booth.days] == [date(2025, 10, 9)]
    assert [s.code for s in booth.organization.offers] == ["cooking_oil", "rice"]


def test_a_booth_without_ticked_days_is_present_every_day(organizer_client):
    event = make_event()
    pupuk = make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name="Pupuk Indonesia", village_code=None)
    db.session.commit()
    organizer_client.post(f"/organizer/events/{event.id}/booths/new", data={**FORM, "organization_id": pupuk.id})
    assert db.session.scalar(select(Booth)).days == event.days


def test_one_booth_per_organization_per_event(organizer_client):
    event = make_event()
    booth = make_booth(event)
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/booths/new", data={**FORM, "organization_id": booth.organization_id}
    )
    assert "sudah memiliki booth di acara ini" in response.text
    assert db.session.scalar(select(func.count()).select_from(Booth)) == 1


def test_a_cooperative_cannot_hold_a_booth(organizer_client):
    event = make_event()
    coop = make_organization()
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/booths/new", data={**FORM, "organization_id": coop.id}
    )
    assert response.status_code == 200
    assert db.session.scalar(select(Booth)) is None


def test_the_booth_form_needs_an_organization(organizer_client):
    event = make_event()
    db.session.commit()
    response = organizer_client.post(f"/organizer/events/{event.id}/booths/new", data=FORM)
    assert "Pilih organisasi atau isi nama organisasi baru." in response.text


def test_a_booth_with_requests_cannot_be_removed(organizer_client):
    event = make_event()
    booth = make_booth(event)
    make_request(event, make_organization(), booth)
    db.session.commit()
    response = organizer_client.post(f"/organizer/events/{event.id}/booths/{booth.id}/delete", follow_redirects=True)
    assert "Booth ini memiliki permintaan pertemuan." in response.text
    assert db.session.get(Booth, booth.id) is not None


def test_an_empty_booth_is_removed(organizer_client):
    event = make_event()
    booth = make_booth(event)
    db.session.commit()
    organizer_client.post(f"/organizer/events/{event.id}/booths/{booth.id}/delete")
    assert db.session.scalar(select(Booth)) is None


def test_tables_holding_meetings_cannot_be_taken_away(organizer_client):
    from datetime import UTC, datetime

    event = make_event()
    booth = make_booth(event, table_count=3)
    make_meeting(
        make_request(event, make_organization(), booth), make_slot(event, datetime(2025, 10, 8, 2, tzinfo=UTC)), 3
    )
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/booths/{booth.id}/edit",
        data={**FORM, "organization_id": booth.organization_id, "table_count": 2},
    )
    assert "Meja 3 booth ini sudah berisi pertemuan" in response.text
    db.session.refresh(booth)
    assert booth.table_count == 3


def test_organizer_edits_a_booth(organizer_client, sectors):
    event = make_event()
    booth = make_booth(event, label="A1")
    db.session.commit()
    page = organizer_client.get(f"/organizer/events/{event.id}/booths/{booth.id}/edit")
    assert 'value="A1"' in page.text
    organizer_client.post(
        f"/organizer/events/{event.id}/booths/{booth.id}/edit",
        data={**FORM, "organization_id": booth.organization_id, "label": "B2", "sector_codes": ["lpg"]},
    )
    db.session.refresh(booth)
    assert booth.label == "B2" and [s.code for s in booth.organization.offers] == ["lpg"]


def test_organizer_adds_sectors_and_the_standard_list(organizer_client):
    response = organizer_client.post(
        "/organizer/sectors", data={"code": "garam", "name_id": "Garam", "name_en": "Salt"}, follow_redirects=True
    )
    assert "Sektor ditambahkan." in response.text
    organizer_client.post("/organizer/sectors/standard")
    codes = set(db.session.scalars(select(Sector.code)))
    assert {"garam", "rice", "lpg", "fertiliser", "financing"} <= codes
    duplicate = organizer_client.post(
        "/organizer/sectors", data={"code": "rice", "name_id": "Beras", "name_en": "Rice"}
    )
    assert "Kode sektor rice sudah dipakai." in duplicate.text


def test_an_existing_organization_of_the_same_name_is_reused(organizer_client):
    event = make_event()
    make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name="Bank Mandiri", village_code=None)
    db.session.commit()
    organizer_client.post(
        f"/organizer/events/{event.id}/booths/new", data={**FORM, "new_organization_name": "bank mandiri"}
    )
    assert db.session.scalar(select(func.count()).select_from(Organization)) == 1


def test_a_table_count_of_hundreds_of_digits_is_refused_in_indonesian_not_a_server_error(organizer_client):
    event = make_event()
    pupuk = make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name="Pupuk Indonesia", village_code=None)
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/booths/new",
        data={**FORM, "organization_id": pupuk.id, "table_count": "9" * 400},
    )
    assert response.status_code == 200 and "Angka ini terlalu besar." in response.text
    assert db.session.scalar(select(func.count()).select_from(Booth)) == 0
