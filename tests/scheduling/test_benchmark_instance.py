"""A real event of the B2B benchmark (Bofill et al., JAIR 2022) reaches its published optimum."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scheduling import Problem, SolveOptions, check, solve

BENCH = Path("/work/shared/bench/b2b-jair")


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark instances not present")
@pytest.mark.parametrize(("name", "breaks"), [("tic-12.original", 0), ("forumt-14.forb0007", None)])
def test_benchmark_instance_known_answer(name, breaks):
    problem = Problem.load(BENCH / f"{name}.json")
    t = solve(problem, SolveOptions(time_limit=20, workers=2, seed=1))
    if breaks is None:  # the paper proves this variant infeasible
        assert t.status == "infeasible" and t.conflicts
        return
    assert t.status == "optimal"
    assert t.objective["breaks"] == breaks == t.bound["breaks"]
    assert t.objective["meetings"] == len(problem.requests)
    assert check(problem, t).ok
