"""RC2 and the CaDiCaL probe share one core by turns, each in a child process that is paused, resumed and killed."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.scheduling import SolveOptions, check, solve
from app.scheduling.check import total_breaks
from app.scheduling.maxsat import BreaksMaxSat
from app.scheduling.probe import TakingTurns

from .factories import make_problem, one_forced_break
from .test_maxsat import _random_problem, solve_module


def _two_forced_breaks():
    """Ani meets Budi in s1, Citra in s3 and Dodi in s5 (all fixed): two breaks nobody can avoid."""
    requests = [
        {"parties": ["ani", "budi"], "required": True, "fixed_slot": "s1"},
        {"parties": ["ani", "citra"], "required": True, "fixed_slot": "s3"},
        {"parties": ["ani", "dodi"], "required": True, "fixed_slot": "s5"},
        {"parties": ["budi", "citra"], "required": True},
    ]
    return make_problem(["ani", "budi", "citra", "dodi"], requests, slots=5, tables=2)


def test_rc2_settles_a_day_alone_while_its_bound_keeps_rising():
    problem = one_forced_break()
    turns = TakingTurns(BreaksMaxSat(problem, busy_per_slot=True), patience=60)

    slot_of, breaks = turns.search(time.monotonic() + 30, lambda: False)

    assert breaks == 1 == total_breaks(problem, slot_of)
    assert turns.found_by == "rc2" and [child.mode for child in turns.started] == ["rc2"]
    assert turns.lower_bound == 1


def test_the_probe_takes_over_once_rc2_stops_rising_and_proves_each_bound_it_refuses():
    problem = _two_forced_breaks()
    heard: list[int] = []
    turns = TakingTurns(BreaksMaxSat(problem, busy_per_slot=True), patience=0, turn=60)

    slot_of, breaks = turns.search(time.monotonic() + 30, lambda: False, on_bound=heard.append)

    assert breaks == 2 == total_breaks(problem, slot_of)
    assert turns.found_by == "probe"
    assert heard == [1, 2]  # "no timetable with 0 breaks", then "none with 1"
    assert check(problem, solve_module._draft(problem, slot_of)).ok


def test_a_bound_proven_elsewhere_starts_the_probe_there():
    problem = _two_forced_breaks()
    turns = TakingTurns(BreaksMaxSat(problem), patience=0, turn=60)

    slot_of, breaks = turns.search(time.monotonic() + 30, lambda: False, floor=lambda: 2)

    assert breaks == 2 == total_breaks(problem, slot_of)
    assert [(child.mode, child.start) for child in turns.started] == [("rc2", 0), ("probe", 2)]


def test_rules_that_cannot_be_met_are_reported_infeasible_by_either_child():
    problem = one_forced_break(spread=0)  # Dodi never has a break, so Ani's unavoidable one is unfair
    for patience in (60, 0):
        turns = TakingTurns(BreaksMaxSat(problem), patience=patience, turn=60)
        assert turns.search(time.monotonic() + 30, lambda: False) is None
        assert turns.infeasible


def test_a_stop_ends_the_search_at_once_and_kills_its_child():
    turns = TakingTurns(BreaksMaxSat(_two_forced_breaks()))
    asked = time.monotonic()

    assert turns.search(asked + 30, lambda: True) is None

    assert time.monotonic() - asked < 1
    assert [child.mode for child in turns.started] == ["rc2"] and turns.started[0].process.poll() is not None
    assert not turns.infeasible


def test_no_child_outlives_the_search_paused_or_not():
    turns = TakingTurns(BreaksMaxSat(_two_forced_breaks()), patience=0, turn=60)

    # stopped as soon as the probe has started (RC2 then paused): or answered first, by the probe
    turns.search(time.monotonic() + 30, lambda: len(turns.started) > 1)

    rc2, probe = turns.started
    assert (rc2.mode, probe.mode) == ("rc2", "probe")
    assert rc2.process.returncode == -signal.SIGKILL  # paused before it could answer, then killed
    assert probe.process.poll() is not None


def test_turns_of_any_length_agree_with_cp_sat_on_random_small_days():
    rng = random.Random(20261130)
    compared = 0
    for _ in range(25):
        problem = _random_problem(rng)
        cp_sat = solve(problem, SolveOptions(time_limit=20, workers=1, seed=1))
        if cp_sat.status != "optimal":
            continue
        formula = BreaksMaxSat(problem, busy_per_slot=rng.random() < 0.5)
        turns = TakingTurns(formula, patience=rng.choice([0, 0.01, 60]), turn=rng.choice([0.01, 0.05, 60]))
        found = turns.search(time.monotonic() + 20, lambda: False)
        if found is None:  # only when every party has a break: such timetables are not encoded
            assert not turns.infeasible and cp_sat.objective["breaks"] >= formula.proven_below
            continue
        slot_of, breaks = found
        assert breaks == cp_sat.objective["breaks"] == total_breaks(problem, slot_of), problem.to_dict()
        assert check(problem, solve_module._draft(problem, slot_of)).ok
        compared += 1
    assert compared >= 12


ABANDON = """
import os, random, selectors, time
from app.scheduling.maxsat import BreaksMaxSat
from app.scheduling.probe import SatChild, packed_clauses
from tests.scheduling.factories import make_problem

# a day big enough that RC2 is still at work when it is paused
rng = random.Random(7)
names = [f"k{i}" for i in range(40)]
pairs = rng.sample([(a, b) for i, a in enumerate(names) for b in names[i + 1:]], 90)
problem = make_problem(names, [{"parties": list(p), "required": True} for p in pairs], slots=12, tables=8)
formula = BreaksMaxSat(problem)
child = SatChild.spawn(formula, packed_clauses(formula), "rc2", 0, 10**6)
child.pause()  # made once it is ready
with selectors.DefaultSelector() as selector:
    selector.register(child.process.stdout, selectors.EVENT_READ)
    while not child.ready and not child.ended:
        selector.select(timeout=1)
        child.read()
time.sleep(0.2)
with open(f"/proc/{child.process.pid}/stat") as stat:
    state = stat.read().rsplit(")", 1)[1].split()[0]
print(child.process.pid, state, flush=True)
os._exit(0)  # as a killed worker would: no clean-up
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children die with their parent on Linux only")
def test_a_paused_child_dies_with_a_parent_that_dies_without_cleaning_up():
    # without the death signal a child paused by SIGSTOP would wait for ever once its parent is gone
    with subprocess.Popen([sys.executable, "-c", ABANDON], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).parents[2]) as script:
        pid, state = script.stdout.readline().split()
        script.wait(timeout=30)
    assert state == "T", "the child was not paused when its parent died"

    deadline = time.monotonic() + 10
    while _alive(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(pid))
