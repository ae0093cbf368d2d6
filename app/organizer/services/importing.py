"""Importing cooperatives and their representatives: check every row first, then write all in one go."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import insert, select

from app.areas import find_village
from app.extensions import db
from app.models import Event, Organization, OrganizationKind, Registration, Representative, Sector
from app.models.organization import organization_needs
from app.organizer.services.spreadsheet import Sheet
from app.phone import PhoneNumberError, normalize_whatsapp

REQUIRED_COLUMNS = ("kode_desa", "nama_koperasi", "nama_perwakilan", "no_whatsapp")
OPTIONAL_COLUMNS = ("jabatan", "email", "kebutuhan", "hadir_mulai", "hadir_sampai")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Other spellings people use for the same columns.
ALIASES = {
    "kode_wilayah": "kode_desa",
    "kode_kelurahan": "kode_desa",
    "koperasi": "nama_koperasi",
    "perwakilan": "nama_perwakilan",
    "whatsapp": "no_whatsapp",
    "no_wa": "no_whatsapp",
    "nomor_whatsapp": "no_whatsapp",
    "no_hp": "no_whatsapp",
    "posisi": "jabatan",
    "e_mail": "email",
    "sektor": "kebutuhan",
}
MAX_LENGTHS = {"nama_koperasi": 200, "nama_perwakilan": 120, "jabatan": 120, "email": 254}
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?$")
CHUNK = 500
PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class ImportRefused(ValueError):
    """Raised with a message for the organizer when an import cannot be written."""


@dataclass
class ImportRow:
    """One data row of the file: its line, its cleaned values and what is wrong with it."""

    line: int
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    village_code: str = ""
    whatsapp: str | None = None
    email: str | None = None
    sectors: list[str] = field(default_factory=list)
    arrives: time | None = None
    leaves: time | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the row can be imported."""
        return not self.problems


@dataclass
class ImportPreview:
    """The checked file: problems with the file as a whole, and every row with its own problems."""

    missing_columns: list[str]
    unknown_columns: list[str]
    rows: list[ImportRow]

    @property
    def valid_rows(self) -> list[ImportRow]:
        """Return the rows that can be imported."""
        return [r for r in self.rows if r.ok]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        """Return the rows with at least one problem."""
        return [r for r in self.rows if not r.ok]

    @property
    def can_import(self) -> bool:
        """Tell whether anything can be written at all."""
        return not self.missing_columns and bool(self.valid_rows)


@dataclass(frozen=True)
class ImportResult:
    """What a confirmed import wrote."""

    registered: int
    new_cooperatives: int
    new_representatives: int
    skipped: int


def canonical_header(header: Iterable[str]) -> list[str]:
    """Return the header with known alternative spellings replaced by the documented column names."""
    return [ALIASES.get(name, name) for name in header]


def check_sheet(event: Event, sheet: Sheet) -> ImportPreview:
    """Check every row of an uploaded sheet against the event, writing nothing."""
    header = canonical_header(sheet.header)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    rows = [ImportRow(line, _canonical_values(values)) for line, values in sheet.rows]
    if missing:
        return ImportPreview(missing, unknown, rows)
    sectors = _sector_lookup()
    registered = _registered_village_codes(event)
    first_line: dict[str, int] = {}
    for row in rows:
        _check_row(event, row, sectors)
        if not row.village_code:
            continue
        if row.village_code in first_line:
            row.problems.append(
                _(
                    "Village code %(code)s is also on line %(line)d.",
                    code=row.village_code,
                    line=first_line[row.village_code],
                )
            )
        else:
            first_line[row.village_code] = row.line
        if row.village_code in registered:
            row.problems.append(_("This cooperative is already registered for the event."))
    return ImportPreview(missing, unknown, rows)


def _canonical_values(values: dict[str, str]) -> dict[str, str]:
    """Return a row keyed by the documented column names; an empty cell never hides a filled one of the same column."""
    canonical: dict[str, str] = {}
    for name, value in values.items():
        key = ALIASES.get(name, name)
        if value or key not in canonical:
            canonical[key] = value
    return canonical


