"""Building CSV and Excel uploads for the import tests, and sending them through the pages."""

from __future__ import annotations

import csv
import io

from app.organizer.services.importing import COLUMNS

WONOKERTO = "35.14.09.2019"
GERBO = "35.14.01.2001"
DAWUHANSENGON = "35.14.01.2002"
LEBAK_REJO = "35.14.01.2003"


def row(code: str = GERBO, **overrides: str) -> dict[str, str]:
    """Return a valid import row for the village, with overrides."""
    values = {
        "kode_desa": code,
        "nama_koperasi": f"Koperasi Desa Merah Putih {code}",
        "nama_perwakilan": "Siti Rahayu",
        "jabatan": "Ketua Pengurus",
        "no_whatsapp": "0812-3456-7890",
        "email": "siti@example.org",
        "kebutuhan": "Beras, lpg",
        "hadir_mulai": "",
        "hadir_sampai": "",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict[str, str]], header=COLUMNS, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """Return the rows as a CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(c, "") for c in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, object]], header=COLUMNS) -> bytes:
    """Return the rows as an Excel workbook; strings stay strings even when they look like formulas."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for r, values in enumerate(rows, start=2):
        for c, column in enumerate(header, start=1):
            value = values.get(column, "")
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, event, filename: str, data: bytes, follow: bool = True):
    """Post a file to the event's import page."""
    return client.post(
        f"/organizer/events/{event.id}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def confirm(client, event, preview_response, skip_invalid: bool = False):
    """Confirm the import whose preview the response shows."""
    path = preview_response.request.path
    data = {"skip_invalid": "y"} if skip_invalid else {}
    return client.post(path + "/confirm", data=data, follow_redirects=True)
