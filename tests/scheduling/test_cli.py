"""The command line: exit codes and messages, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .factories import make_problem_dict

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.scheduling", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def write(tmp_path: Path, name: str, doc: dict | str) -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_solve_writes_a_timetable_that_check_accepts(tmp_path):
    problem = write(tmp_path, "p.json", make_problem_dict(["a", "b", "c"],
                                                          [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}]))
    out = tmp_path / "t.json"
    done = run("solve", problem, "-o", str(out), "--time-limit", "5", "--workers", "1", "--seed", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("optimal: served 3")
    assert json.loads(out.read_text())["format"] == "matching-timetable/1"
    checked = run("check", problem, str(out))
    assert checked.returncode == 0 and checked.stdout.startswith("valid")


def test_keep_reuses_a_published_timetable(tmp_path):
    problem = write(tmp_path, "p.json", make_problem_dict(["a", "b", "c"],
                                                          [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}]))
    first = tmp_path / "t1.json"
    assert run("solve", problem, "-o", str(first), "--workers", "1").returncode == 0
    second = tmp_path / "t2.json"
    done = run("solve", problem, "-o", str(second), "--workers", "1", "--keep", str(first))
    assert done.returncode == 0, done.stderr
    assert json.loads(second.read_text())["stability"] == {"kept": 2, "moved": 0, "dropped": 0}


def test_infeasible_problem_exits_2_with_conflicts(tmp_path):
    reqs = [{"parties": ["a", x], "required": True} for x in "bcd"]
    problem = write(tmp_path, "p.json", make_problem_dict(list("abcd"), reqs, slots=2))
    done = run("solve", problem, "--workers", "1")
    assert done.returncode == 2
    doc = json.loads(done.stdout)
    assert doc["status"] == "infeasible" and doc["conflicts"][0]["kind"] == "party_overload"
    assert "conflict: A has 3 required meetings but only 2 free slots" in done.stderr


def test_malformed_input_exits_1_without_traceback(tmp_path):
    cases = {
        "broken.json": "{not json",
        "unknown.json": make_problem_dict(["a"], [{"parties": ["a", "ghost"]}]),
    }
    for name, doc in cases.items():
        done = run("solve", write(tmp_path, name, doc))
        assert done.returncode == 1
        assert done.stderr.startswith("error: ")
        assert "Traceback" not in done.stderr
    missing = run("solve", str(tmp_path / "nowhere.json"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_check_exits_1_naming_each_violation(tmp_path):
    problem = write(tmp_path, "p.json", make_problem_dict(["a", "b"], [{"parties": ["a", "b"]}], tables=1))
    bad = write(tmp_path, "t.json", {"format": "matching-timetable/1", "status": "feasible",
                                     "meetings": [{"request": "r1", "slot": "s1", "table": 3}], "unscheduled": []})
    done = run("check", problem, bad)
    assert done.returncode == 1
    assert "violation: request 'r1': table 3 is not a table of the shared pool (1..1)" in done.stdout
