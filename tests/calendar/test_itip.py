"""Invitations by email when a timetable is published: REQUEST for new and moved meetings, CANCEL for cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.calendar.itip import changed_meetings, on_timetable_published
from app.extensions import db
from app.mail import outbox
from app.timetable.signals import timetable_published
from tests.calendar.factories import NOW, cancel, make_published_day, make_user, move, wib
from tests.calendar.parsers import assert_accepted_everywhere, parse_with_icalendar


@dataclass(frozen=True)
class Change:
    """The shape of one change in the timetable engineer's TimetableDiff."""

    request_id: int
    meeting_id: int | None


@dataclass(frozen=True)
class Diff:
    """The shape of app.timetable.publish.TimetableDiff: new, moved and cancelled changes."""

    new: tuple[Change, ...] = ()
    moved: tuple[Change, ...] = ()
    cancelled: tuple[Change, ...] = ()


@pytest.fixture(autouse=True)
def empty_outbox():
    outbox().messages.clear()
    yield
    outbox().messages.clear()


def change(meeting) -> Change:
    return Change(meeting.request_id, meeting.id)


def invitations():
    """Return (recipients, subject, method, calendar) of every message in the outbox."""
    found = []
    for message in outbox().messages:
        parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1
        part = parts[0]
        found.append((message["To"], message["Subject"], part.get_param("method"), part.get_content()))
    return found


def test_publication_sends_each_cooperative_an_invitation_to_its_new_meeting():
    day = make_published_day()
    timetable_published.send(day.event, version=None, diff=Diff(new=(change(day.first), change(day.second))))
    sent = invitations()
    assert [(to, method) for to, _subject, method, _body in sent] == [
        ("siti@sumberrejo.example", "REQUEST"),
        ("ahmad@wonokerto.example", "REQUEST"),
    ]
    to, subject, method, body = sent[0]
    assert subject == (
        "[Temu Bisnis KDKMP Kabupaten Pasuruan] Jadwal pertemuan: BULOG, Rabu, 8 Oktober 2025 pukul 09.00 WIB"
    )
    calendar = body.encode("utf-8") if isinstance(body, str) else body
    assert_accepted_everywhere(calendar)
    event = parse_with_icalendar(calendar).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{day.first.id}@127.0.0.1"
    assert str(event["ATTENDEE"]) == "mailto:siti@sumberrejo.example"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    # The booth's company follows its tables through its booth feed: no mail to BULOG.
    assert all("bulog" not in to.lower() for to, *_ in sent)


def test_moved_meeting_goes_out_as_an_updated_request_and_cancelled_one_as_cancel():
    day = make_published_day()
    later = NOW + timedelta(hours=3)
    move(day.first, wib(11), table=2, at=later)
    cancel(day.second, at=later)
    diff = Diff(moved=(change(day.first),), cancelled=(change(day.second),))
    on_timetable_published(day.event, version=None, diff=diff)
    (moved_to, moved_subject, moved_method, moved_body), (gone_to, gone_subject, gone_method, gone_body) = invitations()
    assert moved_method == "REQUEST" and "Jadwal pertemuan berubah" in moved_subject and "11.00 WIB" in moved_subject
    assert gone_method == "CANCEL" and "Pertemuan dibatalkan" in gone_subject
    moved = parse_with_icalendar(moved_body.encode()).walk("VEVENT")[0]
    gone = parse_with_icalendar(gone_body.encode()).walk("VEVENT")[0]
    assert moved["SEQUENCE"] == 2 and moved.start == wib(11)
    assert str(parse_with_icalendar(gone_body.encode())["METHOD"]) == "CANCEL"
    assert gone["SEQUENCE"] == 2 and str(gone["STATUS"]) == "CANCELLED"


def test_invitation_is_written_in_the_cooperatives_chosen_language():
    day = make_published_day()
    make_user("attendee", day.sumber_rejo, locale="en")
    on_timetable_published(day.event, diff=Diff(new=(change(day.first),)))
    to, subject, method, body = invitations()[0]
    assert subject.endswith("Meeting scheduled: BULOG, Wednesday, 8 October 2025 at 09:00 WIB")
    assert "You meet: Perum BULOG" in body.replace("\r\n ", "")


def test_cooperatives_without_an_email_get_no_message_and_a_mail_failure_does_not_break_publishing(app, monkeypatch):
    day = make_published_day()
    day.wonokerto.representatives[0].email = None
    db.session.flush()

    def broken_mail(*args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr("app.calendar.itip.send_mail", broken_mail)
    on_timetable_published(day.event, diff=Diff(new=(change(day.first), change(day.second))))  # must not raise
    monkeypatch.undo()
    on_timetable_published(day.event, diff=Diff(new=(change(day.first), change(day.second))))
    assert [to for to, *_ in invitations()] == ["siti@sumberrejo.example"]


def test_invitations_can_be_switched_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "CALENDAR_ITIP_EMAILS", False)
    day = make_published_day()
    on_timetable_published(day.event, diff=Diff(new=(change(day.first),)))
    assert outbox().messages == []


def test_the_diff_is_read_by_meeting_id_and_kind():
    diff = Diff(new=(Change(1, 10),), moved=(Change(2, 20), Change(3, None)), cancelled=(Change(4, 40),))
    assert changed_meetings(diff) == {10: "new", 20: "moved", 40: "cancelled"}
