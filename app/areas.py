"""Indonesia's official area codes (province, regency, district, village) from the bundled idn-area data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AREA_DIR = Path(__file__).resolve().parent / "data" / "idn-area"


@dataclass(frozen=True)
class Village:
    """A desa or kelurahan with its district and regency."""

    code: str
    name: str
    district_code: str
    district_name: str
    regency_code: str
    regency_name: str


@cache
def _names(filename: str) -> dict[str, str]:
    with (AREA_DIR / filename).open(newline="", encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


@cache
def all_villages() -> tuple[Village, ...]:
    """Return every bundled village, in code order."""
    districts, regencies = _names("districts.csv"), _names("regencies.csv")
    with (AREA_DIR / "villages.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        Village(
            code=row["code"],
            name=row["name"],
            district_code=row["district_code"],
            district_name=districts[row["district_code"]],
            regency_code=row["district_code"][:5],
            regency_name=regencies[row["district_code"][:5]],
        )
        for row in sorted(rows, key=lambda r: r["code"])
    )


def villages_of(area_code: str) -> list[Village]:
    """Return the villages whose code starts with the given province, regency or district code."""
    prefix = area_code.rstrip(".") + "."
    return [v for v in all_villages() if v.code.startswith(prefix)]


@cache
def _villages_by_code() -> dict[str, Village]:
    return {v.code: v for v in all_villages()}


def find_village(code: str) -> Village | None:
    """Return the village with the given official code, if bundled."""
    return _villages_by_code().get(code)
