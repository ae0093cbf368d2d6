"""python -m bench.import_bench [--rows 10000] [--no-postgres]

Times the organizer's cooperative import on a generated file of real village codes: the preview (read the
CSV and check every row) and the confirmation (write every row in bulk, one transaction), on SQLite and,
when a server answers at TEST_POSTGRES_URL, on a scratch PostgreSQL database. Run by hand; prints Markdown.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.areas import all_villages  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Event, EventDay, Sector  # noqa: E402
from app.organizer.services.importing import COLUMNS, check_sheet, import_rows  # noqa: E402
from app.organizer.services.spreadsheet import read_spreadsheet  # noqa: E402
from config import TestConfig, database_url  # noqa: E402

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/test")
SECTORS = [("rice", "Beras", "Rice"), ("lpg", "Gas LPG", "LPG gas"), ("fertiliser", "Pupuk", "Fertiliser")]
NEEDS = ["Beras", "Beras, Gas LPG", "Pupuk, Beras", "Gas LPG, Pupuk, Beras"]


def generate_csv(rows: int, seed: int = 20251008) -> bytes:
    """Return a CSV of `rows` cooperatives in distinct bundled villages, as an organizer would upload it."""
    rng = random.Random(seed)
    villages = rng.sample(all_villages(), rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for n, village in enumerate(villages):
        writer.writerow(
            {
                "kode_desa": village.code,
                "nama_koperasi": f"Koperasi Desa Merah Putih {village.name}",
                "nama_perwakilan": f"Pengurus {n}",
                "jabatan": "Ketua Pengurus",
                "no_whatsapp": f"0812{30000000 + n:08d}",
                "email": f"kdkmp{n}@example.org",
                "kebutuhan": rng.choice(NEEDS),
                "hadir_mulai": "09:00" if n % 10 == 0 else "",
                "hadir_sampai": "14:00" if n % 10 == 1 else "",
            }
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def time_import(url: str, data: bytes) -> dict[str, float]:
    """Build the schema at `url`, then time preview and confirmation of the file; return seconds."""

    class BenchConfig(TestConfig):
        """Points the app at the database being measured."""

        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        db.session.add_all(Sector(code=c, name_id=i, name_en=e) for c, i, e in SECTORS)
        event = Event(slug="bench", name="Bench", venue="Pendopo", timezone="Asia/Jakarta")
        event.days.append(EventDay(date=date(2025, 10, 8), meetings_start=clock(8), meetings_end=clock(15)))
        db.session.add(event)
        db.session.commit()

        started = time.perf_counter()
        sheet = read_spreadsheet("koperasi.csv", data)
        parsed = time.perf_counter()
        preview = check_sheet(event, sheet)
        checked = time.perf_counter()
        assert not preview.invalid_rows, preview.invalid_rows[:3]
        # The confirmation reads the stored rows and checks them again before writing.
        result = import_rows(event, check_sheet(event, sheet), skip_invalid=False)
        db.session.commit()
        written = time.perf_counter()
        assert result.registered == len(sheet.rows)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return {
        "read": parsed - started,
        "check": checked - parsed,
        "preview": checked - started,
        "confirm": written - checked,
    }


def postgres_url() -> tuple[str, str] | None:
    """Create a scratch PostgreSQL database; return (its URL, its name), or None when no server answers."""
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            name = f"import_bench_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # no server: report and go on with SQLite only
        print(f"PostgreSQL skipped: {error.__class__.__name__}", file=sys.stderr)
        return None
    return database_url(f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"), name


def drop_postgres(name: str) -> None:
    """Drop the scratch database."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> str:
    """Describe the machine: cores and CPU model."""
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{cores} cores (`nproc`), {model}, Python {platform.python_version()}"


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    data = generate_csv(args.rows)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        runs.append(("SQLite (file)", time_import(f"sqlite:///{tmp}/bench.db", data)))
    if not args.no_postgres:
        scratch = postgres_url()
        if scratch:
            try:
                runs.append(("PostgreSQL", time_import(scratch[0], data)))
            finally:
                drop_postgres(scratch[1])
    print(f"{args.rows:,} rows, {len(data) / 1024:,.0f} KiB CSV; {machine()}; {date.today().isoformat()}\n")
    print("| database | read CSV | check rows | preview total | confirm (check again + write) |")
    print("|---|---|---|---|---|")
    for name, t in runs:
        print(f"| {name} | {t['read']:.2f} s | {t['check']:.2f} s | {t['preview']:.2f} s | {t['confirm']:.2f} s |")


if __name__ == "__main__":
    main()
