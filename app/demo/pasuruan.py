"""The reference event: Temu Bisnis KDKMP Kabupaten Pasuruan, 8 October 2025 (idempotent loader)."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.areas import villages_of
from app.events.services import rebuild_slots
from app.extensions import db
from app.models import (
    Booth,
    BreakKind,
    Event,
    EventBreak,
    EventDay,
    EventStatus,
    MeetingRequest,
    Organization,
    OrganizationKind,
    ProgrammeSession,
    Registration,
    Representative,
    RequestStatus,
    Role,
    Sector,
    SessionKind,
    SessionPerson,
    SessionRole,
    User,
)

EVENT_SLUG = "temu-bisnis-kdkmp-pasuruan-2025"
REGENCY_CODE = "35.14"
ZONE = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 10, 8)
DEMO_PASSWORD = "temubisnis-demo"
SEED = 20251008

SECTORS = [
    ("rice", "Beras", "Rice"),
    ("cooking_oil", "Minyak goreng", "Cooking oil"),
    ("sugar", "Gula", "Sugar"),
    ("lpg", "Gas LPG", "LPG gas"),
    ("fuel", "BBM", "Fuel"),
    ("fertiliser", "Pupuk", "Fertiliser"),
    ("financing", "Pembiayaan", "Financing"),
    ("logistics", "Logistik dan gudang", "Logistics and warehousing"),
]

# (short name, full name, booth label, tables, sectors offered)
BOOTHS = [
    ("BULOG", "Perum BULOG", "A1", 12, ["rice", "sugar", "cooking_oil", "logistics"]),
    ("Pertamina Patra Niaga", "PT Pertamina Patra Niaga", "A2", 10, ["lpg", "fuel"]),
    ("Pupuk Indonesia", "PT Pupuk Indonesia (Persero)", "A3", 10, ["fertiliser"]),
    ("ID FOOD", "PT Rajawali Nusantara Indonesia (ID FOOD)", "A4", 8, ["sugar", "cooking_oil", "rice"]),
    ("Bank Mandiri", "PT Bank Mandiri (Persero) Tbk", "A5", 10, ["financing"]),
]

FIRST_NAMES = [
    "Ahmad",
    "Siti",
    "Budi",
    "Sri",
    "Agus",
    "Dewi",
    "Hadi",
    "Nur",
    "Eko",
    "Rina",
    "Joko",
    "Lilik",
    "Imam",
    "Yuli",
    "Slamet",
    "Endang",
    "Bambang",
    "Wahyuni",
    "Rudi",
    "Umi",
    "Sugeng",
    "Khoirul",
]
LAST_NAMES = [
    "Santoso",
    "Wahyudi",
    "Rahayu",
    "Hidayat",
    "Susanto",
    "Lestari",
    "Prasetyo",
    "Fauzi",
    "Kurniawan",
    "Handayani",
    "Setiawan",
    "Maulana",
    "Nurhayati",
    "Syafi'i",
    "Arifin",
    "Hasanah",
]

USERS = [
    ("organizer@example.org", "Dinas Koperasi dan UKM Kabupaten Pasuruan", Role.ORGANIZER, None),
    ("moderator@example.org", "Dra. Endah Kusumawati", Role.MODERATOR, None),
    ("bulog@example.org", "Petugas Booth BULOG", Role.BOOTH_STAFF, "BULOG"),
    ("wonokerto@example.org", "Pengurus KDKMP Wonokerto", Role.ATTENDEE, "35.14.09.2019"),
]


def load_pasuruan_demo() -> Event:
    """Create or complete the Pasuruan demo event; running it again changes nothing."""
    rng = random.Random(SEED)
    sectors = {code: _get_or_create(Sector, {"code": code}, name_id=n_id, name_en=n_en) for code, n_id, n_en in SECTORS}
    event = _load_event()
    booths = _load_booths(event, sectors)
    cooperatives = _load_cooperatives(event, sectors, rng)
    _load_requests(event, booths, cooperatives, rng)
    _load_programme(event, booths)
    _load_users(booths, cooperatives)
    db.session.flush()
    return event


def _get_or_create(model: type, key: dict[str, Any], **values: Any):
    """Return the row matching key, creating it with values when missing (values never overwrite)."""
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
    return row


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=ZONE)


def _load_event() -> Event:
    event = _get_or_create(
        Event,
        {"slug": EVENT_SLUG},
        name="Temu Bisnis KDKMP Kabupaten Pasuruan",
        venue="Auditorium Mpu Sindok",
        city="Kabupaten Pasuruan, Jawa Timur",
        description=(
            "Temu bisnis antara Koperasi Desa/Kelurahan Merah Putih se-Kabupaten Pasuruan dan BUMN "
            "mitra: pasokan beras, minyak goreng, gas LPG, pupuk, dan pembiayaan."
        ),
        timezone="Asia/Jakarta",
        status=EventStatus.REGISTRATION_OPEN,
        slot_minutes=20,
        gap_minutes=0,
        registration_opens_at=datetime(2025, 9, 15, 0, 0, tzinfo=ZONE),
        registration_closes_at=datetime(2025, 10, 6, 23, 59, tzinfo=ZONE),
        meeting_cap=5,
    )
    day = _get_or_create(
        EventDay, {"event_id": event.id, "date": DAY}, meetings_start=time(8), meetings_end=time(15, 35)
    )
    _get_or_create(
        EventBreak,
        {"event_id": event.id, "title": "Ishoma (istirahat, sholat Dzuhur, makan siang)"},
        day_id=day.id,
        kind=BreakKind.PRAYER,
        starts=time(11, 35),
        ends=time(12, 35),
    )
    db.session.refresh(event)
    return event


def _load_booths(event: Event, sectors: dict[str, Sector]) -> dict[str, Booth]:
    booths = {}
    for short, full, label, tables, offers in BOOTHS:
        org = _get_or_create(Organization, {"name": full}, kind=OrganizationKind.STATE_ENTERPRISE, short_name=short)
        if not org.offers:
            org.offers = [sectors[c] for c in offers]
        booth = _get_or_create(
            Booth,
            {"event_id": event.id, "organization_id": org.id},
            label=label,
            hall="Auditorium Mpu Sindok",
            table_count=tables,
        )
        if not booth.days:
            booth.days = list(event.days)
        booths[short] = booth
    return booths


def _load_cooperatives(event: Event, sectors: dict[str, Sector], rng: random.Random) -> list[Organization]:
    cooperatives = []
    for index, village in enumerate(villages_of(REGENCY_CODE)):
        org = db.session.scalar(select(Organization).where(Organization.village_code == village.code))
        if org is None:
            org = Organization(
                kind=OrganizationKind.COOPERATIVE,
                name=f"Koperasi Desa Merah Putih {village.name}",
                short_name=f"KDKMP {village.name}",
                village_code=village.code,
                address=f"Desa {village.name}, Kecamatan {village.district_name}, Kabupaten Pasuruan",
            )
            # Every cooperative distributes staples; most need LPG and fertiliser, many financing.
            needs = ["rice", "cooking_oil"] + [
                c
                for c, p in [("lpg", 0.8), ("fertiliser", 0.6), ("financing", 0.5), ("sugar", 0.3)]
                if rng.random() < p
            ]
            org.needs = [sectors[c] for c in needs]
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            org.representatives.append(
                Representative(
                    name=person,
                    position="Ketua Pengurus",
                    whatsapp=f"+62812{30000000 + index:08d}",
                    email=f"kdkmp.{village.code.replace('.', '')}@example.org",
                )
            )
            db.session.add(org)
            db.session.flush()
        cooperatives.append(org)
        if db.session.scalar(select(Registration).filter_by(event_id=event.id, organization_id=org.id)) is None:
            registration = Registration(event_id=event.id, organization_id=org.id)
            # A fifth of the cooperatives arrive late or leave early (a long way from the hills of Tosari...).
            roll = rng.random()
            if roll < 0.1:
                registration.available_from = _at(10, 15)
            elif roll < 0.2:
                registration.available_until = _at(14, 5)
            db.session.add(registration)
    db.session.flush()
    return cooperatives


def _load_requests(
    event: Event, booths: dict[str, Booth], cooperatives: list[Organization], rng: random.Random
) -> None:
    existing = set(
        db.session.execute(
            select(MeetingRequest.requester_id, MeetingRequest.target_id).where(MeetingRequest.event_id == event.id)
        ).tuples()
    )
    for org in cooperatives:
        needed = {s.code for s in org.needs}
        wanted = [b for b in booths.values() if needed & {s.code for s in b.organization.offers}]
        for booth in wanted:
            if (org.id, booth.organization_id) in existing:
                continue
            db.session.add(
                MeetingRequest(
                    event_id=event.id,
                    requester_id=org.id,
                    target_id=booth.organization_id,
                    booth_id=booth.id,
                    priority=rng.choices([1, 2, 3], weights=[2, 5, 3])[0],
                    status=RequestStatus.ACCEPTED if rng.random() < 0.7 else RequestStatus.PENDING,
                    mutual=rng.random() < 0.1,
                )
            )
    db.session.flush()


def _load_programme(event: Event, booths: dict[str, Booth]) -> None:
    hall = "Auditorium Mpu Sindok"
    programme = [
        (
            SessionKind.OPENING,
            "Pembukaan oleh Bupati Pasuruan",
            _at(8),
            _at(8, 45),
            True,
            [(SessionRole.SPEAKER, "Bupati Pasuruan", "Kepala Daerah Kabupaten Pasuruan", None)],
        ),
        (
            SessionKind.TALK,
            "Kisah sukses KDKMP Wonokerto",
            _at(8, 45),
            _at(9, 15),
            True,
            [(SessionRole.SPEAKER, "Kepala Desa Wonokerto", "Kecamatan Sukorejo", None)],
        ),
        (
            SessionKind.PANEL,
            "Diskusi panel: skema kemitraan KDKMP dan BUMN",
            _at(15, 45),
            _at(16, 45),
            False,
            [
                (SessionRole.MODERATOR, "Dra. Endah Kusumawati", "Dinas Koperasi dan UKM Kabupaten Pasuruan", None),
                (SessionRole.PANELIST, "Perwakilan Perum BULOG", "Kantor Cabang Pasuruan", "BULOG"),
                (
                    SessionRole.PANELIST,
                    "Perwakilan Pertamina Patra Niaga",
                    "Sales Area Pasuruan",
                    "Pertamina Patra Niaga",
                ),
                (SessionRole.PANELIST, "Perwakilan Pupuk Indonesia", "Penjualan Wilayah Jawa Timur", "Pupuk Indonesia"),
                (SessionRole.PANELIST, "Perwakilan Bank Mandiri", "Area Pasuruan", "Bank Mandiri"),
            ],
        ),
    ]
    moderator = db.session.scalar(select(User).where(User.email == "moderator@example.org"))
    for kind, title, start, end, for_everyone, people in programme:
        session = _get_or_create(
            ProgrammeSession,
            {"event_id": event.id, "title": title},
            kind=kind,
            room=hall,
            starts_at=start,
            ends_at=end,
            for_everyone=for_everyone,
            capacity=None if for_everyone else 150,
        )
        if not session.people:
            for role, name, position, booth_key in people:
                org_id = booths[booth_key].organization_id if booth_key else None
                session.people.append(
                    SessionPerson(
                        role=role,
                        name=name,
                        position=position,
                        organization_id=org_id,
                        user_id=moderator.id if moderator and role == SessionRole.MODERATOR else None,
                    )
                )
    db.session.flush()
    db.session.refresh(event)
    rebuild_slots(event)


def _load_users(booths: dict[str, Booth], cooperatives: list[Organization]) -> None:
    by_village = {c.village_code: c for c in cooperatives}
    for email, name, role, org_key in USERS:
        org = booths[org_key].organization if org_key in booths else by_village.get(org_key)
        if db.session.scalar(select(User).where(User.email == email)) is None:
            user = User(email=email, name=name, role=role, organization_id=org.id if org else None)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    db.session.flush()
    # The panel's moderator entry points at the moderator's account once it exists.
    moderator = db.session.scalar(select(User).where(User.email == "moderator@example.org"))
    for person in db.session.scalars(
        select(SessionPerson).where(SessionPerson.role == SessionRole.MODERATOR, SessionPerson.user_id.is_(None))
    ):
        person.user_id = moderator.id
