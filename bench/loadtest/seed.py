"""python -m bench.loadtest.seed --database-url postgresql://127.0.0.1:5432/NAME --tokens tokens.csv

Builds a province-size PUBLISHED event into an empty database: every village of Jawa Timur (province 35,
8,494 villages in the bundled idn-area data) sends its Koperasi Desa/Kelurahan Merah Putih, each registered with
a personal access link and an attendee calendar feed; 30 BUMN booths hold ~10 tables over 3 days. Requests follow
each cooperative's needs; a first-fit placement (checked by `app.scheduling.check`) is stored as a draft and
published with the app's own services. The raw tokens go to a CSV file (mode 0600) for the load generator.

Rows without logic (organizations, registrations, links, feeds, requests) are written with bulk inserts;
the timetable goes through `write_draft` and `publish_version` so the live meetings are exactly what the app makes.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time as clock
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text

from app import create_app
from app.areas import villages_of
from app.demo.pasuruan import SECTORS
from app.events.services import rebuild_slots
from app.extensions import db
from app.models import (
    AccessLink,
    Booth,
    BreakKind,
    CalendarFeed,
    Event,
    EventBreak,
    EventDay,
    EventStatus,
    FeedKind,
    MeetingRequest,
    Organization,
    OrganizationKind,
    ProgrammeSession,
    Registration,
    Representative,
    RequestStatus,
    Sector,
    SessionKind,
    utcnow,
)
from app.models.booth import booth_days
from app.models.organization import organization_needs, organization_offers
from app.scheduling import Meeting as SpecMeeting
from app.scheduling import Timetable, Unscheduled, check
from app.security.tokens import hash_token, new_token
from app.timetable.problem_builder import build_problem
from app.timetable.publish import announce_published, publish_version
from app.timetable.versions import write_draft
from config import Config, database_url

EVENT_SLUG = "temu-bisnis-kdkmp-jawa-timur-2025"
ZONE = ZoneInfo("Asia/Jakarta")
FIRST_DAY = date(2025, 11, 4)
DAYS = 3
VENUE = "Grand City Convention Center, Surabaya"

# 30 state-owned enterprises (and regional offices) with the sectors they offer cooperatives.
BUMN = [
    ("BULOG Jatim", "Perum BULOG Kantor Wilayah Jawa Timur", ["rice", "sugar", "cooking_oil"]),
    ("BULOG Surabaya", "Perum BULOG Kantor Cabang Surabaya Utara", ["rice", "logistics"]),
    ("BULOG Malang", "Perum BULOG Kantor Cabang Malang", ["rice", "sugar"]),
    ("BULOG Jember", "Perum BULOG Kantor Cabang Jember", ["rice", "cooking_oil"]),
    ("BULOG Madiun", "Perum BULOG Kantor Cabang Madiun", ["rice", "logistics"]),
    ("Pertamina Patra Niaga", "PT Pertamina Patra Niaga Regional Jatimbalinus", ["lpg", "fuel"]),
    ("Pertamina LPG Surabaya", "PT Pertamina Patra Niaga Sales Area Surabaya", ["lpg"]),
    ("Pertamina LPG Malang", "PT Pertamina Patra Niaga Sales Area Malang", ["lpg"]),
    ("Pertamina Retail", "PT Pertamina Retail", ["fuel"]),
    ("Pupuk Indonesia", "PT Pupuk Indonesia (Persero)", ["fertiliser"]),
    ("Petrokimia Gresik", "PT Petrokimia Gresik", ["fertiliser"]),
    ("Pupuk Kaltim Jatim", "PT Pupuk Kalimantan Timur Wilayah Jawa Timur", ["fertiliser"]),
    ("Pupuk Indonesia Niaga", "PT Pupuk Indonesia Niaga", ["fertiliser", "logistics"]),
    ("ID FOOD", "PT Rajawali Nusantara Indonesia (ID FOOD)", ["sugar", "cooking_oil", "rice"]),
    ("PG Rajawali I", "PT PG Rajawali I", ["sugar"]),
    ("Berdikari", "PT Berdikari (ID FOOD)", ["rice", "logistics"]),
    ("Perikanan Indonesia", "Perum Perikanan Indonesia", ["cooking_oil", "logistics"]),
    ("Garam", "PT Garam (Persero)", ["sugar", "logistics"]),
    ("SGN", "PT Sinergi Gula Nusantara", ["sugar"]),
    ("PTPN I", "PT Perkebunan Nusantara I Regional 4", ["sugar", "cooking_oil"]),
    ("Bank Mandiri", "PT Bank Mandiri (Persero) Tbk Region VIII Jawa 3", ["financing"]),
    ("BRI", "PT Bank Rakyat Indonesia (Persero) Tbk Kanwil Surabaya", ["financing"]),
    ("BRI Malang", "PT Bank Rakyat Indonesia (Persero) Tbk Kanwil Malang", ["financing"]),
    ("BNI", "PT Bank Negara Indonesia (Persero) Tbk Wilayah Surabaya", ["financing"]),
    ("BSI", "PT Bank Syariah Indonesia Tbk Regional Surabaya", ["financing"]),
    ("Pegadaian", "PT Pegadaian Kanwil Surabaya", ["financing"]),
    ("PNM", "PT Permodalan Nasional Madani", ["financing"]),
    ("Pos Indonesia", "PT Pos Indonesia (Persero) Regional Surabaya", ["logistics"]),
    ("KAI Logistik", "PT Kereta Api Logistik", ["logistics"]),
    ("Pelindo", "PT Pelabuhan Indonesia (Persero) Regional 3", ["logistics"]),
]

FIRST_NAMES = ["Sutrisno", "Siti", "Ahmad", "Dewi", "Bambang", "Sri", "Agus", "Nur", "Heru", "Endang", "Joko", "Wahyu"]
LAST_NAMES = ["Wibowo", "Rahayu", "Santoso", "Lestari", "Hidayat", "Susanti", "Purnomo", "Wulandari", "Setiawan"]


class SeedConfig(Config):
    """Production settings on the given database; no calendar invitations are emailed by the seed, and the jobs
    that follow the publication (building the feeds ahead) run in the seed before it exits."""

    CALENDAR_ITIP_EMAILS = False
    JOBS_EAGER = True


@contextmanager
def step(name: str) -> Iterator[None]:
    """Print how long one phase of the seed took."""
    started = clock.perf_counter()
    yield
    print(f"  {name}: {clock.perf_counter() - started:.1f} s", flush=True)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Return a local time of the event as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def seed(province: str, tokens_path: Path, rng: random.Random) -> dict[str, int]:
    """Build the published province event in the current app's database; return the row counts."""
    with step("event, days, slots, booths"):
        sectors = {code: Sector(code=code, name_id=n_id, name_en=n_en) for code, n_id, n_en in SECTORS}
        db.session.add_all(sectors.values())
        event = create_event()
        booths = create_booths(event, rng)
    with step("cooperatives, registrations, links, feeds"):
        cooperatives = create_cooperatives(event, province, tokens_path, rng)
    with step("meeting requests"):
        requests = create_requests(event, booths, cooperatives, rng)
    with step("timetable: problem, first-fit placement, check"):
        problem = build_problem(event, pins={})
        timetable = first_fit(event, problem, rng)
        report = check(problem, timetable)
        if not report.ok:
            raise SystemExit("placement breaks a hard rule: " + "; ".join(report.violations[:5]))
    with step("write draft and publish"):
        version = write_draft(event, problem, timetable, report, "feasible")
        diff = publish_version(version)
        db.session.commit()
    with step("analyze"):
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    # What follows a publication in the app: the listeners' jobs (here in the seed itself), i.e. every attendee feed
    # built into the feed cache (Redis when CACHE_REDIS_URL is set; invitations are off).
    with step("announce the publication (attendee feeds built ahead)"):
        announce_published(version, diff)
    return {
        "cooperatives": len(cooperatives),
        "booths": len(booths),
        "slots": len(event.slots),
        "requests": requests,
        "meetings": len(timetable.meetings),
        "unscheduled": len(timetable.unscheduled),
    }


