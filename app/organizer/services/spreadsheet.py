"""Reading an uploaded CSV or Excel (.xlsx) file into rows of text, safely and within limits (pure)."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

MAX_ROWS = 20_000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 2_000
# An .xlsx is a zip: refuse archives that unpack to far more than any honest spreadsheet (zip bombs).
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(ValueError):
    """Raised with a message for the user when a file cannot be read as a spreadsheet."""


@dataclass
class Sheet:
    """The header (normalised column names) and the data rows of a file, each with its line number."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def normalize_header(name: str) -> str:
    """Return a column name in canonical form: lower case, words joined by underscores."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").replace("/", " ").split())


def read_spreadsheet(filename: str, data: bytes) -> Sheet:
    """Read a .csv or .xlsx upload; the file's content decides, and the extension must agree."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not data.startswith(ZIP_MAGIC):
            raise SpreadsheetError(_("This file is not an Excel (.xlsx) workbook. Save it again as .xlsx or CSV."))
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        if data.startswith(ZIP_MAGIC):
            raise SpreadsheetError(_("This file is a workbook, not a CSV. Upload it with the .xlsx extension."))
        return _read_csv(data)
    raise SpreadsheetError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))


def _read_csv(data: bytes) -> Sheet:
    text = _decoded(data)
    if "\x00" in text[:4096]:
        raise SpreadsheetError(_("This file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header:
            raise SpreadsheetError(_("The file is empty."))
        sheet = Sheet(_checked_header(header))
        for values in reader:
            _add_row(sheet, reader.line_num, values)
    except csv.Error as error:
        # With the default dialect the reader's one complaint is a field past csv.field_size_limit(): a huge
        # cell, or more often a quotation mark never closed, which swallows the rest of the file.
        raise SpreadsheetError(
            _('A cell is too long, or a quotation mark (") is never closed. Check the file and upload it again.')
        ) from error
    return sheet


def _decoded(data: bytes) -> str:
    """Return the file's text: UTF-16 when it starts with a UTF-16 mark (Excel's "Unicode Text"), else UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("This file is not a CSV text file.")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows writes the ANSI code page.
        return data.decode("cp1252", errors="replace")


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError(_("This file is not an Excel (.xlsx) workbook. Save it again as .xlsx or CSV."))
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise SpreadsheetError(_("The workbook is too large once unpacked."))
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(
            _("This file is not an Excel (.xlsx) workbook. Save it again as .xlsx or CSV.")
        ) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise SpreadsheetError(_("The workbook could not be read. Save it again as .xlsx or CSV.")) from error
    try:
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(rows, None)
        if not header or not any(cell is not None for cell in header):
            raise SpreadsheetError(_("The file is empty."))
        sheet = Sheet(_checked_header([_cell_text(c) for c in header]))
        for line, values in enumerate(rows, start=2):
            _add_row(sheet, line, [_cell_text(c) for c in values])
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(_("The workbook could not be read. Save it again as .xlsx or CSV.")) from error
    finally:
        workbook.close()
    return sheet


def _checked_header(raw: list[str]) -> list[str]:
    if len(raw) > MAX_COLUMNS:
        raise SpreadsheetError(_("The file has too many columns (at most %(num)d).", num=MAX_COLUMNS))
    return [normalize_header(name.replace("\x00", "")) for name in raw]


def _add_row(sheet: Sheet, line: int, values: list[str]) -> None:
    if not any(v.strip() for v in values):
        return  # blank lines between blocks are common in hand-made sheets
    if len(sheet.rows) >= MAX_ROWS:
        raise SpreadsheetError(_("The file has more than %(num)d rows. Split it into smaller files.", num=MAX_ROWS))
    row = {}
    for name, value in zip(sheet.header, values, strict=False):
        if name and name not in row:
            # PostgreSQL cannot store NUL characters in text; no honest cell holds one.
            row[name] = value.replace("\x00", "").strip()[:MAX_CELL_CHARS]
    sheet.rows.append((line, row))


def _cell_text(value: object) -> str:
    """Return a cell's value as the text a person sees: 812345 not 812345.0, 07:30 for a time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%H:%M") if value.date() == date(1899, 12, 30) else value.isoformat(sep=" ")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
