"""A timetable whose every level meets its proven bound is optimal, even when time ran out before a search."""

from __future__ import annotations

import importlib

from app.scheduling import SolveOptions

from .factories import one_forced_break

solving = importlib.import_module("app.scheduling.solve")
# one_forced_break: ani meets budi in s1 and citra in s3 or s4; citra meets dodi in s3 or s4
ONE_BREAK = {"r1": "s1", "r2": "s3", "r3": "s4"}


def _stopped_run(breaks_bound: int):
    """A run where served and weight were settled, then time ran out in the breaks level."""
    run = solving._Run(one_forced_break(), SolveOptions(time_limit=5), None)
    run.proven = False
    run.settled = ["served", "weight"]
    run.bound = {"served": 4, "weight": 3, "breaks": breaks_bound}
    run.caps = {"served": 4, "weight": 3}
    return run


def test_meeting_every_proven_bound_is_reported_optimal():
    t = solving._finish(_stopped_run(breaks_bound=1), ONE_BREAK, None)
    assert t.objective["breaks"] == 1 and t.bound["breaks"] == 1
    assert t.status == "optimal"


def test_a_gap_to_a_bound_leaves_it_feasible():
    t = solving._finish(_stopped_run(breaks_bound=0), ONE_BREAK, None)
    assert t.objective["breaks"] == 1 and t.bound["breaks"] == 0
    assert t.status == "feasible"
