"""A child process of probe.py that searches the breaks level with one SAT method and reports as it goes.

Run as a script (not as part of the app package, so that it starts in milliseconds and imports only
python-sat), so that its parent can pause, resume and kill it: python-sat cannot interrupt CaDiCaL, and
a SAT call cannot be paused inside a thread.
Reads from stdin one JSON line {"mode", "start", "stop", "top", "breaks", "x", "clauses"} followed by the
hard clauses as native int32 values, each clause ended by 0. Modes:
- "rc2": core-guided MaxSAT (RC2 on Glucose 3) with each break literal's negation soft;
- "probe": CaDiCaL 1.9.5 asked for "the hard clauses and at most B breaks" for B = start, start + 1, ...
Writes "ready" once it has read its input and waits for "go" on stdin (its parent may pause it first),
then writes one line per finding: "bound B" (no timetable has fewer than B breaks), and at last
"found B [indices]" (a timetable with B breaks: the positions in "x" of its true literals), "exhausted"
(no timetable with fewer than "stop" breaks) or "unproven" (RC2's optimum is "stop" or more).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from array import array

from pysat.card import CardEnc, EncType
from pysat.examples.rc2 import RC2
from pysat.formula import WCNF
from pysat.solvers import Solver

# CaDiCaL's configuration for satisfiable formulas (its --sat): on the b2b-jair days at their optimum it
# finds a timetable up to twice as fast as the default one (forum-13crafb 8.2 s, not 18.5 s)
SAT_OPTIONS = {"stabilizeonly": 1, "elimreleff": 10, "subsumereleff": 60}


def read_clauses(stream, count: int) -> list[list[int]]:
    """`count` int32 values from `stream`, split into clauses at each 0."""
    values = array("i")
    values.frombytes(stream.read(count * values.itemsize))
    clauses, clause = [], []
    for value in values:
        if value:
            clause.append(value)
        else:
            clauses.append(clause)
            clause = []
    return clauses


def say(line: str) -> None:
    """One line to the parent, at once."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def found(bound: int, model: list[int], x: list[int]) -> None:
    """Report a timetable: the positions in `x` of the literals true in `model`."""
    true = {lit for lit in model if lit > 0}
    say(f"found {bound} " + json.dumps([i for i, var in enumerate(x) if var in true]))


def probe(header: dict, hard: list[list[int]]) -> None:
    """Linear search upward with CaDiCaL, one fresh solver per bound (faster here than incremental ones)."""
    for bound in range(header["start"], header["stop"]):
        limit = CardEnc.atmost(header["breaks"], bound, top_id=header["top"], encoding=EncType.seqcounter)
        with Solver(name="cadical195", bootstrap_with=hard) as solver:
            solver.configure(SAT_OPTIONS)
            solver.append_formula(limit.clauses)
            if solver.solve():
                found(bound, solver.get_model(), header["x"])
                return
        say(f"bound {bound + 1}")
    say("exhausted")


class _Reporting(RC2):
    """RC2 that reports each rise of its cost (each core proves one more break unavoidable)."""

    def process_core(self):  # noqa: D102 - RC2's hook
        super().process_core()
        say(f"bound {self.cost}")


def rc2(header: dict, hard: list[list[int]]) -> None:
    """Core-guided MaxSAT until the optimum of the encoded timetables."""
    formula = WCNF()
    formula.hard = hard
    formula.soft = [[-lit] for lit in header["breaks"]]
    formula.wght = [1] * len(formula.soft)
    formula.topw = len(formula.soft) + 1
    formula.nv = header["top"]
    with _Reporting(formula, solver="g3", adapt=True) as solver:
        model = solver.compute()
        if model is None:
            say("exhausted")
        elif solver.cost >= header["stop"]:
            say("unproven")  # timetables left out of the encoding may have fewer breaks
        else:
            found(solver.cost, model, header["x"])


def die_with_parent() -> None:
    """On Linux, be killed when the parent dies (a paused child would otherwise wait for ever)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's own clean-up has to do
        pass


def main() -> int:
    """Read the formula and run the asked mode."""
    die_with_parent()
    header = json.loads(sys.stdin.buffer.readline())
    if os.getppid() != header["parent"]:  # the parent died before this process could ask to die with it
        return 1
    hard = read_clauses(sys.stdin.buffer, header["clauses"])
    say("ready")  # from now on it may be paused: it dies with its parent
    if sys.stdin.buffer.readline() != b"go\n":  # the parent lets it start (and may pause it first)
        return 1
    {"probe": probe, "rc2": rc2}[header["mode"]](header, hard)
    return 0


if __name__ == "__main__":
    sys.exit(main())
