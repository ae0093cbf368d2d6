"""JSON round trips, malformed input, progress and stop, and the package's purity."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.scheduling import Problem, ProblemError, SolveOptions, Timetable, check, solve

from .factories import make_problem, make_problem_dict


def test_problem_round_trips_through_json():
    doc = make_problem_dict([{"id": "x", "tables": 2, "unavailable": ["s1"]}, "a"],
                            [{"parties": ["a", "x"], "weight": 3, "required": True, "after": []}], spread=1)
    problem = Problem.from_dict(doc)
    assert Problem.from_dict(json.loads(json.dumps(problem.to_dict()))) == problem


def test_timetable_round_trips_through_json():
    problem = make_problem(["a", "b", "c"], [{"parties": ["a", "b"]}, {"parties": ["a", "c"]}], slots=1)
    t = solve(problem, SolveOptions(time_limit=5, workers=1, seed=1))
    assert Timetable.from_dict(json.loads(t.to_json())) == t


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format="other"), "'format' must be 'matching-problem/1'"),
    (lambda d: d["requests"][0].update(parties=["a", "zz"]), "request 'r1': unknown party 'zz'"),
    (lambda d: d["requests"][0].update(parties=["a", "a"]), "a party cannot meet itself"),
    (lambda d: d["parties"][0].update(unavailable=["nope"]), "unavailable slot 'nope' is not a slot"),
    (lambda d: d["slots"][0].update(start="yesterday"), "is not an ISO-8601 date-time"),
    (lambda d: d["slots"][0].update(start="2025-10-08T08:00:00"), "must carry a UTC offset"),
    (lambda d: d["requests"][0].update(after=["r9"]), "'after' names unknown request 'r9'"),
    (lambda d: d["requests"][0].update(weight=-1), "'weight' must be an integer >= 0"),
    (lambda d: d["requests"][0].update(host="b"), "host 'b' has no tables"),
    (lambda d: d["parties"].append({"id": "a"}), "duplicate party id 'a'"),
    (lambda d: d.update(timezone="Mars/Olympus"), "unknown timezone"),
])
def test_malformed_problem_is_refused_with_a_clear_message(change, message):
    doc = make_problem_dict(["a", "b"], [{"parties": ["a", "b"]}])
    change(doc)
    with pytest.raises(ProblemError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Problem.from_dict(doc)


def test_check_names_each_violation():
    problem = make_problem([{"id": "a", "unavailable": ["s1"]}, "b", "c"],
                           [{"parties": ["a", "b"]}, {"parties": ["b", "c"], "required": True}], tables=1)
    bad = Timetable.from_dict({"format": "matching-timetable/1", "status": "feasible",
                               "meetings": [{"request": "r1", "slot": "s1", "table": 2}],
                               "unscheduled": [], "objective": {"served": 9}})
    violations = check(problem, bad).violations
    assert "request 'r1': a is unavailable in slot s1" in violations
    assert "request 'r1': table 2 is not a table of the shared pool (1..1)" in violations
    assert "required request 'r2' is not scheduled" in violations
    assert "request 'r2' is neither scheduled nor listed as unscheduled" in violations
    assert "objective served is given as 9 but the timetable has 2" in violations


def test_progress_is_reported_and_stop_returns_a_valid_timetable():
    parties = [{"id": "x", "tables": 2}] + [f"k{i}" for i in range(8)]
    reqs = [{"parties": [f"k{i}", "x"], "weight": 1 + i % 3} for i in range(8)]
    problem = make_problem(parties, reqs, slots=3, tables=0)
    seen: list[dict] = []
    t = solve(problem, SolveOptions(time_limit=10, workers=1), on_progress=seen.append)
    assert seen and {"level", "objective", "bound", "seconds"} <= set(seen[-1])
    stop = threading.Event()
    stop.set()
    stopped = solve(problem, SolveOptions(time_limit=10, workers=1, stop_event=stop))
    assert stopped.status in ("optimal", "feasible")
    assert check(problem, stopped).ok
    assert t.status == "optimal"


def test_a_bound_proven_between_timetables_is_reported_with_the_latest_timetable_value():
    import importlib

    solving = importlib.import_module("app.scheduling.solve")
    seen: list[dict] = []
    run = solving._Run(make_problem(["a", "b"], [{"parties": ["a", "b"]}]), SolveOptions(), seen.append)
    run.report("breaks", None, 2)  # a bound before any timetable: no value is made up
    run.report("breaks", 9, 2)
    run.report("breaks", None, 4)
    assert [(p["objective"].get("breaks"), p["bound"]["breaks"]) for p in seen] == [(None, 2), (9, 2), (9, 4)]


def test_progress_never_takes_back_a_bound_once_proven():
    import importlib

    solving = importlib.import_module("app.scheduling.solve")
    seen: list[dict] = []
    run = solving._Run(make_problem(["a", "b"], [{"parties": ["a", "b"]}]), SolveOptions(), seen.append)
    run.report("breaks", None, 1)  # e.g. the block model proves a break unavoidable
    run.report("breaks", 73, 0)  # then a search that has proven nothing yet finds a timetable
    run.report("served", 10, 12)  # a maximising level's bound is an upper bound: it only comes down
    run.report("served", 11, 15)
    assert [p["bound"] for p in seen][1]["breaks"] == 1
    assert seen[-1]["bound"]["served"] == 12


def test_scheduling_package_imports_no_flask_or_sqlalchemy(tmp_path):
    # load a copy of the package on its own (as `scheduling`, outside the Flask app) and list what came in
    package = Path(__file__).resolve().parents[2] / "app"
    shutil.copytree(package / "scheduling", tmp_path / "scheduling", ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import sys, scheduling, scheduling.generate, scheduling.__main__; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[]"
    for path in (package / "scheduling").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("flask", "sqlalchemy", "app") for n in names), (path, names)