def _check_row(event: Event, row: ImportRow, sectors: dict[str, str]) -> None:
    values = row.values
    code = _village_code(values.get("kode_desa", ""))
    if not code:
        row.problems.append(_("The village code (kode_desa) is missing."))
    elif not VILLAGE_CODE.match(code) or find_village(code) is None:
        row.problems.append(_("Unknown village code %(code)s.", code=code))
    else:
        row.village_code = code
    if not values.get("nama_koperasi"):
        row.problems.append(_("The cooperative's name (nama_koperasi) is missing."))
    if not values.get("nama_perwakilan"):
        row.problems.append(_("The representative's name (nama_perwakilan) is missing."))
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            row.problems.append(_("%(column)s is longer than %(num)d characters.", column=column, num=limit))
    phone = values.get("no_whatsapp", "")
    if not phone:
        row.problems.append(_("The WhatsApp number (no_whatsapp) is missing."))
    else:
        try:
            row.whatsapp = normalize_whatsapp(phone)
        except PhoneNumberError:
            row.problems.append(_("%(phone)s is not an Indonesian mobile (WhatsApp) number.", phone=phone))
    email = values.get("email", "")
    if email:
        row.email = _checked_email(email)
        if row.email is None:
            row.problems.append(_("%(email)s is not a valid email address.", email=email))
    _check_needs(row, sectors)
    _check_hours(event, row)


def _checked_email(email: str) -> str | None:
    """Return the address in stored form, or None when it is not one.

    Plain ASCII addresses, nearly all of them, pass a strict pattern; the rest go through email_validator,
    which is thorough but slow (internationalised domains) for ten thousand rows.
    """
    if PLAIN_EMAIL.match(email) and ".." not in email:
        return email.lower()
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _village_code(raw: str) -> str:
    """Return the code in its dotted form; Excel often drops the dots (3514092019)."""
    raw = raw.strip().replace(" ", "")
    if raw.isdigit() and len(raw) == 10:
        return f"{raw[:2]}.{raw[2:4]}.{raw[4:6]}.{raw[6:]}"
    return raw


def _check_needs(row: ImportRow, sectors: dict[str, str]) -> None:
    unknown = []
    for part in re.split(r"[,;/]", row.values.get("kebutuhan", "")):
        name = " ".join(part.split()).lower()
        if not name:
            continue
        if name in sectors:
            if sectors[name] not in row.sectors:
                row.sectors.append(sectors[name])
        else:
            unknown.append(part.strip())
    if unknown:
        row.problems.append(_("Unknown needs: %(names)s.", names=", ".join(unknown)))


def _check_hours(event: Event, row: ImportRow) -> None:
    for column, attribute in (("hadir_mulai", "arrives"), ("hadir_sampai", "leaves")):
        raw = row.values.get(column, "")
        if not raw:
            continue
        match = CLOCK.match(raw)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            row.problems.append(_("%(column)s must be a time like 09:30, not %(value)s.", column=column, value=raw))
            continue
        setattr(row, attribute, time(int(match.group(1)), int(match.group(2))))
    if (row.arrives or row.leaves) and not event.days:
        row.problems.append(_("Add the event's days before importing arrival and leaving times."))
    if row.arrives and row.leaves and len(event.days) == 1 and row.leaves <= row.arrives:
        row.problems.append(_("hadir_sampai must be later than hadir_mulai."))


def _sector_lookup() -> dict[str, str]:
    """Map every way of writing a sector (code, Indonesian or English name, any case) to its code."""
    lookup = {}
    for sector in db.session.scalars(select(Sector)):
        for name in (sector.code, sector.code.replace("_", " "), sector.name_id, sector.name_en):
            lookup[" ".join(name.split()).lower()] = sector.code
    return lookup


def _registered_village_codes(event: Event) -> set[str]:
    return set(
        db.session.scalars(
            select(Organization.village_code)
            .join(Registration, Registration.organization_id == Organization.id)
            .where(Registration.event_id == event.id, Organization.village_code.is_not(None))
        )
    )


def import_rows(event: Event, preview: ImportPreview, skip_invalid: bool) -> ImportResult:
    """Write the checked rows in bulk: cooperatives, registrations, representatives and needs."""
    if preview.missing_columns:
        raise ImportRefused(_("The file lacks required columns: %(names)s.", names=", ".join(preview.missing_columns)))
    if preview.invalid_rows and not skip_invalid:
        raise ImportRefused(_("Some rows have problems. Fix the file, or choose to skip those rows."))
    rows = preview.valid_rows
    if not rows:
        raise ImportRefused(_("No row can be imported."))
    existing = _organizations_by_village([r.village_code for r in rows])
    new_rows = [r for r in rows if r.village_code not in existing]
    created = _insert_cooperatives(new_rows)
    by_code = {**existing, **created}
    _insert_registrations(event, rows, by_code)
    representatives = _insert_representatives(rows, by_code, existing)
    _insert_needs(rows, by_code)
    db.session.flush()
    db.session.expire_all()
    return ImportResult(len(rows), len(created), representatives, len(preview.invalid_rows))


