"""Timetable exports (CSV, XLSX, JSON in the spec's format) and importing a timetable JSON as a draft."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from app.i18n import local_time
from app.models import Event, TimetableVersion
from app.scheduling import ProblemError, Timetable, check
from app.timetable.problem_builder import build_problem
from app.timetable.versions import TimetableMismatch, version_timetable, write_draft
from app.timetable.views import guest_of, load_entries

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_IMPORT_MESSAGES = 10


class ImportRefused(Exception):
    """A timetable file that cannot become a draft; `messages` say why, in the user's language."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def safe_cell(value: Any) -> Any:
    """Return the value, with a leading apostrophe on text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_header() -> list[str]:
    """Return the column titles of the CSV and XLSX exports, in the user's language."""
    return [
        _("Date"),
        _("Start"),
        _("End"),
        _("Booth"),
        _("Booth label"),
        _("Table"),
        _("Guest"),
        _("Village code"),
        _("Request"),
        _("Locked"),
    ]


def export_rows(version: TimetableVersion) -> list[list[Any]]:
    """Return one row per meeting of the version, in time, booth and table order."""
    event = version.event
    rows = []
    entries = sorted(load_entries(version), key=lambda e: (e.slot.starts_at, e.booth_id or 0, e.table_number))
    for entry in entries:
        guest = guest_of(entry)
        local = entry.slot.starts_at.astimezone(event.zone)
        rows.append(
            [
                local.date().isoformat(),
                local_time(entry.slot.starts_at, event.timezone, False),
                local_time(entry.slot.ends_at, event.timezone, False),
                entry.booth.name if entry.booth else "",
                (entry.booth.label or "") if entry.booth else "",
                entry.table_number,
                guest.name,
                guest.village_code or "",
                entry.request_id,
                _("yes") if entry.locked else "",
            ]
        )
    return rows


def timetable_csv(version: TimetableVersion) -> str:
    """Return the version as CSV text (UTF-8 with BOM is added by the route, for spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export_header())
    for row in export_rows(version):
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def timetable_xlsx(version: TimetableVersion) -> bytes:
    """Return the version as an Excel workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Timetable")[:31]
    sheet.append(export_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(version):
        sheet.append([safe_cell(value) for value in row])
    for column, width in zip("ABCDEFGHIJ", (12, 8, 8, 28, 8, 6, 40, 16, 10, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problem_json(event: Event) -> str:
    """Return the event's matching-problem/1 document as JSON text."""
    return json.dumps(build_problem(event).to_dict(), indent=1, ensure_ascii=False) + "\n"


def timetable_json(version: TimetableVersion) -> str:
    """Return the version as a matching-timetable/1 document that `check` accepts with the event's problem."""
    problem = build_problem(version.event, pins={})
    timetable = version_timetable(version, problem)
    report = check(problem, replace(timetable, objective={}))
    return replace(timetable, objective=report.objective).to_json()


def import_timetable(event: Event, raw: bytes) -> TimetableVersion:
    """Check an uploaded matching-timetable/1 against the event and store it as the new draft. Flushes."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        timetable = Timetable.from_dict(data)
    except ProblemError as error:
        raise ImportRefused(
            [_("The file is not a timetable in the matching-timetable/1 format: %(detail)s", detail=str(error))]
        ) from None
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, 5000-digit numbers, nesting too deep
        raise ImportRefused([_("The file is not valid JSON.")]) from None
    if timetable.status not in ("optimal", "feasible"):
        raise ImportRefused([_("The file holds no timetable (its status is %(status)s).", status=timetable.status)])
    problem = build_problem(event, pins={})
    timetable = replace(timetable, objective={})
    report = check(problem, timetable)
    if not report.ok:
        shown = report.violations[:MAX_IMPORT_MESSAGES]
        raise ImportRefused([_("The timetable does not fit this event:")] + shown)
    try:
        return write_draft(event, problem, timetable, report, "imported")
    except TimetableMismatch as error:
        raise ImportRefused(
            [_("The timetable names a request or slot this event does not have: %(what)s", what=str(error))]
        ) from None
