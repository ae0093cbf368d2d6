"""Indonesia's official area codes (province, regency, district, village) from the bundled idn-area data.

The files are read on first use and kept in memory (about 84,000 villages); every later call is a lookup.
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AREA_DIR = Path(__file__).resolve().parent / "data" / "idn-area"

# Words the data writes in capitals that stay capitals in a title ("DKI JAKARTA" -> "DKI Jakarta").
_ACRONYMS = {"DKI", "DI", "II", "III", "IV"}


@dataclass(frozen=True, slots=True)
class Area:
    """A province, regency (kabupaten/kota) or district (kecamatan): its code and name."""

    code: str
    name: str

    @property
    def title(self) -> str:
        """Return the name as people write it, e.g. KABUPATEN PASURUAN -> Kabupaten Pasuruan."""
        return title_case(self.name)


@dataclass(frozen=True, slots=True)
class Village:
    """A desa or kelurahan with its district, regency and province."""

    code: str
    name: str
    district_code: str
    district_name: str
    regency_code: str
    regency_name: str
    province_code: str = ""
    province_name: str = ""

    @property
    def is_kelurahan(self) -> bool:
        """Tell whether it is an urban kelurahan (codes x.1xxx) rather than a desa (x.2xxx)."""
        return self.code.rsplit(".", 1)[-1].startswith("1")

    @property
    def cooperative_name(self) -> str:
        """Return the usual name of its KDKMP, e.g. Koperasi Desa Merah Putih Wonokerto."""
        kind = "Kelurahan" if self.is_kelurahan else "Desa"
        return f"Koperasi {kind} Merah Putih {self.name}"

    @property
    def address(self) -> str:
        """Return the village, district, regency and province in one line."""
        kind = "Kelurahan" if self.is_kelurahan else "Desa"
        parts = [f"{kind} {self.name}", f"Kecamatan {self.district_name}", title_case(self.regency_name)]
        if self.province_name:
            parts.append(f"Provinsi {title_case(self.province_name)}")
        return ", ".join(parts)


def title_case(name: str) -> str:
    """Return an upper-case area name in title case, keeping acronyms such as DKI."""
    return " ".join(w if w in _ACRONYMS else w.capitalize() for w in name.split())


def _rows(filename: str) -> list[dict[str, str]]:
    with (AREA_DIR / filename).open(newline="", encoding="utf-8") as f:
        return sorted(csv.DictReader(f), key=lambda r: r["code"])


@cache
def _areas(filename: str) -> tuple[Area, ...]:
    return tuple(Area(row["code"], row["name"]) for row in _rows(filename))


@cache
def _names(filename: str) -> dict[str, str]:
    return {a.code: a.name for a in _areas(filename)}


def provinces() -> tuple[Area, ...]:
    """Return the 38 provinces, in code order."""
    return _areas("provinces.csv")


def regencies_of(province_code: str) -> list[Area]:
    """Return the regencies (kabupaten and kota) of a province, in code order."""
    return _children("regencies.csv", province_code)


def districts_of(regency_code: str) -> list[Area]:
    """Return the districts (kecamatan) of a regency, in code order."""
    return _children("districts.csv", regency_code)


def find_area(code: str) -> Area | Village | None:
    """Return the province, regency, district or village with the given code, if bundled."""
    depth = code.count(".")
    if depth == 3:
        return find_village(code)
    filename = ("provinces.csv", "regencies.csv", "districts.csv")[depth] if depth < 3 else None
    name = _names(filename).get(code) if filename else None
    return Area(code, name) if name is not None else None


@cache
def all_villages() -> tuple[Village, ...]:
    """Return every bundled village, in code order."""
    districts, regencies, provinces_ = _names("districts.csv"), _names("regencies.csv"), _names("provinces.csv")
    return tuple(
        Village(
            code=row["code"],
            name=row["name"],
            district_code=row["district_code"],
            district_name=districts[row["district_code"]],
            regency_code=row["district_code"][:5],
            regency_name=regencies[row["district_code"][:5]],
            province_code=row["district_code"][:2],
            province_name=provinces_[row["district_code"][:2]],
        )
        for row in _rows("villages.csv")
    )


def villages_of(area_code: str) -> list[Village]:
    """Return the villages whose code starts with the given province, regency or district code."""
    return _children("villages.csv", area_code)


@cache
def _villages_by_code() -> dict[str, Village]:
    return {v.code: v for v in all_villages()}


def find_village(code: str) -> Village | None:
    """Return the village with the given official code, if bundled."""
    return _villages_by_code().get(code)


@cache
def _sorted(filename: str) -> tuple[tuple, list[str]]:
    rows = all_villages() if filename == "villages.csv" else _areas(filename)
    return rows, [r.code for r in rows]


def _children(filename: str, parent_code: str) -> list:
    """Return the rows under a parent code, found by bisecting the code-sorted rows."""
    prefix = parent_code.rstrip(".") + "."
    rows, codes = _sorted(filename)
    start = bisect_left(codes, prefix)
    end = bisect_left(codes, prefix[:-1] + "/")  # "/" sorts right after "."
    return list(rows[start:end])