def create_event() -> Event:
    """Create the three-day event with its lunch break, opening and closing sessions, and its slot grid."""
    event = Event(
        slug=EVENT_SLUG,
        name="Temu Bisnis KDKMP se-Jawa Timur",
        venue=VENUE,
        city="Surabaya, Jawa Timur",
        description="Temu bisnis Koperasi Desa/Kelurahan Merah Putih se-Jawa Timur dengan BUMN mitra.",
        timezone="Asia/Jakarta",
        status=EventStatus.REGISTRATION_CLOSED,
        slot_minutes=20,
        gap_minutes=0,
        meeting_cap=5,
    )
    db.session.add(event)
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        event.days.append(EventDay(date=day, meetings_start=time(8), meetings_end=time(15, 40)))
    event.breaks.append(
        EventBreak(
            kind=BreakKind.PRAYER, title="Ishoma (istirahat, sholat, makan)", starts=time(11, 40), ends=time(12, 40)
        )
    )
    first, last = FIRST_DAY, FIRST_DAY + timedelta(days=DAYS - 1)
    for kind, title, start, end in [
        (SessionKind.OPENING, "Pembukaan oleh Gubernur Jawa Timur", at(first, 7), at(first, 7, 50)),
        (SessionKind.PANEL, "Diskusi panel: kemitraan KDKMP dan BUMN", at(last, 15, 45), at(last, 16, 45)),
    ]:
        db.session.add(
            ProgrammeSession(
                event=event, kind=kind, title=title, room=VENUE, starts_at=start, ends_at=end, for_everyone=True
            )
        )
    db.session.flush()
    rebuild_slots(event)
    return event


