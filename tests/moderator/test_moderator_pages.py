"""A panel moderator sees their sessions, the people on stage, the signed-up cooperatives, and checks them in."""

from datetime import time

import pytest

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import OrganizationKind, Registration, Representative, Role, SessionRole, SessionSignup
from app.moderator.services import day_programme
from tests.factories import make_booth, make_event, make_meeting, make_request
from tests.programme.factories import (
    add_person,
    at,
    join,
    log_in,
    make_cooperative,
    make_registration,
    make_session,
    make_user,
)


@pytest.fixture
def panel_day():
    """A panel moderated by Endah, with a BULOG panelist, two seated cooperatives and one on the waiting list."""
    event = make_event()
    slots = {s.starts_at.astimezone(at(0).tzinfo).time(): s for s in rebuild_slots(event)}
    endah = make_user(Role.MODERATOR, email="endah@example.org")
    other_moderator = make_user(Role.MODERATOR, email="budi@example.org")
    bulog = make_cooperative(kind=OrganizationKind.STATE_ENTERPRISE, short_name="BULOG", village_code=None)
    booth = make_booth(event, organization=bulog)
    panel = make_session(event, title="Skema kemitraan KDKMP dan BUMN", capacity=2)
    add_person(panel, SessionRole.MODERATOR, name="Dra. Endah Kusumawati", user_id=endah.id)
    add_person(panel, SessionRole.PANELIST, name="Perwakilan Perum BULOG", organization_id=bulog.id)
    other = make_session(event, title="Lokakarya pembukuan koperasi", room="Ruang Semeru")
    add_person(other, SessionRole.MODERATOR, name="Budi", user_id=other_moderator.id)
    wonokerto = make_registration(
        event,
        make_cooperative(short_name="KDKMP Wonokerto"),
        topics="Bagaimana koperasi bisa menjadi penyalur LPG 3 kg?",
    )
    seated = [join(panel, wonokerto, question="Berapa modal awal untuk menjadi mitra BULOG?")]
    seated.append(join(panel, make_registration(event, make_cooperative(short_name="KDKMP Sumberejo"))))
    waiting = join(panel, make_registration(event, make_cooperative(short_name="KDKMP Kalirejo")))
    # Wonokerto's private business: a meeting with BULOG, which the moderator must not see.
    make_meeting(make_request(event, wonokerto.organization, booth), slots[time(9)], 1)
    db.session.commit()
    return event, panel, other, endah, seated, waiting, wonokerto


def test_moderator_lists_only_the_sessions_they_moderate(client, panel_day):
    event, panel, other, endah, *_ = panel_day
    log_in(client, endah)
    page = client.get("/moderator/").get_data(as_text=True)
    assert "Skema kemitraan KDKMP dan BUMN" in page
    assert "10.00–11.00 WIB" in page and "Ruang Bromo" in page
    assert "Anda: moderator" in page
    assert "Lokakarya pembukuan koperasi" not in page


def test_moderator_sees_stage_contacts_cooperatives_and_questions_but_nothing_more(client, panel_day):
    event, panel, other, endah, seated, waiting, wonokerto = panel_day
    bulog = panel.people[1].organization
    bulog.representatives.append(
        Representative(name="Agus Setiawan", whatsapp="+6281199990000", email="agus@bulog.example.org")
    )
    db.session.commit()
    log_in(client, endah)

    page = client.get(f"/moderator/sessions/{panel.id}").get_data(as_text=True)

    # People on stage with their organization's contacts.
    assert "Perwakilan Perum BULOG" in page and "Agus Setiawan" in page
    assert "https://wa.me/6281199990000" in page and "agus@bulog.example.org" in page
    # Signed-up cooperatives: name, representative, WhatsApp; the waiting list in order.
    representative = wonokerto.organization.representatives[0]
    assert "KDKMP Wonokerto" in page and representative.name in page and representative.whatsapp in page
    assert "KDKMP Kalirejo" in page
    # The questions collected at sign-up and at registration.
    assert "Berapa modal awal untuk menjadi mitra BULOG?" in page
    assert "Bagaimana koperasi bisa menjadi penyalur LPG 3 kg?" in page
    # Not the cooperative's email, its meetings or its requests.
    assert representative.email not in page
    assert "09.00" not in page
    assert "35.14" not in page  # nor its village code


@pytest.mark.parametrize(
    "path",
    [
        "/moderator/sessions/{other}",
        "/moderator/sessions/{other}/run-sheet",
    ],
)
def test_moderator_gets_not_found_for_a_session_they_do_not_moderate(client, panel_day, path):
    event, panel, other, endah, *_ = panel_day
    log_in(client, endah)
    assert client.get(path.format(other=other.id)).status_code == 404


def test_moderator_cannot_check_in_at_a_session_they_do_not_moderate(client, panel_day):
    event, panel, other, endah, seated, *_ = panel_day
    stranger_signup = join(other, make_registration(event))
    db.session.commit()
    log_in(client, endah)
    assert client.post(f"/moderator/sessions/{other.id}/signups/{stranger_signup.id}/check-in").status_code == 404
    # Nor a sign-up of another session through their own session's address.
    assert client.post(f"/moderator/sessions/{panel.id}/signups/{stranger_signup.id}/check-in").status_code == 404
    db.session.expire_all()
    assert db.session.get(SessionSignup, stranger_signup.id).checked_in_at is None


