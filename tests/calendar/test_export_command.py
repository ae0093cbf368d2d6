"""`flask calendar export`: every feed of a published event written as files, for offline use and checking."""

from __future__ import annotations

from app.extensions import db
from app.models import EventStatus, Registration
from tests.calendar.factories import make_published_day
from tests.calendar.parsers import assert_accepted_everywhere, events_by_uid


def test_organizer_exports_every_calendar_of_the_event(runner, tmp_path):
    day = make_published_day()
    db.session.add(Registration(event=day.event, organization=day.wonokerto))
    db.session.commit()
    result = runner.invoke(args=["calendar", "export", str(day.event.id), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ics"))
    assert files == [
        "attendees/temu-bisnis-pasuruan-kdkmp-sumber-rejo-kec-purwodadi-pasuruan.ics",
        "attendees/temu-bisnis-pasuruan-kdkmp-wonokerto.ics",
        "booths/temu-bisnis-pasuruan-bulog.ics",
        "moderators/temu-bisnis-pasuruan-dr-lilik-handayani.ics",
        "temu-bisnis-pasuruan-programme.ics",
    ]
    assert f"{len(files)} files written" in result.output
    for path in tmp_path.rglob("*.ics"):
        assert_accepted_everywhere(path.read_bytes())
    booth = events_by_uid((tmp_path / "booths/temu-bisnis-pasuruan-bulog.ics").read_bytes())
    assert len([uid for uid in booth if uid.startswith("meeting-")]) == 2


def test_export_refuses_an_event_without_a_published_timetable(runner, tmp_path):
    day = make_published_day(status=EventStatus.REGISTRATION_CLOSED)
    db.session.commit()
    result = runner.invoke(args=["calendar", "export", str(day.event.id), "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "no published timetable" in result.output
    assert not list(tmp_path.rglob("*.ics"))
    missing = runner.invoke(args=["calendar", "export", "999999", "--out", str(tmp_path)])
    assert missing.exit_code != 0 and "no event 999999" in missing.output
