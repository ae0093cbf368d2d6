"""Booth staff keep their offer, answer and make requests, and record the day's meetings and outcomes."""

from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EventStatus, Interest, MeetingOutcome, MeetingRequest, MeetingStatus, RequestStatus, Role, User
from tests.attendee.conftest import WIB
from tests.booth.conftest import CHEAP_HASH, log_in, make_staff
from tests.factories import make_meeting, make_request


@pytest.fixture
def day(event, bulog, cooperative, staff):
    """A published timetable: Wonokerto meets BULOG at 09.00, table 2."""
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    meeting = make_meeting(make_request(event, cooperative.organization, bulog), slots[0], table=2)
    event.status = EventStatus.PUBLISHED
    db.session.commit()
    return meeting


def booth_urls(booth_id, meeting_id=1, request_id=1):
    return [
        ("get", f"/booth/{booth_id}/offer"),
        ("post", f"/booth/{booth_id}/offer"),
        ("get", f"/booth/{booth_id}/requests"),
        ("post", f"/booth/{booth_id}/requests/{request_id}/answer"),
        ("post", f"/booth/{booth_id}/requests/ask"),
        ("get", f"/booth/{booth_id}/today"),
        ("post", f"/booth/{booth_id}/meetings/{meeting_id}/status"),
        ("get", f"/booth/{booth_id}/meetings/{meeting_id}/outcome"),
        ("post", f"/booth/{booth_id}/meetings/{meeting_id}/outcome"),
    ]


@pytest.mark.parametrize("index", range(9))
@pytest.mark.parametrize("role", [None, Role.ATTENDEE, Role.MODERATOR])
def test_booth_pages_are_for_booth_staff_only(app, bulog, role, index):
    client = app.test_client()
    if role is not None:
        user = User(email=f"{role}@example.org", name="x", role=role, password_hash=CHEAP_HASH)
        db.session.add(user)
        db.session.commit()
        log_in(client, user)
    method, url = booth_urls(bulog.id)[index]
    response = getattr(client, method)(url)
    assert response.status_code == (302 if role is None else 403)


@pytest.mark.parametrize("index", range(9))
def test_staff_of_another_enterprise_cannot_open_this_booth(app, booths, day, index):
    client = app.test_client()
    pertamina_staff = make_staff(booths[1].organization, email="pertamina@example.org")
    db.session.commit()
    log_in(client, pertamina_staff)
    method, url = booth_urls(booths[0].id, meeting_id=day.id, request_id=day.request_id)[index]
    assert getattr(client, method)(url).status_code == 403


def test_staff_keep_the_booth_offer_up_to_date(client, staff, bulog):
    page = client.get(f"/booth/{bulog.id}/offer").text
    assert '<input checked id="offers-0" name="offers" type="checkbox" value="rice">' in page
    client.post(f"/booth/{bulog.id}/offer", data={"offers": ["rice", "financing"], "description": "Beras SPHP 5 kg"})
    db.session.expire_all()
    assert [s.code for s in bulog.organization.offers] == ["financing", "rice"]
    assert bulog.description == "Beras SPHP 5 kg"


def test_staff_home_goes_to_their_booth(client, staff, bulog):
    response = client.get("/booth/")
    assert response.headers["Location"].endswith(f"/booth/{bulog.id}/requests")
    assert "Booth saya" in client.get(f"/booth/{bulog.id}/requests").text


@pytest.mark.parametrize(
    ("answer", "status"), [("accept", RequestStatus.ACCEPTED), ("decline", RequestStatus.DECLINED)]
)
def test_staff_answer_a_cooperatives_request(client, staff, bulog, cooperative, answer, status):
    asked = make_request(bulog.event, cooperative.organization, bulog)
    db.session.commit()
    page = client.get(f"/booth/{bulog.id}/requests").text
    assert "KDKMP Wonokerto" in page.split('id="incoming"')[1]
    client.post(f"/booth/{bulog.id}/requests/{asked.id}/answer", data={"answer": answer})
    db.session.expire_all()
    assert db.session.get(MeetingRequest, asked.id).status == status


def test_staff_cannot_answer_requests_to_another_booth(client, staff, booths, cooperative):
    elsewhere = make_request(booths[1].event, cooperative.organization, booths[1])
    db.session.commit()
    assert (
        client.post(f"/booth/{booths[0].id}/requests/{elsewhere.id}/answer", data={"answer": "accept"}).status_code
        == 404
    )
    db.session.expire_all()
    assert db.session.get(MeetingRequest, elsewhere.id).status == RequestStatus.PENDING


def test_staff_invite_a_cooperative_that_needs_what_they_offer(client, staff, bulog, cooperative):
    db.session.commit()
    page = client.get(f"/booth/{bulog.id}/requests?q=wonokerto").text
    assert "Membutuhkan yang Anda tawarkan" in page
    client.post(
        f"/booth/{bulog.id}/requests/ask", data={"organization_id": cooperative.organization_id, "priority": "3"}
    )
    ours = db.session.scalar(select(MeetingRequest).where(MeetingRequest.requester_id == bulog.organization_id))
    assert (ours.target_id, ours.booth_id, ours.priority, ours.mutual) == (
        cooperative.organization_id,
        bulog.id,
        3,
        False,
    )


