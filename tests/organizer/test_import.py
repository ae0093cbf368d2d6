"""Importing cooperatives from CSV and Excel: every row checked in a preview, nothing written until confirmed."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Organization, Registration, Representative
from app.organizer.services import importing, spreadsheet
from tests.factories import make_event, make_organization
from tests.organizer.spreadsheets import (
    DAWUHANSENGON,
    GERBO,
    LEBAK_REJO,
    WONOKERTO,
    confirm,
    csv_bytes,
    row,
    upload,
    xlsx_bytes,
)

FORMATS = {
    "csv": lambda rows: ("koperasi.csv", csv_bytes(rows)),
    "xlsx": lambda rows: ("koperasi.xlsx", xlsx_bytes(rows)),
}


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organization, Registration, Representative)
    )


@pytest.fixture
def event(sectors):
    event = make_event(name="Temu Bisnis Pasuruan")
    db.session.commit()
    return event


@pytest.mark.parametrize("fmt", FORMATS)
def test_organizer_imports_cooperatives_after_checking_the_preview(organizer_client, event, fmt):
    filename, data = FORMATS[fmt](
        [row(GERBO, hadir_mulai="10:15"), row(DAWUHANSENGON, no_whatsapp="+62 813 1111 2222", hadir_sampai="11.30")]
    )
    preview = upload(organizer_client, event, filename, data)
    assert preview.status_code == 200
    assert "2 baris siap diimpor." in preview.text
    assert counts() == (0, 0, 0)  # the preview writes nothing

    done = confirm(organizer_client, event, preview)
    assert "2 koperasi terdaftar." in done.text
    gerbo = db.session.scalar(select(Organization).where(Organization.village_code == GERBO))
    assert gerbo.name == f"Koperasi Desa Merah Putih {GERBO}"
    assert gerbo.address == "Desa Gerbo, Kecamatan Purwodadi, Kabupaten Pasuruan"
    assert [s.code for s in gerbo.needs] == ["lpg", "rice"]
    rep = gerbo.representatives[0]
    assert (rep.name, rep.position, rep.whatsapp, rep.email) == (
        "Siti Rahayu",
        "Ketua Pengurus",
        "+6281234567890",
        "siti@example.org",
    )
    registration = db.session.scalar(select(Registration).where(Registration.organization_id == gerbo.id))
    assert registration.available_from == datetime(2025, 10, 8, 3, 15, tzinfo=UTC)  # 10:15 WIB
    other = db.session.scalar(select(Registration).join(Organization).where(Organization.village_code == DAWUHANSENGON))
    assert other.available_until == datetime(2025, 10, 8, 4, 30, tzinfo=UTC)
    assert other.organization.representatives[0].whatsapp == "+6281311112222"


BAD_ROWS = [
    (row("35.14.99.9999"), "Kode desa 35.14.99.9999 tidak dikenal."),
    (row(GERBO), None),
    (row(GERBO, nama_perwakilan="Budi"), f"Kode desa {GERBO} juga ada di baris 3."),
    (row(WONOKERTO), "Koperasi ini sudah terdaftar di acara ini."),
    (row(DAWUHANSENGON, no_whatsapp="021-555-1234"), "021-555-1234 bukan nomor HP (WhatsApp) Indonesia."),
    (row(LEBAK_REJO, nama_koperasi=""), "Nama koperasi (nama_koperasi) belum diisi."),
    (row("35.14.01.2004", nama_perwakilan=""), "Nama perwakilan (nama_perwakilan) belum diisi."),
    (row("35.14.01.2005", email="siti@@example"), "siti@@example bukan alamat email yang sah."),
    (row("35.14.01.2006", kebutuhan="Beras, Semen"), "Kebutuhan tidak dikenal: Semen."),
    (row("35.14.01.2007", hadir_mulai="jam 9"), "hadir_mulai harus berupa jam seperti 09:30, bukan jam 9."),
    (row("35.14.01.2008", no_whatsapp=""), "Nomor WhatsApp (no_whatsapp) belum diisi."),
    (row("", nama_koperasi="Tanpa kode"), "Kode desa (kode_desa) belum diisi."),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_kind_of_bad_row_is_shown_and_nothing_is_written(organizer_client, event, fmt):
    wonokerto = make_organization(village_code=WONOKERTO)
    db.session.add(Registration(event=event, organization=wonokerto))
    db.session.commit()
    before = counts()
    filename, data = FORMATS[fmt]([r for r, _message in BAD_ROWS])
    preview = upload(organizer_client, event, filename, data)
    for _row, message in BAD_ROWS:
        if message:
            assert message in preview.text
    assert "1 baris siap diimpor." in preview.text
    assert f"{len(BAD_ROWS) - 1} baris bermasalah." in preview.text

    refused = confirm(organizer_client, event, preview)
    assert "Ada baris yang bermasalah." in refused.text
    assert counts() == before


def test_organizer_skips_the_bad_rows_and_imports_the_others(organizer_client, event):
    preview = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO), row("35.14.99.9999")]))
    done = confirm(organizer_client, event, preview, skip_invalid=True)
    assert "1 koperasi terdaftar. 1 baris dilewati." in done.text
    assert db.session.scalar(select(Organization.village_code)) == GERBO


def test_fixing_the_file_and_uploading_again_replaces_the_first_upload(organizer_client, event, app):
    first = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO, no_whatsapp="12345")]))
    assert "12345 bukan nomor HP" in first.text
    second = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO)]))
    assert "1 baris siap diimpor." in second.text
    # The first upload is gone from the server and its link no longer works.
    assert organizer_client.get(first.request.path).status_code == 404
    confirm(organizer_client, event, second)
    assert counts() == (1, 1, 1)


def test_a_cancelled_import_leaves_nothing_behind(organizer_client, event, app):
    preview = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO)]))
    from pathlib import Path

    folder = Path(app.config["IMPORT_DIR"])
    assert len(list(folder.glob("*.json"))) == 1
    organizer_client.post(preview.request.path + "/cancel")
    assert list(folder.glob("*.json")) == []
    assert counts() == (0, 0, 0)


def test_semicolon_separated_csv_with_bom_from_excel_in_indonesian(organizer_client, event):
    data = "\ufeff".encode() + csv_bytes([row(GERBO, kebutuhan="Beras, Pupuk")], delimiter=";")
    preview = upload(organizer_client, event, "k.csv", data)
    assert "1 baris siap diimpor." in preview.text
    confirm(organizer_client, event, preview)
    assert [s.code for s in db.session.scalar(select(Organization)).needs] == ["fertiliser", "rice"]


def test_a_csv_saved_in_the_windows_code_page_still_reads(organizer_client, event):
    data = csv_bytes([row(GERBO, nama_perwakilan="Sité Rahayu")], encoding="cp1252")
    preview = upload(organizer_client, event, "k.csv", data)
    assert "1 baris siap diimpor." in preview.text


def test_excel_numbers_and_times_are_read_as_people_see_them(organizer_client, event):
    from datetime import time

    data = xlsx_bytes([row(GERBO, kode_desa=3514012001, no_whatsapp=81234567890, hadir_mulai=time(10, 15))])
    preview = upload(organizer_client, event, "k.xlsx", data)
    assert "1 baris siap diimpor." in preview.text
    confirm(organizer_client, event, preview)
    assert db.session.scalar(select(Representative.whatsapp)) == "+6281234567890"


@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_looking_cells_are_stored_as_text(organizer_client, event, fmt):
    formula = '=HYPERLINK("http://contoh.test","klik")'
    filename, data = FORMATS[fmt]([row(GERBO, nama_koperasi=formula, jabatan="+SUM(1,2)")])
    confirm(organizer_client, event, upload(organizer_client, event, filename, data))
    organization = db.session.scalar(select(Organization))
    assert organization.name == formula
    assert organization.representatives[0].position == "+SUM(1,2)"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_file_round_trips(organizer_client, event, fmt):
    template = organizer_client.get(f"/organizer/import-template.{fmt}")
    assert template.status_code == 200
    assert "attachment" in template.headers["Content-Disposition"]
    preview = upload(organizer_client, event, f"template.{fmt}", template.data)
    assert "1 baris siap diimpor." in preview.text
    confirm(organizer_client, event, preview)
    wonokerto = db.session.scalar(select(Organization).where(Organization.village_code == WONOKERTO))
    assert wonokerto.representatives[0].whatsapp == "+6281234567890"
    assert {s.code for s in wonokerto.needs} == {"rice", "lpg", "fertiliser"}


def test_the_excel_template_explains_each_column_in_indonesian(organizer_client):
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(organizer_client.get("/organizer/import-template.xlsx").data))
    notes = {r[0]: r[1] for r in workbook["Petunjuk"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert set(importing.COLUMNS) <= set(notes)
    assert notes["kode_desa"].startswith("Wajib.")


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("k.xlsx", b"kode_desa,nama_koperasi\n", "Berkas ini bukan buku kerja Excel (.xlsx)."),
        ("k.xlsx", b"PK\x03\x04not really a zip", "Berkas ini bukan buku kerja Excel (.xlsx)."),
        ("k.csv", xlsx_bytes([row()]), "Berkas ini buku kerja Excel, bukan CSV."),
        ("k.pdf", b"%PDF-1.4", "Unggah berkas CSV (.csv) atau Excel (.xlsx)."),
        ("k.csv", b"", "Berkasnya kosong."),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_with_a_clear_message(
    organizer_client, event, filename, data, message
):
    response = upload(organizer_client, event, filename, data)
    assert message in response.text
    assert counts() == (0, 0, 0)


def test_a_zip_that_is_not_a_workbook_is_refused(organizer_client, event):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "halo")
    response = upload(organizer_client, event, "k.xlsx", buffer.getvalue())
    assert "Berkas ini bukan buku kerja Excel (.xlsx)." in response.text


def test_a_file_without_the_required_columns_cannot_be_imported(organizer_client, event):
    preview = upload(organizer_client, event, "k.csv", b"nama,telepon\nKoperasi,0812\n")
    assert "Berkas tidak memiliki kolom wajib: kode_desa, nama_koperasi, nama_perwakilan, no_whatsapp." in preview.text
    assert 'action="' + preview.request.path + '/confirm"' not in preview.text


def test_too_many_rows_are_refused(organizer_client, event, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 2)
    response = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO), row(DAWUHANSENGON), row(LEBAK_REJO)]))
    assert "Berkas berisi lebih dari 2 baris." in response.text


def test_a_cooperative_known_from_an_earlier_event_is_registered_again_without_duplicates(organizer_client, event):
    earlier = make_event()
    gerbo = make_organization(village_code=GERBO, name="KDKMP Gerbo")
    gerbo.representatives.append(Representative(name="Siti Rahayu", whatsapp="+6281234567890"))
    db.session.add(Registration(event=earlier, organization=gerbo))
    db.session.commit()
    confirm(organizer_client, event, upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO)])))
    assert counts() == (1, 2, 1)
    assert db.session.scalar(select(Organization.name)) == "KDKMP Gerbo"


def test_the_import_is_one_transaction(organizer_client, event, monkeypatch):
    preview = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO), row(DAWUHANSENGON)]))

    def fail(*_args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing, "_insert_needs", fail)
    with pytest.raises(RuntimeError):
        confirm(organizer_client, event, preview)
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_another_organizer_cannot_open_my_upload(organizer_client, event, app):
    from app.models import Role
    from tests.organizer.conftest import log_in, make_user

    preview = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO)]))
    other = make_user(Role.ORGANIZER)
    db.session.commit()
    client = app.test_client()
    log_in(client, other)
    assert client.get(preview.request.path).status_code == 404
    assert client.post(preview.request.path + "/confirm").status_code == 404
    assert counts() == (0, 0, 0)


def test_arrival_times_need_the_events_days(organizer_client, sectors):
    event = make_event()
    event.days.clear()
    db.session.commit()
    preview = upload(organizer_client, event, "k.csv", csv_bytes([row(GERBO, hadir_mulai="10:00")]))
    assert "Tambahkan hari acara sebelum mengimpor jam datang dan jam pulang." in preview.text
