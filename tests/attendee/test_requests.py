"""A cooperative asks booths for meetings: priorities, suggestions, withdrawing, the cap and the deadline."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import MeetingRequest, RequestStatus
from tests.attendee.conftest import WIB, link_client, make_registration
from tests.factories import make_booth


@pytest.fixture
def wonokerto(client, event, sectors):
    registration = make_registration(event, name="KDKMP Wonokerto")
    registration.organization.needs = [sectors["rice"], sectors["lpg"]]
    db.session.commit()
    link_client(client, registration)
    return registration


def requests_of(registration):
    return db.session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.requester_id == registration.organization_id)
        .order_by(MeetingRequest.id)
    ).all()


def test_cooperative_asks_three_booths_with_priorities(client, wonokerto, booths):
    for booth, priority in zip(booths, ("3", "2", "1"), strict=True):
        response = client.post("/saya/permintaan", data={"booth_id": booth.id, "priority": priority})
        assert response.status_code == 302
    asked = requests_of(wonokerto)
    assert [(r.booth_id, r.priority, r.status) for r in asked] == [
        (booths[0].id, 3, RequestStatus.PENDING),
        (booths[1].id, 2, RequestStatus.PENDING),
        (booths[2].id, 1, RequestStatus.PENDING),
    ]
    page = client.get("/saya/permintaan").text
    assert "Anda mengajukan 3 dari paling banyak 5 pertemuan." in page


def test_suggestions_come_from_what_the_cooperative_needs(client, wonokerto, booths):
    page = client.get("/saya/permintaan").text
    suggested = page.split('id="suggested"')[1].split("</section>")[0]
    assert "Perum BULOG" in suggested and "PT Pertamina Patra Niaga" in suggested
    assert "Bank Mandiri" not in suggested
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "2"})
    suggested = client.get("/saya/permintaan").text.split('id="suggested"')[1].split("</section>")[0]
    assert "Perum BULOG" not in suggested


def test_asking_again_changes_the_priority_instead_of_asking_twice(client, wonokerto, booths):
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "1"})
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "3"})
    assert [(r.priority, r.status) for r in requests_of(wonokerto)] == [(3, RequestStatus.PENDING)]


def test_cooperative_withdraws_a_request_and_may_ask_again(client, wonokerto, booths):
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "2"})
    request_id = requests_of(wonokerto)[0].id
    client.post(f"/saya/permintaan/{request_id}/tarik")
    db.session.expire_all()
    assert requests_of(wonokerto)[0].status == RequestStatus.WITHDRAWN
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "2"})
    db.session.expire_all()
    assert [r.status for r in requests_of(wonokerto)] == [RequestStatus.PENDING]


def test_the_meeting_cap_holds(client, wonokerto, booths, event):
    event.meeting_cap = 2
    db.session.commit()
    for booth in booths:
        client.post("/saya/permintaan", data={"booth_id": booth.id, "priority": "2"})
    assert len(requests_of(wonokerto)) == 2
    page = client.get("/saya/permintaan").text
    assert "Anda sudah mencapai batas 2 permintaan pertemuan." in page
    # Withdrawing one makes room for another.
    client.post(f"/saya/permintaan/{requests_of(wonokerto)[0].id}/tarik")
    client.post("/saya/permintaan", data={"booth_id": booths[2].id, "priority": "2"})
    db.session.expire_all()
    live = [r for r in requests_of(wonokerto) if r.status == RequestStatus.PENDING]
    assert sorted(r.booth_id for r in live) == [booths[1].id, booths[2].id]


def test_the_registration_deadline_holds_for_requests_and_withdrawals(client, wonokerto, booths, event):
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "2"})
    event.registration_closes_at = datetime(2020, 1, 1, tzinfo=WIB)
    db.session.commit()
    client.post("/saya/permintaan", data={"booth_id": booths[1].id, "priority": "2"})
    client.post(f"/saya/permintaan/{requests_of(wonokerto)[0].id}/tarik")
    db.session.expire_all()
    assert [(r.booth_id, r.status) for r in requests_of(wonokerto)] == [(booths[0].id, RequestStatus.PENDING)]
    page = client.get("/saya/permintaan").text
    assert "Permintaan pertemuan sudah ditutup: batas waktu pendaftaran sudah lewat." in page
    assert 'action="/saya/permintaan"' not in page


def test_answering_a_booths_own_request_makes_it_mutual(client, wonokerto, booths):
    booth = booths[0]
    asked_by_booth = MeetingRequest(
        event_id=booth.event_id, requester_id=booth.organization_id, target_id=wonokerto.organization_id, booth=booth
    )
    db.session.add(asked_by_booth)
    db.session.commit()
    assert "Booth yang ingin bertemu Anda" in client.get("/saya/permintaan").text
    client.post("/saya/permintaan", data={"booth_id": booth.id, "priority": "3"})
    db.session.expire_all()
    assert requests_of(wonokerto) == []
    mutual = db.session.get(MeetingRequest, asked_by_booth.id)
    assert (mutual.mutual, mutual.status, mutual.weight) == (True, RequestStatus.ACCEPTED, 4)


def test_a_declined_request_cannot_be_forced(client, wonokerto, booths):
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "2"})
    requests_of(wonokerto)[0].status = RequestStatus.DECLINED
    db.session.commit()
    client.post("/saya/permintaan", data={"booth_id": booths[0].id, "priority": "3"})
    db.session.expire_all()
    assert requests_of(wonokerto)[0].status == RequestStatus.DECLINED


def test_a_booth_of_another_event_cannot_be_asked(client, wonokerto, sectors):
    from tests.factories import make_event

    elsewhere = make_booth(make_event())
    db.session.commit()
    assert client.post("/saya/permintaan", data={"booth_id": elsewhere.id, "priority": "2"}).status_code == 404
    assert requests_of(wonokerto) == []


@pytest.mark.parametrize(
    "data", [{"booth_id": "abc", "priority": "2"}, {"priority": "2"}, {"booth_id": "1", "priority": "9"}]
)
def test_malformed_requests_are_refused(client, wonokerto, data):
    assert client.post("/saya/permintaan", data=data).status_code == 400
