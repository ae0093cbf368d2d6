"""A small published business-matching day for the calendar tests, with fixed times so files are repeatable."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.extensions import db
from app.models import (
    Booth,
    Event,
    EventStatus,
    Meeting,
    Organization,
    OrganizationKind,
    ProgrammeSession,
    Representative,
    Sector,
    SessionKind,
    SessionPerson,
    SessionRole,
    User,
)
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request, make_slot

WIB = ZoneInfo("Asia/Jakarta")
# The clock of these tests: a week before the event, and the moment the timetable was published.
NOW = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)
PUBLISHED_AT = datetime(2025, 9, 30, 3, 15, tzinfo=UTC)
_user_numbers = itertools.count(1)


def wib(hour: int, minute: int = 0) -> datetime:
    """Return 8 October 2025 at the given WIB clock time, as an aware datetime."""
    return datetime(2025, 10, 8, hour, minute, tzinfo=WIB)


def sector(code: str, name_id: str, name_en: str) -> Sector:
    """Return the sector with this code, creating it once."""
    found = db.session.get(Sector, code)
    if found is None:
        found = Sector(code=code, name_id=name_id, name_en=name_en)
        db.session.add(found)
    return found


@dataclass
class Day:
    """The rows of a small published event the tests read calendars from."""

    event: Event
    bulog: Booth
    sumber_rejo: Organization
    wonokerto: Organization
    first: Meeting  # Sumber Rejo at BULOG table 3, 09:00 WIB
    second: Meeting  # Wonokerto at BULOG table 1, 09:20 WIB
    opening: ProgrammeSession
    panel: ProgrammeSession
    moderator: User


def make_published_day(**event_overrides: Any) -> Day:
    """Return a published event: BULOG's booth, two cooperatives with one meeting each, two sessions."""
    values: dict[str, Any] = {
        "name": "Temu Bisnis KDKMP Kabupaten Pasuruan",
        "slug": "temu-bisnis-pasuruan",
        "venue": "Auditorium Mpu Sindok",
        "city": "Pasuruan",
        "status": EventStatus.PUBLISHED,
        "created_at": datetime(2025, 9, 1, tzinfo=UTC),
    }
    values.update(event_overrides)
    event = make_event(**values)
    rice = sector("rice", "Beras", "Rice")
    sugar = sector("sugar", "Gula", "Sugar")
    fertiliser = sector("fertiliser", "Pupuk", "Fertiliser")
    bulog_org = make_organization(
        kind=OrganizationKind.STATE_ENTERPRISE, name="Perum BULOG", short_name="BULOG", village_code=None
    )
    bulog_org.offers = [rice, sugar]
    bulog_org.representatives.append(Representative(name="Budi Santoso", position="Kepala Cabang Pasuruan"))
    bulog = make_booth(event, organization=bulog_org, label="A1", hall="Aula Utama", table_count=4)
    sumber_rejo = make_organization(name="KDKMP Sumber Rejo, Kec. Purwodadi; Pasuruan")
    sumber_rejo.needs = [rice, fertiliser]
    sumber_rejo.representatives.append(
        Representative(name="Siti Aminah", position="Ketua", email="siti@sumberrejo.example")
    )
    wonokerto = make_organization(name="KDKMP Wonokerto")
    wonokerto.needs = [sugar]
    wonokerto.representatives.append(Representative(name="Ahmad Fauzi", email="ahmad@wonokerto.example"))
    first = make_meeting(
        make_request(event, sumber_rejo, bulog, priority=3),
        make_slot(event, wib(9)),
        3,
        revision=1,
        updated_at=PUBLISHED_AT,
    )
    second = make_meeting(
        make_request(event, wonokerto, bulog, priority=1, mutual=True),
        make_slot(event, wib(9, 20)),
        1,
        revision=1,
        updated_at=PUBLISHED_AT,
    )
    moderator = User(email="moderator@example.org", name="Dr. Lilik Handayani", password_hash="x", role="moderator")
    db.session.add(moderator)
    opening = ProgrammeSession(
        event=event,
        kind=SessionKind.OPENING,
        title="Pembukaan oleh Bupati Pasuruan",
        room="Auditorium Mpu Sindok",
        starts_at=wib(8),
        ends_at=wib(8, 45),
        for_everyone=True,
        updated_at=PUBLISHED_AT,
    )
    panel = ProgrammeSession(
        event=event,
        kind=SessionKind.PANEL,
        title="Diskusi panel: kemitraan KDKMP dan BUMN",
        room="Ruang Bromo",
        starts_at=wib(13),
        ends_at=wib(14),
        description="Bagaimana koperasi desa menjadi mitra penyalur BUMN.",
        revision=2,
        updated_at=PUBLISHED_AT,
    )
    panel.people = [
        SessionPerson(role=SessionRole.MODERATOR, name="Dr. Lilik Handayani", user=moderator),
        SessionPerson(role=SessionRole.PANELIST, name="Budi Santoso", position="Perum BULOG"),
    ]
    db.session.add_all([opening, panel])
    db.session.flush()
    return Day(event, bulog, sumber_rejo, wonokerto, first, second, opening, panel, moderator)


def move(meeting: Meeting, slot_start: datetime, table: int, at: datetime) -> None:
    """Move a meeting as publishing a new version does: new slot and table, revision + 1, changed now."""
    from tests.factories import make_slot as new_slot

    meeting.slot = new_slot(meeting.event, slot_start)
    meeting.table_number = table
    meeting.revision += 1
    meeting.updated_at = at
    db.session.flush()


def cancel(meeting: Meeting, at: datetime) -> None:
    """Cancel a meeting as publishing a new version does."""
    from app.models import MeetingStatus

    meeting.status = MeetingStatus.CANCELLED
    meeting.revision += 1
    meeting.updated_at = at
    db.session.flush()


def make_user(role: str, organization: Organization | None = None, **overrides: Any) -> User:
    """Return an active user with the given role (and organization), without a usable password."""
    n = next(_user_numbers)
    values: dict[str, Any] = {
        "email": f"{role}-{n}@example.org",
        "name": f"{role.title()} {n}",
        "password_hash": "!",
        "role": role,
        "organization": organization,
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def log_in(client, user: User) -> None:
    """Log the test client in as the user (Flask-Login's session key), without the login form."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