def test_moderator_checks_in_a_cooperative_and_undoes_a_mistake(client, panel_day):
    event, panel, other, endah, seated, *_ = panel_day
    log_in(client, endah)
    url = f"/moderator/sessions/{panel.id}/signups/{seated[0].id}"

    response = client.post(url + "/check-in", follow_redirects=True)
    assert "KDKMP Wonokerto tercatat hadir." in response.get_data(as_text=True)
    assert "1 dari 2 sudah hadir" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SessionSignup, seated[0].id).checked_in_at is not None

    client.post(url + "/undo-check-in")
    db.session.expire_all()
    assert db.session.get(SessionSignup, seated[0].id).checked_in_at is None


def test_a_cooperative_on_the_waiting_list_cannot_be_checked_in(client, panel_day):
    event, panel, other, endah, seated, waiting, _ = panel_day
    log_in(client, endah)
    response = client.post(f"/moderator/sessions/{panel.id}/signups/{waiting.id}/check-in", follow_redirects=True)
    assert "Hanya peserta yang sudah mendapat kursi" in response.get_data(as_text=True)


def test_run_sheet_prints_the_timeline_people_and_questions(client, panel_day):
    event, panel, other, endah, *_ = panel_day
    log_in(client, endah)
    page = client.get(f"/moderator/sessions/{panel.id}/run-sheet").get_data(as_text=True)
    assert "Urutan acara" in page and "10.00 WIB" in page and "11.00 WIB" in page
    assert "Perwakilan Perum BULOG" in page
    assert "Berapa modal awal untuk menjadi mitra BULOG?" in page
    assert "css/programme.css" in page


def test_organizer_sees_every_session_and_its_attendees(client, panel_day):
    event, panel, other, *_ = panel_day
    log_in(client, make_user(Role.ORGANIZER))
    page = client.get("/moderator/").get_data(as_text=True)
    assert "Skema kemitraan KDKMP dan BUMN" in page and "Lokakarya pembukuan koperasi" in page
    assert client.get(f"/moderator/sessions/{other.id}").status_code == 200


def test_day_list_filters_by_room_and_time(client, panel_day):
    event, panel, other, endah, *_ = panel_day
    log_in(client, endah)
    base = f"/moderator/events/{event.id}/sessions"
    everything = client.get(base).get_data(as_text=True)
    assert "Skema kemitraan KDKMP dan BUMN" in everything and "Lokakarya pembukuan koperasi" in everything
    semeru = client.get(base + "?room=Ruang+Semeru").get_data(as_text=True)
    assert "Lokakarya pembukuan koperasi" in semeru and "Skema kemitraan KDKMP dan BUMN" not in semeru
    late = client.get(base + "?after=11:00").get_data(as_text=True)
    assert "Tidak ada sesi yang sesuai." in late


def test_day_list_marks_what_is_on_now_and_next_in_each_room(panel_day):
    event, panel, other, *_ = panel_day
    later = make_session(event, title="Diskusi pupuk", starts_at=at(11, 15), ends_at=at(12))
    db.session.flush()

    during = day_programme(event, now=at(10, 30))
    assert during.now_ids == {panel.id, other.id}
    assert during.next_ids == {later.id}

    before = day_programme(event, now=at(9))
    assert before.now_ids == set()
    assert before.next_ids == {panel.id, other.id}


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), (Role.ATTENDEE, 403), (Role.BOOTH_STAFF, 403), (Role.MODERATOR, 200), (Role.ORGANIZER, 200)],
)
@pytest.mark.parametrize("page", ["/moderator/", "/moderator/events/{event}/sessions"])
def test_only_moderators_and_organizers_open_the_moderator_pages(client, panel_day, role, expected, page):
    event, *_ = panel_day
    if role is not None:
        log_in(client, make_user(role))
    assert client.get(page.format(event=event.id)).status_code == expected


def test_check_in_without_a_csrf_token_is_refused(app, client, panel_day):
    event, panel, other, endah, seated, *_ = panel_day
    log_in(client, endah)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/moderator/sessions/{panel.id}/signups/{seated[0].id}/check-in")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(SessionSignup, seated[0].id).checked_in_at is None


def test_topics_of_everyone_registered_reach_the_moderator_of_a_plenary(client, panel_day):
    event, panel, other, endah, *_ = panel_day
    plenary = make_session(event, title="Sidang pleno", room="Pendopo", for_everyone=True, capacity=None)
    add_person(plenary, SessionRole.MODERATOR, name="Endah", user_id=endah.id)
    db.session.commit()
    log_in(client, endah)
    page = client.get(f"/moderator/sessions/{plenary.id}").get_data(as_text=True)
    assert "Bagaimana koperasi bisa menjadi penyalur LPG 3 kg?" in page
    assert db.session.query(Registration).count() == 3
