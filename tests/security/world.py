"""One event with a bit of everything, so every POST route of the app has real rows to act on."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.attendee.services import issue_access_link
from app.events.services import rebuild_slots
from app.extensions import db
from app.models import (
    EventBreak,
    Meeting,
    MeetingSeat,
    ProgrammeSession,
    Registration,
    Representative,
    Role,
    Room,
    SessionKind,
    SessionPerson,
    SessionRole,
    SessionSignup,
    SolveRun,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from app.organizer.services.accounts import invite
from tests.factories import make_booth, make_event, make_organization, make_request
from tests.organizer.conftest import SECTORS, make_user

WIB = ZoneInfo("Asia/Jakarta")
GERBO = "35.14.01.2001"
_emails = itertools.count(1)


@dataclass
class World:
    """Ids of the rows the routes' URLs name, the users who may act, and the attendee's personal link."""

    args: dict[str, object] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    attendee_token: str = ""


def build_world() -> World:
    """Create and commit the event, its day, slots, booth, cooperatives, requests, meetings, sessions and draft."""
    from app.models import Sector

    world = World()
    db.session.add_all(Sector(code=c, name_id=n_id, name_en=n_en) for c, n_id, n_en in SECTORS)
    event = make_event(registration_closes_at=datetime(2099, 1, 1, tzinfo=WIB), meeting_cap=5)
    event.breaks.append(EventBreak(title="Istirahat", starts=time(10, 30), ends=time(10, 45)))
    rebuild_slots(event)
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    booth = make_booth(event, label="A1", table_count=2)
    cooperative = make_organization(village_code=GERBO, name="KDKMP Gerbo")
    cooperative.representatives.append(Representative(name="Siti", whatsapp="+6281234567890", email="s@example.org"))
    registration = Registration(event=event, organization=cooperative)
    other = make_organization(name="KDKMP Wonokerto")
    other_registration = Registration(event=event, organization=other)
    db.session.add_all([registration, other_registration])
    db.session.flush()
    request = make_request(event, cooperative, booth)
    pending = make_request(event, other, booth)
    meeting = Meeting(event=event, request=request, slot=slots[0], booth=booth, table_number=1)
    meeting.seats.append(MeetingSeat(organization_id=cooperative.id))
    db.session.add(meeting)
    panel = ProgrammeSession(
        event=event,
        kind=SessionKind.PANEL,
        title="Panel Kemitraan",
        room="Ruang Bromo",
        starts_at=datetime(2099, 10, 8, 10, tzinfo=WIB),
        ends_at=datetime(2099, 10, 8, 11, tzinfo=WIB),
        capacity=2,
    )
    db.session.add(panel)
    db.session.flush()
    signup = SessionSignup(session_id=panel.id, registration_id=other_registration.id, position=1)
    room = Room(event=event, name="Ruang Semeru", capacity=40)
    db.session.add_all([signup, room])
    version = TimetableVersion(event_id=event.id, number=1, status=VersionStatus.DRAFT, unscheduled=[])
    version.entries.append(
        TimetableEntry(request_id=request.id, slot_id=slots[1].id, booth_id=booth.id, table_number=1)
    )
    db.session.add(version)
    run = SolveRun(event_id=event.id, status="succeeded")
    db.session.add(run)

    n = next(_emails)
    organizer = make_user(Role.ORGANIZER, email=f"panitia{n}@example.org")
    moderator = make_user(Role.MODERATOR, email=f"moderator{n}@example.org")
    staff = make_user(Role.BOOTH_STAFF, email=f"bulog{n}@example.org", organization=booth.organization)
    panel.people.append(SessionPerson(role=SessionRole.MODERATOR, name="Moderator", user_id=moderator.id))
    issued = invite(f"tamu{n}@example.org", Role.MODERATOR, organizer, event=event)
    db.session.flush()
    world.attendee_token = issue_access_link(registration)
    world.users = {"organizer": organizer.id, "moderator": moderator.id, "booth": staff.id}
    world.args = {
        "event_id": event.id,
        "slug": event.slug,
        "booth_id": booth.id,
        "meeting_id": meeting.id,
        "request_id": pending.id,
        "session_id": panel.id,
        "signup_id": signup.id,
        "person_id": panel.people[0].id,
        "break_id": event.breaks[0].id,
        "day_id": event.days[0].id,
        "room_id": room.id,
        "version_id": version.id,
        "entry_id": version.entries[0].id,
        "run_id": run.id,
        "invitation_id": issued.invitation.id,
        "user_id": moderator.id,
        "token": issued.token,
        "key": "a" * 32,
        "preset": "dzuhur",
        "slot_id": slots[2].id,
    }
    db.session.commit()
    return world


def plausible_values(world: World) -> list[str]:
    """Values a real user would type or pick: ids of existing rows, dates, times, codes, choices."""
    ids = [str(v) for v in world.args.values() if isinstance(v, int)]
    return ids + [
        "y",
        "1",
        "2",
        "3",
        "on",
        "2025-10-08",
        "2099-10-08",
        "09:00",
        "12:30",
        "2025-10-08T09:00",
        "Asia/Jakarta",
        "Asia/Makassar",
        "id",
        "en",
        "rice",
        "lpg",
        GERBO,
        "0812-3456-7890",
        "+62 813 1111 2222",
        "petugas@example.org",
        "Koperasi Desa Merah Putih Gerbo",
        "panel",
        "moderator",
        "booth_staff",
        "accepted",
        "declined",
        "held",
        "no_show",
        "interested",
        "published",
        "registration_open",
        "lunch",
        "prayer",
        str(timedelta(minutes=20).seconds // 60),
    ]
