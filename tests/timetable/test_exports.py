"""Exports a Dinas officer can open anywhere: print sheets, PDF, CSV, XLSX, JSON; and JSON back in as a draft."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import SolveRun, TimetableVersion, VersionStatus
from app.scheduling import Problem, Timetable, check
from app.timetable.exports import safe_cell
from app.timetable.jobs import run_solve, start_solve


@pytest.fixture
def draft(small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    run_solve(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id).version


def url(small, path):
    return f"/organizer/events/{small.event.id}/timetable{path}"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+62812", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["KDKMP Wonokerto", "09.00", 3, None, ""])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_export_lists_every_meeting_and_neutralises_formulas(client, organizer, small, draft):
    small.cooperatives[0].name = '=HYPERLINK("http://evil.example","klik")'
    db.session.commit()
    response = client.get(url(small, f"/versions/{draft.id}/timetable.csv"))
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Tanggal", "Mulai", "Selesai"]
    assert len(rows) == 4
    guests = {row[6] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","klik")' in guests
    assert all(row[3] == "BUMN A" for row in rows[1:])


def test_xlsx_export_opens_in_a_spreadsheet_without_formulas(client, organizer, small, draft):
    small.cooperatives[1].name = "+62 812 evil"
    db.session.commit()
    response = client.get(url(small, f"/versions/{draft.id}/timetable.xlsx"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Tanggal" and len(values) == 4
    assert "'+62 812 evil" in {row[6] for row in values[1:]}
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_json_exports_pass_the_specs_check(client, organizer, small, draft):
    problem = Problem.from_dict(client.get(url(small, "/problem.json")).get_json())
    timetable = Timetable.from_dict(client.get(url(small, f"/versions/{draft.id}/timetable.json")).get_json())
    report = check(problem, timetable)
    assert report.ok, report.violations
    assert len(timetable.meetings) == 3 and timetable.objective["served"] == 4


def test_pdf_sheets_are_real_pdfs(client, organizer, small, draft):
    for path in ("booths.pdf", "cooperatives.pdf"):
        response = client.get(url(small, f"/versions/{draft.id}/{path}"))
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
        assert len(response.data) > 1000


def test_print_pages_show_each_booth_and_cooperative(client, organizer, small, draft):
    booths = client.get(url(small, f"/versions/{draft.id}/print/booths")).get_data(as_text=True)
    assert "A1 · BUMN A" in booths and "Meja 2" in booths and "@media print" not in booths
    assert "css/timetable.css" in booths
    agendas = client.get(url(small, f"/versions/{draft.id}/print/cooperatives")).get_data(as_text=True)
    assert all(c.name in agendas for c in small.cooperatives)


def test_an_exported_timetable_comes_back_in_as_a_draft(client, organizer, small, draft):
    exported = client.get(url(small, f"/versions/{draft.id}/timetable.json")).data
    response = client.post(
        url(small, "/import"),
        data={"file": (io.BytesIO(exported), "jadwal.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    imported = db.session.scalars(select(TimetableVersion).where(TimetableVersion.status == VersionStatus.DRAFT)).one()
    assert imported.id != draft.id and imported.solver_status == "imported" and len(imported.entries) == 3
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DISCARDED


def test_a_timetable_that_breaks_the_rules_is_refused_and_nothing_changes(client, organizer, small, draft):
    document = json.loads(client.get(url(small, f"/versions/{draft.id}/timetable.json")).data)
    for meeting in document["meetings"]:  # everyone at nine, at table 1
        meeting["slot"], meeting["table"] = "d20251008-0900", 1
    response = client.post(
        url(small, "/import"),
        data={"file": (io.BytesIO(json.dumps(document).encode()), "jadwal.json")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200 and "Tidak diimpor:" in html and "Jadwal ini tidak cocok dengan acara ini:" in html
    )
    assert db.session.scalar(select(func.count()).select_from(TimetableVersion)) == 1
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DRAFT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "Berkas ini bukan JSON yang sah."),
        (b'{"format": "matching-problem/1"}', "bukan jadwal berformat matching-timetable/1"),
        (b'{"format": "matching-timetable/1", "status": "infeasible"}', "tidak berisi jadwal"),
    ],
)
def test_a_wrong_file_is_refused_in_indonesian(client, organizer, small, content, message):
    response = client.post(
        url(small, "/import"),
        data={"file": (io.BytesIO(content), "jadwal.json")},
        content_type="multipart/form-data",
    )
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TimetableVersion)) == 0


def test_only_json_files_are_accepted(client, organizer, small):
    response = client.post(
        url(small, "/import"),
        data={"file": (io.BytesIO(b"x"), "jadwal.xlsx")},
        content_type="multipart/form-data",
    )
    assert "Unggah berkas .json." in response.get_data(as_text=True)
