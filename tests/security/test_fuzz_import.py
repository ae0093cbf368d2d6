"""Hostile spreadsheets at the organizer's import: a clear message in Indonesian, never a 500, nothing half-stored."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Event, Organization, Registration, Representative
from app.models.organization import organization_needs
from app.organizer.services.importing import ALIASES, COLUMNS, check_sheet
from app.organizer.services.spreadsheet import SpreadsheetError, read_spreadsheet
from tests.factories import make_event
from tests.organizer.spreadsheets import DAWUHANSENGON, GERBO, LEBAK_REJO, confirm, csv_bytes, row, upload, xlsx_bytes
from tests.security.conftest import table_counts
from tests.security.fuzzing import FUZZ, SCRIPT, hostile_text

NOT_A_WORKBOOK = "Berkas ini bukan buku kerja Excel (.xlsx)."


@pytest.fixture
def event(sectors):
    event = make_event(name="Temu Bisnis Pasuruan")
    db.session.commit()
    return event


def forget_imports() -> None:
    """Remove what an example imported, so the next example starts from the same state."""
    db.session.rollback()
    for table in (organization_needs, Representative.__table__, Registration.__table__):
        db.session.execute(delete(table))
    db.session.execute(delete(Organization).where(Organization.village_code.is_not(None)))
    db.session.commit()


def assert_consistent() -> None:
    """Every imported cooperative is registered and has a representative: nothing was written halfway."""
    db.session.expire_all()
    for organization in db.session.scalars(select(Organization).where(Organization.village_code.is_not(None))):
        assert organization.representatives, organization.name
        assert db.session.scalar(select(Registration.id).where(Registration.organization_id == organization.id))


def assert_page_is_safe(response) -> None:
    assert response.status_code < 500, response.status_code
    assert SCRIPT not in response.text, "HTML from the file must come back escaped"


# ---------------------------------------------------------------- the reader alone
@FUZZ
@given(
    name=st.sampled_from(["k.csv", "k.xlsx", "k.txt", "k.CSV", "k.pdf", "", "k.xlsx.csv"]),
    data=st.one_of(
        st.binary(max_size=600),
        st.just(b"PK\x03\x04").flatmap(lambda magic: st.binary(max_size=300).map(lambda tail: magic + tail)),
        st.text(max_size=300).map(lambda text: text.encode("utf-8")),
    ),
)
def test_any_bytes_are_read_as_a_sheet_or_refused_with_a_message(app, name, data):
    with app.test_request_context("/?lang=id"):
        try:
            sheet = read_spreadsheet(name, data)
        except SpreadsheetError as error:
            assert str(error).strip()
            return
        preview = check_sheet(Event(name="x", slug="x", venue="x", timezone="Asia/Jakarta"), sheet)
        assert len(preview.rows) == len(sheet.rows)


# ---------------------------------------------------------------- whole files through the pages
cell = st.one_of(
    hostile_text, st.sampled_from([GERBO, DAWUHANSENGON, "3514012003", "0812 3456 7890", "Beras", "09:30"])
)
header_name = st.one_of(st.sampled_from(COLUMNS + tuple(ALIASES)), hostile_text)


@st.composite
def spreadsheets(draw) -> tuple[str, bytes]:
    """A CSV or Excel file: either the documented columns with some cells made hostile, or anything at all."""
    if draw(st.booleans()):
        header = list(COLUMNS)
        rows = []
        for code in draw(st.lists(st.sampled_from([GERBO, DAWUHANSENGON, LEBAK_REJO]), min_size=1, max_size=3)):
            values = row(code)
            for column in draw(st.lists(st.sampled_from(COLUMNS), max_size=3)):
                values[column] = draw(cell)
            rows.append(values)
    else:
        header = draw(st.lists(header_name, max_size=10))
        rows = [
            dict(zip(header, draw(st.lists(cell, max_size=12)), strict=False)) for _ in range(draw(st.integers(0, 3)))
        ]
    if draw(st.booleans()):
        return "koperasi.xlsx", xlsx_bytes(
            [{k: _xml_safe(v) for k, v in r.items()} for r in rows], header=[_xml_safe(h) for h in header]
        )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(c, "") for c in header])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return "koperasi.csv", out.getvalue().encode(encoding, errors="replace")


def _xml_safe(text: str) -> str:
    """Excel cannot hold control characters; openpyxl refuses them, so the fuzzer leaves them out of workbooks."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


@FUZZ
@given(spreadsheet=spreadsheets())
def test_a_hostile_spreadsheet_is_previewed_or_refused_and_never_half_imported(organizer_client, event, spreadsheet):
    filename, data = spreadsheet
    before = table_counts()
    try:
        preview = upload(organizer_client, event, filename, data)
        assert_page_is_safe(preview)
        assert table_counts() == before, "the preview writes nothing"
        if f'action="{preview.request.path}/confirm"' in preview.text:
            done = confirm(organizer_client, event, preview, skip_invalid=True)
            assert_page_is_safe(done)
            after = table_counts()
            if "koperasi terdaftar" not in done.text:
                assert after == before, "a refused import writes nothing"
            assert_consistent()
    finally:
        forget_imports()


