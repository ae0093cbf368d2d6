"""The organizer's request list, adding requests on a cooperative's behalf, and suggested matches."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import MeetingRequest, OrganizationKind, Registration, RequestStatus
from app.organizer.services import requests as service
from tests.factories import make_booth, make_event, make_organization, make_request


def registered(event, **overrides):
    coop = make_organization(**overrides)
    db.session.add(Registration(event=event, organization=coop))
    db.session.flush()
    return coop


def bumn(event, name, offers, label=None):
    org = make_organization(kind=OrganizationKind.STATE_ENTERPRISE, name=name, short_name=name, village_code=None)
    org.offers = offers
    return make_booth(event, organization=org, label=label)


def request_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MeetingRequest))


@pytest.fixture
def event():
    return make_event(meeting_cap=2)


def test_organizer_filters_requests_by_booth_status_priority_and_cooperative(organizer_client, event):
    bulog, pupuk = make_booth(event, label="A1"), make_booth(event, label="A3")
    wonokerto = registered(event, name="KDKMP Wonokerto", village_code="35.14.09.2019")
    gerbo = registered(event, name="KDKMP Gerbo")
    make_request(event, wonokerto, bulog, priority=3, status=RequestStatus.ACCEPTED)
    make_request(event, wonokerto, pupuk, priority=1)
    make_request(event, gerbo, bulog, priority=3)
    db.session.commit()
    base = f"/organizer/events/{event.id}/requests"

    page = organizer_client.get(base)
    assert "3 permintaan" in page.text and "Menunggu 2" in page.text and "Diterima 1" in page.text
    assert organizer_client.get(f"{base}?booth={pupuk.id}").text.count("<tr><td>KDKMP") == 1
    assert "1 permintaan" in organizer_client.get(f"{base}?booth={pupuk.id}").text
    by_status = organizer_client.get(f"{base}?status=accepted")
    assert "1 permintaan" in by_status.text and "KDKMP Wonokerto" in by_status.text
    assert "1 permintaan" in organizer_client.get(f"{base}?priority=1").text
    by_name = organizer_client.get(f"{base}?cooperative=gerbo")
    assert "1 permintaan" in by_name.text and "KDKMP Gerbo" in by_name.text
    assert "2 permintaan" in organizer_client.get(f"{base}?cooperative=35.14.09").text
    # Nonsense in the query string is ignored, not an error.
    assert organizer_client.get(f"{base}?status=hacked&priority=x&booth=y").status_code == 200


def test_the_request_list_is_paginated(organizer_client, event, monkeypatch):
    monkeypatch.setattr(service, "PAGE_SIZE", 2)
    booth = make_booth(event)
    for n in range(5):
        make_request(event, registered(event, name=f"KDKMP {n}"), booth)
    db.session.commit()
    first = organizer_client.get(f"/organizer/events/{event.id}/requests")
    assert "Halaman 1 dari 3" in first.text
    assert "<tr><td>KDKMP 0<br>" in first.text and "<tr><td>KDKMP 2<br>" not in first.text
    last = organizer_client.get(f"/organizer/events/{event.id}/requests?page=3")
    assert "<tr><td>KDKMP 4<br>" in last.text and "<tr><td>KDKMP 0<br>" not in last.text


def test_organizer_adds_a_request_on_a_cooperatives_behalf(organizer_client, event):
    booth = make_booth(event)
    coop = registered(event, name="KDKMP Wonokerto", village_code="35.14.09.2019")
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/requests",
        data={
            "new-cooperative": "35.14.09.2019 — KDKMP Wonokerto",
            "new-booth_id": booth.id,
            "new-priority": 3,
            "new-status": "accepted",
        },
        follow_redirects=True,
    )
    assert "Permintaan ditambahkan" in response.text
    request = db.session.scalar(select(MeetingRequest))
    assert (request.requester_id, request.booth_id, request.target_id) == (coop.id, booth.id, booth.organization_id)
    assert (request.priority, request.status) == (3, RequestStatus.ACCEPTED)


def test_the_meeting_cap_is_respected_with_a_clear_message(organizer_client, event):
    booths = [make_booth(event) for _ in range(3)]
    coop = registered(event, name="KDKMP Gerbo", short_name="KDKMP Gerbo")
    make_request(event, coop, booths[0])
    make_request(event, coop, booths[1])
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/requests",
        data={
            "new-cooperative": coop.village_code,
            "new-booth_id": booths[2].id,
            "new-priority": 2,
            "new-status": "pending",
        },
    )
    assert response.status_code == 400
    assert "KDKMP Gerbo sudah memiliki 2 permintaan; acara ini membatasi paling banyak 2 per koperasi." in response.text
    assert request_count() == 2


def test_a_declined_request_does_not_count_against_the_cap(event):
    booths = [make_booth(event) for _ in range(3)]
    coop = registered(event)
    make_request(event, coop, booths[0], status=RequestStatus.DECLINED)
    make_request(event, coop, booths[1])
    assert service.add_request(event, coop, booths[2]).id


@pytest.mark.parametrize(
    "cooperative, message",
    [
        ("99.99.99.9999", "Tidak ada koperasi terdaftar dengan kode desa atau nama ini."),
        ("unregistered", "Tidak ada koperasi terdaftar dengan kode desa atau nama ini."),
    ],
)
def test_only_registered_cooperatives_can_have_requests(organizer_client, event, cooperative, message):
    booth = make_booth(event)
    make_organization(name="unregistered")
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/requests",
        data={"new-cooperative": cooperative, "new-booth_id": booth.id, "new-priority": 2, "new-status": "pending"},
    )
    assert message in response.text
    assert request_count() == 0


def test_the_same_pair_cannot_be_asked_twice(app, event):
    booth = make_booth(event)
    coop = registered(event, short_name="KDKMP Gerbo")
    make_request(event, coop, booth, status=RequestStatus.WITHDRAWN)
    with app.test_request_context(), pytest.raises(service.RequestRefused, match="sudah mengajukan pertemuan"):
        service.add_request(event, coop, booth)


def test_a_booth_of_another_event_is_refused(organizer_client, event):
    other_booth = make_booth(make_event())
    coop = registered(event)
    db.session.commit()
    response = organizer_client.post(
        f"/organizer/events/{event.id}/requests",
        data={
            "new-cooperative": coop.village_code,
            "new-booth_id": other_booth.id,
            "new-priority": 2,
            "new-status": "pending",
        },
    )
    assert response.status_code == 400
    assert request_count() == 0


def test_suggest_matches_ranks_by_overlap_and_skips_existing_requests(sectors):
    event = make_event()
    bumn(event, "BULOG", [sectors["rice"], sectors["cooking_oil"]])
    pupuk = bumn(event, "Pupuk Indonesia", [sectors["fertiliser"]])
    mandiri = bumn(event, "Bank Mandiri", [sectors["financing"]])
    both = registered(event, name="KDKMP Beras Minyak")
    both.needs = [sectors["rice"], sectors["cooking_oil"], sectors["fertiliser"]]
    one = registered(event, name="KDKMP Pupuk")
    one.needs = [sectors["fertiliser"]]
    nothing = registered(event, name="KDKMP Tanpa Kebutuhan")
    make_request(event, one, pupuk)
    make_organization(name="Tidak terdaftar").needs = [sectors["rice"]]
    db.session.flush()

    found = service.suggest_matches(event)
    assert [(s.cooperative.name, s.booth.name, s.sectors) for s in found] == [
        ("KDKMP Beras Minyak", "BULOG", ["cooking_oil", "rice"]),
        ("KDKMP Beras Minyak", "Pupuk Indonesia", ["fertiliser"]),
    ]
    assert all(s.booth is not mandiri and s.cooperative is not nothing for s in found)


def test_suggestions_leave_out_cooperatives_at_the_cap(sectors):
    event = make_event(meeting_cap=1)
    bulog = bumn(event, "BULOG", [sectors["rice"]])
    pupuk = bumn(event, "Pupuk Indonesia", [sectors["fertiliser"]])
    coop = registered(event)
    coop.needs = [sectors["rice"], sectors["fertiliser"]]
    make_request(event, coop, pupuk)
    db.session.flush()
    assert service.suggest_matches(event) == []
    assert bulog


def test_organizer_creates_the_chosen_suggestions_in_one_go(organizer_client, sectors):
    event = make_event(meeting_cap=1)
    bulog = bumn(event, "BULOG", [sectors["rice"]])
    pupuk = bumn(event, "Pupuk Indonesia", [sectors["fertiliser"]])
    first, second = registered(event, name="KDKMP A"), registered(event, name="KDKMP B")
    first.needs = [sectors["rice"], sectors["fertiliser"]]
    second.needs = [sectors["rice"]]
    db.session.commit()
    page = organizer_client.get(f"/organizer/events/{event.id}/requests/suggestions")
    assert "3 saran" in page.text and "Beras" in page.text
    keys = [f"{first.id}:{bulog.id}", f"{first.id}:{pupuk.id}", f"{second.id}:{bulog.id}"]
    response = organizer_client.post(
        f"/organizer/events/{event.id}/requests/suggestions", data={"keys": keys}, follow_redirects=True
    )
    assert "2 permintaan dibuat. 1 tidak dibuat karena batas jumlah pertemuan." in response.text
    pairs = set(db.session.execute(select(MeetingRequest.requester_id, MeetingRequest.booth_id)).tuples().all())
    assert pairs == {(first.id, bulog.id), (second.id, bulog.id)}


def test_create_every_suggestion(organizer_client, sectors):
    event = make_event()
    bumn(event, "BULOG", [sectors["rice"]])
    for name in ("KDKMP A", "KDKMP B"):
        registered(event, name=name).needs = [sectors["rice"]]
    db.session.commit()
    organizer_client.post(f"/organizer/events/{event.id}/requests/suggestions", data={"create_all": "y"})
    assert request_count() == 2