def create_booths(event: Event, rng: random.Random) -> list[tuple[Booth, set[str]]]:
    """Create the 30 BUMN organizations and their booths (8 to 12 tables, every day), with what each offers."""
    booths = []
    for index, (short, full, offers) in enumerate(BUMN, start=1):
        org = Organization(kind=OrganizationKind.STATE_ENTERPRISE, name=full, short_name=short)
        db.session.add(org)
        db.session.flush()
        db.session.execute(insert(organization_offers), [{"organization_id": org.id, "sector_code": c} for c in offers])
        booth = Booth(
            event_id=event.id,
            organization_id=org.id,
            label=f"{'ABC'[(index - 1) // 10]}{(index - 1) % 10 + 1}",
            hall="Hall Utama",
            table_count=rng.choice([8, 9, 10, 10, 11, 12]),
        )
        db.session.add(booth)
        booths.append(booth)
    db.session.flush()
    db.session.execute(insert(booth_days), [{"booth_id": b.id, "day_id": d.id} for b in booths for d in event.days])
    return [(booth, set(offers)) for booth, (_short, _full, offers) in zip(booths, BUMN, strict=True)]


def create_cooperatives(
    event: Event, province: str, tokens_path: Path, rng: random.Random
) -> list[tuple[int, set[str]]]:
    """Create every village's cooperative with a registration, an access link and a feed; write the tokens."""
    villages = villages_of(province)
    now = utcnow()
    org_ids = list(
        db.session.scalars(
            insert(Organization).returning(Organization.id, sort_by_parameter_order=True),
            [
                {
                    "kind": OrganizationKind.COOPERATIVE,
                    "name": v.cooperative_name,
                    "short_name": f"KDKMP {v.name}"[:60],
                    "village_code": v.code,
                    "address": v.address,
                    "created_at": now,
                }
                for v in villages
            ],
        )
    )
    needs = []
    for org_id in org_ids:
        wanted = ["rice", "cooking_oil"] + [
            c for c, p in [("lpg", 0.8), ("fertiliser", 0.6), ("financing", 0.5), ("sugar", 0.3)] if rng.random() < p
        ]
        needs.append((org_id, set(wanted)))
    db.session.execute(
        insert(organization_needs), [{"organization_id": o, "sector_code": c} for o, codes in needs for c in codes]
    )
    db.session.execute(
        insert(Representative),
        [
            {
                "organization_id": org_id,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "position": "Ketua Pengurus",
                "whatsapp": f"+62813{40000000 + index:08d}",
                "email": f"kdkmp.{v.code.replace('.', '')}@example.org",
            }
            for index, (org_id, v) in enumerate(zip(org_ids, villages, strict=True))
        ],
    )
    registration_ids = list(
        db.session.scalars(
            insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
            [{"event_id": event.id, "organization_id": o, "registered_at": now} for o in org_ids],
        )
    )
    access_tokens = [new_token() for _ in org_ids]
    feed_tokens = [new_token() for _ in org_ids]
    db.session.execute(
        insert(AccessLink),
        [
            {
                "event_id": event.id,
                "registration_id": r,
                "organization_id": o,
                "token_hash": hash_token(t),
                "created_at": now,
            }
            for r, o, t in zip(registration_ids, org_ids, access_tokens, strict=True)
        ],
    )
    db.session.execute(
        insert(CalendarFeed),
        [
            {
                "event_id": event.id,
                "kind": FeedKind.ATTENDEE,
                "organization_id": o,
                "token_hash": hash_token(t),
                "locale": "en" if rng.random() < 0.1 else "id",
                "created_at": now,
            }
            for o, t in zip(org_ids, feed_tokens, strict=True)
        ],
    )
    write_tokens(tokens_path, access_tokens, feed_tokens)
    return needs


