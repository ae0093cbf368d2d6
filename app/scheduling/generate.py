"""Generate a business-matching day from the committed village data (every Indonesian village).

    python -m app.scheduling.generate --regency 35.14 -o pasuruan.json
    python -m app.scheduling.generate --province 35 --booths 30 --days 3 -o jatim.json

Every village is one cooperative (KDKMP); booths are state-owned enterprises with their own tables. Each
cooperative asks for a few booths (weight = priority 1..3, +1 now and then for mutual interest). A share of
the cooperatives arrives late or leaves early. In a province event each regency comes on one day.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "idn-area"
WIB = timezone(timedelta(hours=7))
BUMN = [
    ("bulog", "Perum BULOG"), ("pertamina", "Pertamina Patra Niaga"), ("pupuk", "Pupuk Indonesia"),
    ("idfood", "ID FOOD"), ("mandiri", "Bank Mandiri"), ("bri", "Bank Rakyat Indonesia"),
    ("bni", "Bank Negara Indonesia"), ("btn", "Bank Tabungan Negara"), ("bsi", "Bank Syariah Indonesia"),
    ("pos", "Pos Indonesia"), ("telkom", "Telkom Indonesia"), ("pln", "PLN"), ("pegadaian", "Pegadaian"),
    ("pnm", "Permodalan Nasional Madani"), ("ptpn", "PTPN III"), ("perhutani", "Perum Perhutani"),
    ("shs", "Sang Hyang Seri"), ("berdikari", "Berdikari"), ("perinus", "Perikanan Indonesia"),
    ("garam", "Garam"), ("kimiafarma", "Kimia Farma"), ("biofarma", "Bio Farma"), ("jamkrindo", "Jamkrindo"),
    ("askrindo", "Askrindo"), ("pelindo", "Pelindo"), ("kai", "Kereta Api Indonesia"), ("asdp", "ASDP"),
    ("sarinah", "Sarinah"), ("semen", "Semen Indonesia"), ("krakatau", "Krakatau Steel"),
]


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _slots(days: int, per_day: int, first_day: datetime) -> list[dict[str, Any]]:
    """20-minute slots from 08:00; the afternoon half starts at 13:00 after a lunch pause."""
    out = []
    morning = (per_day + 1) // 2
    for d in range(days):
        day = first_day + timedelta(days=d)
        for i in range(per_day):
            if i < morning:
                start = day.replace(hour=8) + timedelta(minutes=20 * i)
            else:
                start = day.replace(hour=13) + timedelta(minutes=20 * (i - morning))
            out.append({
                "id": f"d{d + 1}-{start:%H%M}",
                "start": start.isoformat(),
                "end": (start + timedelta(minutes=20)).isoformat(),
                "session": "am" if i < morning else "pm",
            })
    return out


def generate(
    *,
    regency: str | None = None,
    province: str | None = None,
    booths: int = 5,
    tables: int = 10,
    days: int = 1,
    slots_per_day: int = 16,
    seed: int = 1,
    late_fraction: float = 0.2,
    requests_per_cooperative: tuple[int, int] = (2, 5),
) -> dict[str, Any]:
    """A matching-problem/1 document for a regency day or a province event."""
    if (regency is None) == (province is None):
        raise ValueError("give exactly one of regency or province")
    if not 1 <= booths <= len(BUMN):
        raise ValueError(f"booths must be 1..{len(BUMN)}")
    rng = random.Random(seed)
    regencies = {r["code"]: r["name"] for r in _read("regencies.csv")}
    if regency is not None:
        if regency not in regencies:
            raise ValueError(f"unknown regency code {regency!r}")
        villages = [v for v in _read("villages.csv") if v["code"].startswith(regency + ".")]
        title = f"Temu Bisnis KDKMP {regencies[regency].title()}"
    else:
        villages = [v for v in _read("villages.csv") if v["code"].startswith(f"{province}.")]
        if not villages:
            raise ValueError(f"no villages for province code {province!r}")
        title = f"Temu Bisnis KDKMP Provinsi {province}"
    slots = _slots(days, slots_per_day, datetime(2025, 10, 8, tzinfo=WIB))
    by_day = [[s["id"] for s in slots[d * slots_per_day:(d + 1) * slots_per_day]] for d in range(days)]
    # each regency comes on one day (round robin over the regency codes)
    reg_codes = sorted({v["code"][:5] for v in villages})
    day_of_regency = {code: i % days for i, code in enumerate(reg_codes)}

    parties: list[dict[str, Any]] = []
    for bid, bname in BUMN[:booths]:
        parties.append({"id": bid, "name": bname, "tables": max(1, tables + rng.randint(-2, 2)),
                        "unavailable": []})
    booth_ids = [b for b, _ in BUMN[:booths]]
    popularity = [1.0 / (i + 1) ** 0.5 for i in range(booths)]  # BULOG draws more than the last booth
    requests: list[dict[str, Any]] = []
    third = max(1, slots_per_day // 3)
    for v in villages:
        pid = f"kdkmp-{v['code']}"
        day = day_of_regency[v["code"][:5]]
        unavailable = [s for d, ids in enumerate(by_day) if d != day for s in ids]
        if rng.random() < late_fraction:
            own = by_day[day]
            unavailable += own[:third] if rng.random() < 0.5 else own[-third:]
        parties.append({"id": pid, "name": f"KDKMP {v['name'].title()}", "unavailable": unavailable})
        lo, hi = requests_per_cooperative
        count = min(booths, rng.randint(lo, hi))
        chosen: list[str] = []
        while len(chosen) < count:
            b = rng.choices(booth_ids, popularity)[0]
            if b not in chosen:
                chosen.append(b)
        for b in chosen:
            weight = rng.choice((1, 1, 2, 2, 3)) + (1 if rng.random() < 0.15 else 0)
            requests.append({"id": f"r{len(requests) + 1}", "parties": [pid, b], "host": b, "weight": weight})
    return {
        "format": "matching-problem/1",
        "name": title,
        "timezone": "Asia/Jakarta",
        "slots": slots,
        "tables": 0,
        "parties": parties,
        "requests": requests,
        "rules": {"max_break_spread": None},
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(prog="python -m app.scheduling.generate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--regency", help="regency code, e.g. 35.14 (Kabupaten Pasuruan)")
    where.add_argument("--province", help="province code, e.g. 35 (Jawa Timur)")
    ap.add_argument("--booths", type=int, default=5)
    ap.add_argument("--tables", type=int, default=10, help="about this many tables per booth (+-2)")
    ap.add_argument("--days", type=int, default=1)
    ap.add_argument("--slots-per-day", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--late-fraction", type=float, default=0.2)
    ap.add_argument("-o", "--output", help="output file (default: standard output)")
    args = ap.parse_args(argv)
    try:
        doc = generate(regency=args.regency, province=args.province, booths=args.booths, tables=args.tables,
                       days=args.days, slots_per_day=args.slots_per_day, seed=args.seed,
                       late_fraction=args.late_fraction)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
