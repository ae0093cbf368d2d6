"""Hostile matching-problem/1 documents: a ProblemError with a clear message or a valid timetable, never a crash."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from app.scheduling import Problem, ProblemError, SolveOptions, Timetable, check, solve
from app.scheduling.__main__ import main
from tests.factories import make_event
from tests.scheduling.factories import make_problem_dict
from tests.security.conftest import table_counts
from tests.security.fuzzing import FUZZ, json_values, mutated

ROOT = Path(__file__).resolve().parents[2]
STATUSES = {"optimal", "feasible", "infeasible", "unknown"}


def valid_problem() -> dict:
    """A small event: two booths with tables, three cooperatives, a shared pool, three requests."""
    return make_problem_dict(
        [{"id": "bulog", "tables": 2, "unavailable": ["s2"]}, {"id": "pupuk", "tables": 1}, "k1", "k2", "k3"],
        [
            {"parties": ["k1", "bulog"], "weight": 3},
            {"parties": ["k2", "bulog"], "host": "bulog", "session": "am"},
            {"parties": ["k3", "pupuk"], "after": ["r1"], "fixed_slot": "s3"},
        ],
        slots=3,
        tables=1,
        spread=2,
    )


def assert_refused_clearly(error: ProblemError) -> None:
    message = str(error)
    assert message.strip(), "a ProblemError must say what is wrong"
    assert "Traceback" not in message


def solve_quickly(problem: Problem) -> Timetable:
    return solve(problem, SolveOptions(time_limit=1.0, workers=1, seed=1))


def test_the_unmutated_document_solves_to_a_checked_timetable():
    problem = Problem.from_dict(valid_problem())
    timetable = solve_quickly(problem)
    assert timetable.status == "optimal"
    assert check(problem, timetable).ok


@FUZZ
@given(document=mutated(valid_problem()))
def test_a_mutated_problem_is_refused_clearly_or_solved_to_a_valid_timetable(document):
    try:
        problem = Problem.from_dict(document)
    except ProblemError as error:
        assert_refused_clearly(error)
        return
    timetable = solve_quickly(problem)
    assert timetable.status in STATUSES
    if timetable.status in ("optimal", "feasible"):
        assert check(problem, timetable).ok
    # What the parser accepted, it writes back in a form it accepts again.
    assert Problem.from_dict(json.loads(json.dumps(problem.to_dict()))) == problem


@FUZZ
@given(document=json_values)
def test_any_json_value_is_refused_clearly_or_read(document):
    try:
        Problem.from_dict(document)
    except ProblemError as error:
        assert_refused_clearly(error)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_random_text_is_refused_as_a_problem_error(text):
    with pytest.raises(ProblemError):
        Problem.from_json(text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("[" * 100_000, "too deeply nested"),
        ("1" * 5000, "not valid JSON"),
        ('{"format": "matching-problem/1", "tables": ' + "9" * 5000 + "}", "not valid JSON"),
    ],
    ids=["deep-nesting", "huge-number", "huge-integer-field"],
)
def test_json_that_breaks_the_parser_itself_is_refused(text, words):
    with pytest.raises(ProblemError, match=words):
        Problem.from_json(text)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"timezone": "Asia"}, "unknown timezone"),
        ({"timezone": "America"}, "unknown timezone"),
        ({"timezone": "x" * 300}, "unknown timezone"),
        ({"tables": 10**30}, "'tables' must be at most"),
        ({"rules": {"max_break_spread": 10**30}}, "'max_break_spread' must be at most"),
    ],
    ids=["region-folder", "continent-folder", "long-name", "huge-pool", "huge-spread"],
)
def test_values_that_crashed_the_solver_are_refused_with_a_message(change, words):
    document = {**valid_problem(), **change}
    with pytest.raises(ProblemError, match=words):
        Problem.from_dict(document)


def test_a_weight_too_large_for_the_solver_is_refused():
    document = valid_problem()
    document["requests"][0]["weight"] = 10**30
    with pytest.raises(ProblemError, match="'weight' must be at most"):
        Problem.from_dict(document)


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_slots_at_the_ends_of_the_calendar_are_refused(when):
    document = valid_problem()
    document["slots"][0]["start"] = when
    document["slots"][0]["end"] = when.replace("00:00:00", "00:20:00").replace("23:59:59", "23:59:59.5")
    with pytest.raises(ProblemError, match="year"):
        Problem.from_dict(document)


# ---------------------------------------------------------------- the command line
def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@FUZZ
@given(document=mutated(valid_problem()))
def test_the_command_line_answers_a_mutated_problem_with_an_exit_code_not_a_traceback(tmp_path_factory, document):
    folder = tmp_path_factory.mktemp("cli")
    problem = _write(folder, "p.json", json.dumps(document).encode())
    output = folder / "t.json"
    code = main(["solve", problem, "-o", str(output), "--time-limit", "1", "--workers", "1"])
    assert code in (0, 1, 2, 3)
    if code == 0:
        assert check(Problem.load(problem), Timetable.load(str(output))).ok


@FUZZ
@given(document=mutated(json.loads(Timetable("optimal").to_json())))
def test_the_checker_answers_a_mutated_timetable_with_an_exit_code(tmp_path_factory, capsys, document):
    folder = tmp_path_factory.mktemp("cli")
    problem = _write(folder, "p.json", json.dumps(valid_problem()).encode())
    timetable = _write(folder, "t.json", json.dumps(document).encode())
    assert main(["check", problem, timetable]) in (0, 1)
    capsys.readouterr()


BAD_FILES = {
    "utf16-bytes": b"\xff\xfe\x00\x00garbage",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00",
    "deep-nesting": b"[" * 100_000,
    "huge-integer": b'{"format": "matching-problem/1", "tables": ' + b"9" * 5000 + b"}",
    "directory-timezone": json.dumps({**valid_problem(), "timezone": "Asia"}).encode(),
    "huge-tables": json.dumps({**valid_problem(), "tables": 10**30}).encode(),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_the_command_line_exits_1_with_a_message_on_a_bad_file(tmp_path, capsys, case):
    problem = _write(tmp_path, "p.json", BAD_FILES[case])
    assert main(["solve", problem, "--time-limit", "1", "--workers", "1"]) == 1
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.parametrize("case", ["png", "directory-timezone"])
def test_python_m_app_scheduling_exits_1_with_a_message_not_a_traceback(tmp_path, case):
    problem = _write(tmp_path, "p.json", BAD_FILES[case])
    done = subprocess.run(
        [sys.executable, "-m", "app.scheduling", "solve", problem, "--time-limit", "1", "--workers", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: ")
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- the organizer's timetable upload
def upload_timetable(client, event, content: bytes):
    return client.post(
        f"/organizer/events/{event.id}/timetable/import",
        data={"file": (io.BytesIO(content), "jadwal.json")},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[" * 100_000, "Berkas ini bukan JSON yang sah."),
        (b'{"format": "matching-timetable/1", "status": ' + b"9" * 5000 + b"}", "Berkas ini bukan JSON yang sah."),
        (b"\xff\xfe\x00garbage", "Berkas ini bukan JSON yang sah."),
        (b'{"format": "matching-timetable/1", "status": "optimal", "meetings": 1}', "meetings&#39; must be a list"),
    ],
    ids=["deep-nesting", "huge-integer", "not-utf8", "meetings-not-a-list"],
)
def test_an_organizer_uploading_a_broken_timetable_gets_a_message_not_a_500(organizer_client, content, message):
    event = make_event()
    db.session.commit()
    before = table_counts()
    response = upload_timetable(organizer_client, event, content)
    assert response.status_code == 200
    assert message in response.text
    assert table_counts() == before