# ---------------------------------------------------------------- the files people really send
def zip_bomb() -> bytes:
    """A tiny .xlsx whose workbook part unpacks to 120 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/workbook.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(120):
                part.write(chunk)
    return buffer.getvalue()


def wide_csv(columns: int) -> bytes:
    header = list(COLUMNS) + [f"kolom_{n}" for n in range(columns)]
    return csv_bytes([row(GERBO)], header=header)


HOSTILE_FILES = {
    "random-bytes-named-xlsx": ("k.xlsx", bytes(range(256)) * 4, NOT_A_WORKBOOK),
    "csv-named-xlsx": ("k.xlsx", csv_bytes([row(GERBO)]), NOT_A_WORKBOOK),
    "truncated-zip": ("k.xlsx", b"PK\x03\x04" + b"\x00" * 100, NOT_A_WORKBOOK),
    "png-named-csv": ("k.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Berkas ini bukan berkas teks CSV."),
    "pdf": ("k.pdf", b"%PDF-1.4\n", "Unggah berkas CSV (.csv) atau Excel (.xlsx)."),
    "no-extension": ("koperasi", csv_bytes([row(GERBO)]), "Unggah berkas CSV (.csv) atau Excel (.xlsx)."),
    "empty": ("k.csv", b"", "Berkasnya kosong."),
    "only-a-bom": ("k.csv", b"\xef\xbb\xbf", "Berkasnya kosong."),
    "thousands-of-columns": ("k.csv", wide_csv(5000), "Berkas memiliki terlalu banyak kolom (paling banyak 40)."),
    "huge-cell": (
        "k.csv",
        csv_bytes([row(GERBO, nama_koperasi="K" * 200_000)]),
        "Ada sel yang terlalu panjang, atau tanda kutip",
    ),
    "missing-columns": ("k.csv", b"nama,telepon\nKoperasi,0812\n", "Berkas tidak memiliki kolom wajib"),
    "duplicate-columns": (
        "k.csv",
        csv_bytes([row(GERBO)], header=list(COLUMNS) + ["kode_desa", "no_wa"]),
        "1 baris siap diimpor.",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_file_that_is_not_a_good_spreadsheet_gets_a_clear_indonesian_message(organizer_client, event, case):
    filename, data, message = HOSTILE_FILES[case]
    before = table_counts()
    response = upload(organizer_client, event, filename, data)
    assert response.status_code == 200
    assert message in response.text
    assert table_counts() == before


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_unpacked(organizer_client, event):
    response = upload(organizer_client, event, "k.xlsx", zip_bomb())
    assert response.status_code == 200
    assert "Buku kerja terlalu besar setelah dibuka." in response.text
    assert table_counts()["organizations"] == 0


def test_an_excel_sheet_with_thousands_of_columns_reads_the_documented_ones(organizer_client, event):
    header = list(COLUMNS) + [f"kolom_{n}" for n in range(2000)]
    preview = upload(organizer_client, event, "k.xlsx", xlsx_bytes([row(GERBO)], header=header))
    assert "1 baris siap diimpor." in preview.text
    confirm(organizer_client, event, preview)
    assert db.session.scalar(select(Organization.village_code)) == GERBO


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_in_utf16_with_a_bom_is_read(organizer_client, event, encoding):
    text = csv_bytes([row(GERBO, nama_perwakilan="Siti Rahayu Ñ")], delimiter="\t").decode()
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    preview = upload(organizer_client, event, "koperasi.txt", bom + text.encode(encoding))
    assert "1 baris siap diimpor." in preview.text
    confirm(organizer_client, event, preview)
    assert db.session.scalar(select(Representative.name)) == "Siti Rahayu Ñ"


def test_nul_characters_inside_cells_are_dropped_not_sent_to_the_database(organizer_client, event):
    header, line = csv_bytes([row(GERBO, nama_koperasi="Koperasi\x00 Gerbo", jabatan="Ketua\x00")]).split(b"\n", 1)
    data = header + b"\n" * 5000 + line  # past the first 4 KB, where a NUL means "not a text file"
    preview = upload(organizer_client, event, "k.csv", data)
    assert preview.status_code == 200
    done = confirm(organizer_client, event, preview)
    assert done.status_code == 200
    organization = db.session.scalar(select(Organization))
    assert organization.name == "Koperasi Gerbo"
    assert organization.representatives[0].position == "Ketua"


def test_html_in_a_cell_is_shown_escaped_in_the_preview(organizer_client, event):
    preview = upload(organizer_client, event, "k.csv", csv_bytes([row("35.14.99.9999", nama_koperasi=SCRIPT)]))
    assert SCRIPT not in preview.text
    assert "&lt;script&gt;" in preview.text
