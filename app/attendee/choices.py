"""Choices the registration page offers: the area chooser's lists and the hours a cooperative can attend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.areas import Area, Village, districts_of, find_village, provinces, regencies_of, villages_of
from app.i18n import local_date, local_time
from app.models import Event, Sector


@dataclass(frozen=True)
class AreaChoice:
    """Where the visitor is in choosing a village: the chosen codes and the lists for each step."""

    province: str | None
    regency: str | None
    district: str | None
    village: Village | None
    provinces: tuple[Area, ...]
    regencies: list[Area]
    districts: list[Area]
    villages: list[Village]


def area_choice(prov: str | None, kab: str | None, kec: str | None, desa: str | None) -> AreaChoice:
    """Return the chooser's state from GET parameters, dropping any code that does not fit its parent."""
    province = prov if prov and any(p.code == prov for p in provinces()) else None
    regencies = regencies_of(province) if province else []
    regency = kab if kab and any(r.code == kab for r in regencies) else None
    districts = districts_of(regency) if regency else []
    district = kec if kec and any(d.code == kec for d in districts) else None
    villages = villages_of(district) if district else []
    village = find_village(desa) if desa and district and desa.startswith(district + ".") else None
    return AreaChoice(province, regency, district, village, provinces(), regencies, districts, villages)


def area_children(code: str) -> list[dict[str, str]] | None:
    """Return the areas one level below a province, regency or district code, as JSON-ready rows."""
    depth = code.count(".")
    if depth == 0 and any(p.code == code for p in provinces()):
        return [{"code": a.code, "name": a.title} for a in regencies_of(code)]
    if depth == 1:
        rows = districts_of(code)
        return [{"code": a.code, "name": a.name} for a in rows] if rows else None
    if depth == 2:
        rows = villages_of(code)
        return [{"code": v.code, "name": v.name, "suggested": v.cooperative_name} for v in rows] if rows else None
    return None


def sector_choices(sectors: list[Sector], locale: str) -> list[tuple[str, str]]:
    """Return (code, name) pairs of the sectors in the reader's language."""
    return [(s.code, s.label(locale)) for s in sectors]


def attendance_choices(event: Event) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the choices for arriving (slot starts) and leaving (slot ends), the whole day first."""
    slots = sorted(event.slots, key=lambda s: s.starts_at)
    several_days = len({s.day_id for s in slots}) > 1

    def label(at: datetime) -> str:
        clock = local_time(at, event.timezone)
        return f"{local_date(at, event.timezone)}, {clock}" if several_days else clock

    arriving = [("", _("From the start"))] + [(_value(s.starts_at), label(s.starts_at)) for s in slots[1:]]
    leaving = [("", _("Until the end"))] + [(_value(s.ends_at), label(s.ends_at)) for s in slots[:-1]]
    return arriving, leaving


def parse_choice_time(value: str | None) -> datetime | None:
    """Return the datetime of an attendance choice ('' means no limit)."""
    return datetime.fromisoformat(value) if value else None


def _value(at: datetime) -> str:
    return at.isoformat()
