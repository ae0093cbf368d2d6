"""The import template to download, as CSV and as Excel, with an example row and notes in Indonesian."""

from __future__ import annotations

import csv
import io

from app.organizer.services.importing import COLUMNS

EXAMPLE = {
    "kode_desa": "35.14.09.2019",
    "nama_koperasi": "Koperasi Desa Merah Putih Wonokerto",
    "nama_perwakilan": "Siti Rahayu",
    "jabatan": "Ketua Pengurus",
    "no_whatsapp": "081234567890",
    "email": "kdkmp.wonokerto@example.org",
    "kebutuhan": "Beras, Gas LPG, Pupuk",
    "hadir_mulai": "09:00",
    "hadir_sampai": "14:00",
}

# Column notes for the people filling the sheet in; the sheet itself is always in Indonesian.
NOTES = {
    "kode_desa": "Wajib. Kode wilayah desa/kelurahan resmi (Kemendagri), contoh 35.14.09.2019.",
    "nama_koperasi": "Wajib. Nama lengkap koperasi.",
    "nama_perwakilan": "Wajib. Nama orang yang hadir mewakili koperasi.",
    "jabatan": "Boleh kosong. Jabatan perwakilan, contoh Ketua Pengurus.",
    "no_whatsapp": "Wajib. Nomor WhatsApp, contoh 081234567890 atau +6281234567890.",
    "email": "Boleh kosong. Alamat email perwakilan.",
    "kebutuhan": "Boleh kosong. Sektor yang dibutuhkan, dipisah koma, contoh: Beras, Gas LPG, Pupuk.",
    "hadir_mulai": "Boleh kosong. Jam datang (waktu setempat) bila terlambat, format JJ:MM, contoh 10:15.",
    "hadir_sampai": "Boleh kosong. Jam pulang (waktu setempat) bila pulang lebih awal, format JJ:MM.",
}


def template_csv() -> bytes:
    """Return the template as UTF-8 CSV (with BOM, so Excel shows the letters right) with one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE[c] for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """Return the template as an Excel workbook: a data sheet with an example row and a sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index, value=EXAMPLE[column])
        cell.data_type = "s"
        # Text cells keep the leading 0 of phone numbers and the dots of village codes.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
        sheet.column_dimensions[cell.column_letter].width = max(14, len(EXAMPLE[column]) + 2)
    notes = workbook.create_sheet("Petunjuk")
    notes.append(["Kolom", "Keterangan"])
    for column in COLUMNS:
        notes.append([column, NOTES[column]])
    notes.append([])
    notes.append(["", "Isi satu baris per koperasi di lembar Data. Hapus baris contoh sebelum mengunggah."])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
