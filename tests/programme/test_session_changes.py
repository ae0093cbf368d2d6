"""An organizer builds the programme; moving or cancelling a session first shows whom it affects, then tells them."""

from datetime import time

import pytest
from sqlalchemy import select

from app.events.services import rebuild_slots
from app.extensions import db
from app.models import EventStatus, OrganizationKind, ProgrammeSession, Role, Room, SessionRole, Slot
from tests.factories import make_booth, make_event, make_meeting, make_request
from tests.programme.factories import (
    WIB,
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
def organizer(client):
    user = make_user(Role.ORGANIZER)
    log_in(client, user)
    return user


def form(session, **changes):
    values = {
        "title": session.title,
        "kind": session.kind.value,
        "room": session.room or "",
        "day": "2025-10-08",
        "starts": session.starts_at.astimezone(WIB).strftime("%H:%M"),
        "ends": session.ends_at.astimezone(WIB).strftime("%H:%M"),
        "capacity": "" if session.capacity is None else str(session.capacity),
        "description": "",
    }
    if session.for_everyone:
        values["for_everyone"] = "y"
    values.update(changes)
    return values


def edit_url(session):
    return f"/organizer/events/{session.event_id}/programme/{session.id}/edit"


def fresh(session):
    db.session.expire_all()
    return db.session.get(ProgrammeSession, session.id)


def published_panel_with_a_clash():
    """A published event: BULOG's representative is a panelist at 10.00; BULOG has a meeting at 11.00."""
    event = make_event(status=EventStatus.PUBLISHED)
    slots = {s.starts_at.astimezone(WIB).time(): s for s in rebuild_slots(event)}
    bulog = make_cooperative(
        kind=OrganizationKind.STATE_ENTERPRISE, name="Perum BULOG", short_name="BULOG", village_code=None
    )
    booth = make_booth(event, organization=bulog)
    panel = make_session(event, title="Skema kemitraan", capacity=2)
    add_person(panel, SessionRole.PANELIST, name="Perwakilan BULOG", organization_id=booth.organization_id)
    seated = make_registration(event)
    join(panel, seated)
    guest = make_cooperative(short_name="KDKMP Wonokerto")
    make_meeting(make_request(event, guest, booth), slots[time(11)], 1)
    db.session.commit()
    return event, panel, seated, guest, bulog


def test_organizer_adds_a_session_in_local_time(client, organizer):
    event = make_event()
    db.session.commit()
    response = client.post(
        f"/organizer/events/{event.id}/programme/new",
        data={
            "title": "Kisah sukses KDKMP Wonokerto",
            "kind": "talk",
            "room": "Pendopo",
            "day": "2025-10-08",
            "starts": "08:45",
            "ends": "09:15",
            "capacity": "",
        },
    )
    assert response.status_code == 302
    session = db.session.scalar(select(ProgrammeSession).where(ProgrammeSession.event_id == event.id))
    assert (session.starts_at, session.ends_at, session.capacity) == (at(8, 45), at(9, 15), None)
    page = client.get(f"/organizer/events/{event.id}/programme").get_data(as_text=True)
    assert "Kisah sukses KDKMP Wonokerto" in page
    assert "08.45–09.15 WIB" in page


def test_moving_a_session_shows_whom_it_affects_and_saves_nothing_yet(client, organizer, mailbox):
    event, panel, seated, guest, bulog = published_panel_with_a_clash()

    response = client.post(edit_url(panel), data=form(panel, starts="11:00", ends="12:00"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Siapa yang terdampak" in page
    assert "Perwakilan BULOG" in page
    assert seated.organization.display_name in page
    assert "KDKMP Wonokerto" in page  # its meeting with BULOG at 11.00 now clashes
    assert "Simpan dan beri tahu" in page
    assert fresh(panel).starts_at == at(10)
    assert fresh(panel).revision == 0
    assert mailbox == []


def test_confirmed_move_raises_the_revision_and_emails_everyone_affected(client, organizer, mailbox):
    event, panel, seated, guest, bulog = published_panel_with_a_clash()
    before = panel.updated_at
    preview = client.post(edit_url(panel), data=form(panel, starts="11:00", ends="12:00"))
    token = preview.get_data(as_text=True).split('name="confirmed_change" type="hidden" value="')[1].split('"')[0]

    response = client.post(edit_url(panel), data=form(panel, starts="11:00", ends="12:00", confirmed_change=token))

    assert response.status_code == 302
    moved = fresh(panel)
    assert (moved.starts_at, moved.revision) == (at(11), 1)
    assert moved.updated_at > before
    recipients = sorted(m["To"] for m in mailbox)
    assert recipients == sorted(
        [seated.organization.representatives[0].email, guest.representatives[0].email, bulog.representatives[0].email]
    )
    to_guest = next(m for m in mailbox if m["To"] == guest.representatives[0].email)
    assert to_guest["Subject"] == "Perubahan sesi: Skema kemitraan"
    assert "Jadwal baru: Rabu, 8 Oktober 2025, pukul 11.00 sampai 12.00 WIB" in to_guest.get_content()
    assert "Pertemuan Anda dengan BULOG pukul 11.00 WIB" in to_guest.get_content()


def test_a_confirmation_for_another_time_is_not_taken_for_this_one(client, organizer, mailbox):
    event, panel, *_ = published_panel_with_a_clash()
    preview = client.post(edit_url(panel), data=form(panel, starts="11:00", ends="12:00"))
    token = preview.get_data(as_text=True).split('name="confirmed_change" type="hidden" value="')[1].split('"')[0]

    response = client.post(edit_url(panel), data=form(panel, starts="09:00", ends="10:00", confirmed_change=token))

    assert response.status_code == 200
    assert "Siapa yang terdampak" in response.get_data(as_text=True)
    assert fresh(panel).starts_at == at(10)


def test_changing_only_the_title_keeps_the_revision_and_sends_nothing(client, organizer, mailbox):
    event, panel, *_ = published_panel_with_a_clash()
    response = client.post(edit_url(panel), data=form(panel, title="Skema kemitraan KDKMP dan BUMN"))
    assert response.status_code == 302
    assert (fresh(panel).title, fresh(panel).revision) == ("Skema kemitraan KDKMP dan BUMN", 0)
    assert mailbox == []


def test_cancelling_shows_the_affected_then_cancels_and_notifies(client, organizer, mailbox):
    event, panel, seated, guest, bulog = published_panel_with_a_clash()
    url = f"/organizer/events/{event.id}/programme/{panel.id}/cancel"

    page = client.get(url).get_data(as_text=True)
    assert "Perwakilan BULOG" in page and seated.organization.display_name in page
    assert "KDKMP Wonokerto" not in page  # a cancelled session clashes with nothing

    assert client.post(url).status_code == 302
    cancelled = fresh(panel)
    assert (cancelled.cancelled, cancelled.revision) == (True, 1)
    assert guest.representatives[0].email not in [m["To"] for m in mailbox]
    assert all(m["Subject"] == "Sesi dibatalkan: Skema kemitraan" for m in mailbox)
    assert seated.organization.representatives[0].email in [m["To"] for m in mailbox]

    client.post(f"/organizer/events/{event.id}/programme/{panel.id}/reinstate")
    assert (fresh(panel).cancelled, fresh(panel).revision) == (False, 2)


def test_changes_of_a_draft_event_send_no_email(client, organizer, mailbox):
    event = make_event(status=EventStatus.DRAFT)
    panel = make_session(event)
    add_person(panel, SessionRole.SPEAKER, email="narasumber@example.org")
    db.session.commit()
    client.post(f"/organizer/events/{event.id}/programme/{panel.id}/cancel")
    assert fresh(panel).cancelled
    assert mailbox == []


def test_a_session_for_everyone_frees_its_time_of_meeting_slots(client, organizer):
    event = make_event()
    rebuild_slots(event)
    db.session.commit()
    response = client.post(
        f"/organizer/events/{event.id}/programme/new",
        data={
            "title": "Pembukaan oleh Bupati",
            "kind": "opening",
            "day": "2025-10-08",
            "starts": "09:00",
            "ends": "09:40",
            "for_everyone": "y",
        },
    )
    assert response.status_code == 302
    starts = [s.starts_at for s in db.session.scalars(select(Slot).where(Slot.event_id == event.id))]
    assert at(9) not in starts and at(9, 20) not in starts
    assert at(9, 40) in starts


def test_a_session_for_everyone_over_scheduled_meetings_is_refused_and_nothing_changes(client, organizer):
    event = make_event()
    slots = {s.starts_at: s for s in rebuild_slots(event)}
    booth = make_booth(event)
    make_meeting(make_request(event, make_cooperative(), booth), slots[at(9, 20)], 1)
    db.session.commit()
    response = client.post(
        f"/organizer/events/{event.id}/programme/new",
        data={
            "title": "Pembukaan",
            "kind": "opening",
            "day": "2025-10-08",
            "starts": "09:00",
            "ends": "09:40",
            "for_everyone": "y",
        },
    )
    page = response.get_data(as_text=True)
    assert "Sudah ada pertemuan terjadwal pukul 09.20 WIB" in page
    assert db.session.scalars(select(ProgrammeSession)).all() == []
    assert len(db.session.scalars(select(Slot).where(Slot.event_id == event.id)).all()) == len(slots)


def test_two_sessions_cannot_share_a_room_at_the_same_time(client, organizer):
    event = make_event()
    make_session(event, title="Diskusi pupuk", room="Ruang Bromo")
    db.session.commit()
    response = client.post(
        f"/organizer/events/{event.id}/programme/new",
        data={
            "title": "Diskusi LPG",
            "kind": "panel",
            "room": "ruang bromo",
            "day": "2025-10-08",
            "starts": "10:30",
            "ends": "11:30",
        },
    )
    assert "Ruang Bromo sudah dipakai untuk “Diskusi pupuk” pukul 10.00 sampai 11.00 WIB." in response.get_data(
        as_text=True
    )


def test_a_session_that_ends_before_it_starts_gets_a_clear_error(client, organizer):
    event = make_event()
    db.session.commit()
    response = client.post(
        f"/organizer/events/{event.id}/programme/new",
        data={"title": "Penutupan", "kind": "closing", "day": "2025-10-08", "starts": "15:00", "ends": "14:00"},
    )
    assert "Sesi harus selesai setelah waktu mulainya." in response.get_data(as_text=True)


def test_organizer_puts_a_panelist_with_a_whatsapp_number_on_stage(client, organizer):
    event = make_event()
    booth = make_booth(event)
    panel = make_session(event)
    moderator = make_user(Role.MODERATOR)
    db.session.commit()
    url = f"/organizer/events/{event.id}/programme/{panel.id}/people"
    client.post(
        url,
        data={
            "person-role": "moderator",
            "person-name": "Dra. Endah",
            "person-user_id": moderator.id,
            "person-organization_id": "0",
        },
    )
    response = client.post(
        url,
        data={
            "person-role": "panelist",
            "person-name": "Perwakilan BUMN",
            "person-organization_id": booth.organization_id,
            "person-user_id": "0",
            "person-whatsapp": "0812-3456-7890",
        },
    )
    assert response.status_code == 302
    people = fresh(panel).people
    assert [(p.role, p.user_id) for p in people] == [
        (SessionRole.MODERATOR, moderator.id),
        (SessionRole.PANELIST, None),
    ]
    assert people[1].whatsapp == "+6281234567890"

    bad = client.post(
        url,
        data={
            "person-role": "speaker",
            "person-name": "X",
            "person-whatsapp": "12345",
            "person-organization_id": "0",
            "person-user_id": "0",
        },
    )
    assert "Masukkan nomor HP, misalnya 0812 3456 7890." in bad.get_data(as_text=True)
    assert len(fresh(panel).people) == 2


def test_a_session_with_sign_ups_cannot_be_deleted_only_cancelled(client, organizer):
    event = make_event()
    panel = make_session(event)
    join(panel, make_registration(event))
    db.session.commit()
    client.post(f"/organizer/events/{event.id}/programme/{panel.id}/delete")
    assert fresh(panel) is not None
    empty = make_session(event, room="Ruang Semeru")
    empty_id = empty.id
    db.session.commit()
    client.post(f"/organizer/events/{event.id}/programme/{empty_id}/delete")
    assert db.session.get(ProgrammeSession, empty_id) is None


def test_the_session_form_suggests_the_rooms_of_the_venue(client, organizer):
    event = make_event()
    db.session.add(Room(event=event, name="Aula Utama", capacity=300))
    db.session.commit()
    page = client.get(f"/organizer/events/{event.id}/programme/new").get_data(as_text=True)
    assert '<option value="Aula Utama">' in page