def test_inviting_a_cooperative_that_already_asked_marks_its_request_mutual(client, staff, bulog, cooperative):
    theirs = make_request(bulog.event, cooperative.organization, bulog, priority=2)
    db.session.commit()
    client.post(
        f"/booth/{bulog.id}/requests/ask", data={"organization_id": cooperative.organization_id, "priority": "2"}
    )
    db.session.expire_all()
    requests = db.session.scalars(select(MeetingRequest)).all()
    assert len(requests) == 1
    assert (requests[0].id, requests[0].mutual, requests[0].weight) == (theirs.id, True, 3)


def test_staff_cannot_invite_an_unregistered_cooperative(client, staff, bulog):
    from tests.factories import make_organization

    stranger = make_organization()
    db.session.commit()
    response = client.post(f"/booth/{bulog.id}/requests/ask", data={"organization_id": stranger.id, "priority": "2"})
    assert response.status_code == 404


def test_invitations_close_with_registration(client, staff, bulog, cooperative, event):
    event.registration_closes_at = datetime(2020, 1, 1, tzinfo=WIB)
    db.session.commit()
    client.post(
        f"/booth/{bulog.id}/requests/ask", data={"organization_id": cooperative.organization_id, "priority": "2"}
    )
    assert db.session.scalars(select(MeetingRequest)).all() == []


def test_the_day_shows_meetings_table_by_table(client, bulog, day):
    page = client.get(f"/booth/{bulog.id}/today").text
    table = page.split('id="table-2"')[1]
    assert "Meja 2" in table.split("</h3>")[0]
    assert "09.00–09.20 WIB" in table and "KDKMP Wonokerto" in table and "+6281234567890" in table


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.NO_SHOW])
def test_staff_mark_a_meeting_held_or_no_show(client, bulog, day, status):
    revision = day.revision
    client.post(f"/booth/{bulog.id}/meetings/{day.id}/status", data={"status": status.value})
    db.session.expire_all()
    assert (day.status, day.revision) == (status, revision + 1)


def test_a_cancelled_meeting_stays_cancelled(client, bulog, day):
    day.status = MeetingStatus.CANCELLED
    db.session.commit()
    client.post(f"/booth/{bulog.id}/meetings/{day.id}/status", data={"status": "held"})
    db.session.expire_all()
    assert day.status == MeetingStatus.CANCELLED


def test_staff_record_the_outcome_of_a_meeting(client, staff, bulog, day):
    response = client.post(
        f"/booth/{bulog.id}/meetings/{day.id}/outcome",
        data={
            "interest": "high",
            "follow_up": "y",
            "mou_signed": "y",
            "rice_tonnes_month": "2,5",
            "cooking_oil_litres_month": "300",
            "lpg_cylinders_month": "200",
            "fertiliser_tonnes": "1.5",
            "financing_rupiah": "Rp 50.000.000",
            "notes": "Siap jadi mitra penyalur SPHP.",
        },
    )
    assert response.status_code == 302
    outcome = db.session.scalar(select(MeetingOutcome).where(MeetingOutcome.meeting_id == day.id))
    assert outcome.interest == Interest.HIGH and outcome.follow_up and outcome.mou_signed
    assert (outcome.rice_tonnes_month, outcome.cooking_oil_litres_month, outcome.lpg_cylinders_month) == (2.5, 300, 200)
    assert (outcome.fertiliser_tonnes, outcome.financing_rupiah) == (1.5, 50_000_000)
    assert outcome.recorded_by_id == staff.id and outcome.recorded_at is not None
    db.session.refresh(day)
    assert day.status == MeetingStatus.HELD
    # Opening it again shows what was recorded, ready to correct.
    page = client.get(f"/booth/{bulog.id}/meetings/{day.id}/outcome").text
    assert 'value="50.000.000"' in page and 'value="2.5"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lpg_cylinders_month", "201", "Paling banyak 200 tabung LPG per bulan untuk setiap koperasi."),
        ("lpg_cylinders_month", "2,5", "Isi dengan bilangan bulat."),
        ("rice_tonnes_month", "dua", "Isi dengan angka, contoh: 2,5."),
        ("fertiliser_tonnes", "NaN", "Isi dengan angka, contoh: 2,5."),
        ("rice_tonnes_month", "-Infinity", "Isi dengan angka, contoh: 2,5."),
        ("cooking_oil_litres_month", "1e309", "Angka ini terlalu besar."),
        ("fertiliser_tonnes", "1e999999999", "Angka ini terlalu besar."),
        ("financing_rupiah", "lima juta", "Isi jumlah dalam Rupiah, contoh: 50.000.000."),
        ("financing_rupiah", "5²", "Isi jumlah dalam Rupiah, contoh: 50.000.000."),
        ("financing_rupiah", "9" * 5000, "Angka ini terlalu besar."),
    ],
)
def test_outcome_figures_are_checked(client, bulog, day, field, value, message):
    response = client.post(f"/booth/{bulog.id}/meetings/{day.id}/outcome", data={"interest": "low", field: value})
    assert message in response.text
    assert db.session.scalars(select(MeetingOutcome)).all() == []


def test_booth_posts_need_a_csrf_token(app, client, bulog, day):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/booth/{bulog.id}/meetings/{day.id}/status", data={"status": "held"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert day.status == MeetingStatus.SCHEDULED