def _insert_many(table, rows: list[dict], returning: tuple = ()) -> list[tuple]:
    """Insert rows through one Core executemany (batched by the driver); return the RETURNING rows.

    Core rather than ORM bulk inserts: the ORM splits the batch whenever a row leaves an optional column
    empty, which turns 10,000 rows into thousands of statements.
    """
    if not rows:
        return []
    if returning:
        return db.session.execute(insert(table).returning(*returning), rows).tuples().all()
    db.session.execute(insert(table), rows)
    return []


def _organizations_by_village(codes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        found.update(
            db.session.execute(
                select(Organization.village_code, Organization.id).where(Organization.village_code.in_(chunk))
            )
            .tuples()
            .all()
        )
    return found


def _insert_cooperatives(rows: list[ImportRow]) -> dict[str, int]:
    if not rows:
        return {}
    now = datetime.now(UTC)
    values = []
    for row in rows:
        values.append(
            {
                "kind": OrganizationKind.COOPERATIVE,
                "name": row.values["nama_koperasi"],
                "village_code": row.village_code,
                "address": _address(row.village_code),
                "created_at": now,
            }
        )
    table = Organization.__table__
    return dict(_insert_many(table, values, returning=(table.c.village_code, table.c.id)))


def _address(code: str) -> str | None:
    """Return 'Desa X, Kecamatan Y, Kabupaten Z' (codes ending 1xxx are kelurahan, 2xxx desa)."""
    village = find_village(code)
    if village is None:
        return None
    kind = "Kelurahan" if code[-4] == "1" else "Desa"
    return f"{kind} {village.name}, Kecamatan {village.district_name}, {village.regency_name.title()}"


def _insert_registrations(event: Event, rows: list[ImportRow], by_code: dict[str, int]) -> None:
    first_day, last_day = (event.days[0].date, event.days[-1].date) if event.days else (None, None)
    now = datetime.now(UTC)
    values = [
        {
            "event_id": event.id,
            "organization_id": by_code[row.village_code],
            "available_from": _at(first_day, row.arrives, event),
            "available_until": _at(last_day, row.leaves, event),
            "registered_at": now,
        }
        for row in rows
    ]
    _insert_many(Registration.__table__, values)


def _at(day, clock: time | None, event: Event) -> datetime | None:
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock, tzinfo=event.zone).astimezone(UTC)


def _insert_representatives(rows: list[ImportRow], by_code: dict[str, int], existing: dict[str, int]) -> int:
    known: set[tuple[int, str]] = set()
    existing_ids = list(existing.values())
    for start in range(0, len(existing_ids), CHUNK):
        chunk = existing_ids[start : start + CHUNK]
        for org_id, whatsapp, name in db.session.execute(
            select(Representative.organization_id, Representative.whatsapp, Representative.name).where(
                Representative.organization_id.in_(chunk)
            )
        ):
            known.update({(org_id, whatsapp or ""), (org_id, name.lower())})
    values = []
    for row in rows:
        org_id = by_code[row.village_code]
        if (org_id, row.whatsapp or "") in known or (org_id, row.values["nama_perwakilan"].lower()) in known:
            continue
        values.append(
            {
                "organization_id": org_id,
                "name": row.values["nama_perwakilan"],
                "position": row.values.get("jabatan") or None,
                "whatsapp": row.whatsapp,
                "email": row.email,
            }
        )
    _insert_many(Representative.__table__, values)
    return len(values)


def _insert_needs(rows: list[ImportRow], by_code: dict[str, int]) -> None:
    org_ids = [by_code[r.village_code] for r in rows]
    have: set[tuple[int, str]] = set()
    for start in range(0, len(org_ids), CHUNK):
        chunk = org_ids[start : start + CHUNK]
        have.update(
            db.session.execute(
                select(organization_needs.c.organization_id, organization_needs.c.sector_code).where(
                    organization_needs.c.organization_id.in_(chunk)
                )
            )
            .tuples()
            .all()
        )
    values = []
    for row in rows:
        for code in row.sectors:
            pair = (by_code[row.village_code], code)
            if pair not in have:
                have.add(pair)
                values.append({"organization_id": pair[0], "sector_code": code})
    _insert_many(organization_needs, values)