def write_tokens(path: Path, access_tokens: list[str], feed_tokens: list[str]) -> None:
    """Write the raw tokens (secrets of a scratch database) to a CSV file only the owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["access_token", "feed_token"])
        writer.writerows(zip(access_tokens, feed_tokens, strict=True))


def create_requests(
    event: Event, booths: list[tuple[Booth, set[str]]], cooperatives: list[tuple[int, set[str]]], rng: random.Random
) -> int:
    """Let each cooperative ask 1 to 4 booths that offer what it needs (2 on average); return how many requests."""
    now = utcnow()
    rows = []
    for org_id, needs in cooperatives:
        matching = [booth for booth, offers in booths if offers & needs]
        count = min(len(matching), rng.choices([1, 2, 3, 4], weights=[3, 4, 2, 1])[0])
        for booth in rng.sample(matching, count):
            rows.append(
                {
                    "event_id": event.id,
                    "requester_id": org_id,
                    "target_id": booth.organization_id,
                    "booth_id": booth.id,
                    "priority": rng.choices([1, 2, 3], weights=[2, 5, 3])[0],
                    "status": rng.choices(
                        [RequestStatus.ACCEPTED, RequestStatus.PENDING, RequestStatus.DECLINED], weights=[70, 25, 5]
                    )[0],
                    "mutual": rng.random() < 0.1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(insert(MeetingRequest), rows)
    return len(rows)


def first_fit(event: Event, problem, rng: random.Random) -> Timetable:
    """Place each cooperative's requests at the first slot (from a spread-out start) free for it and the booth."""
    slots = [s.id for s in problem.slots]
    tables = {p.id: p.tables for p in problem.parties}
    used: dict[tuple[str, str], int] = defaultdict(int)  # (host, slot) -> tables taken
    busy: dict[str, set[str]] = defaultdict(set)  # guest -> slots taken
    by_guest: dict[str, list] = defaultdict(list)
    for request in problem.requests:
        guest = next(p for p in request.parties if p != request.host)
        by_guest[guest].append(request)
    meetings, unscheduled = [], []
    for index, (guest, requests) in enumerate(by_guest.items()):
        start = (index * 7 + rng.randrange(3)) % len(slots)
        for request in sorted(requests, key=lambda r: -r.weight):
            for offset in range(len(slots)):
                slot = slots[(start + offset) % len(slots)]
                if slot in busy[guest] or used[(request.host, slot)] >= tables[request.host]:
                    continue
                used[(request.host, slot)] += 1
                busy[guest].add(slot)
                meetings.append(SpecMeeting(request.id, slot, used[(request.host, slot)]))
                break
            else:
                unscheduled.append(Unscheduled(request.id, "no table free at a time the cooperative is free"))
    return Timetable(status="feasible", meetings=tuple(meetings), unscheduled=tuple(unscheduled))


def main(argv: list[str] | None = None) -> int:
    """Seed an empty database with the province event and write the raw tokens."""
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest.seed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an EMPTY scratch database, e.g. postgresql://...")
    parser.add_argument("--tokens", type=Path, default=Path("instance/loadtest-tokens.csv"))
    parser.add_argument("--province", default="35", help="idn-area province code (35: Jawa Timur)")
    parser.add_argument("--seed", type=int, default=35)
    args = parser.parse_args(argv)

    config = type("SeedRunConfig", (SeedConfig,), {"SQLALCHEMY_DATABASE_URI": database_url(args.database_url)})
    app = create_app(config)
    started = clock.perf_counter()
    with app.app_context():
        db.create_all()
        if db.session.scalar(select(func.count()).select_from(Event)):
            print("the database already holds events: give an empty scratch database", file=sys.stderr)
            return 2
        print(f"Seeding province {args.province} into {db.engine.url.render_as_string(hide_password=True)}")
        counts = seed(args.province, args.tokens, random.Random(args.seed))
    print(
        "Seeded in {:.1f} s: {cooperatives} cooperatives, {booths} booths, {slots} slots, {requests} requests, "
        "{meetings} meetings published, {unscheduled} left out; tokens in {tokens}".format(
            clock.perf_counter() - started, tokens=args.tokens, **counts
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
