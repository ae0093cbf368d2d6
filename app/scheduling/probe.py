"""Core-guided MaxSAT and a CaDiCaL probe taking turns on one core, each in a child process (sat_child.py).

RC2 proves lower bounds fast, but on some days its SAT solver (Glucose) then cannot find a timetable that
meets the bound (ticf-13crafb: bound 3 within 1 s, no timetable with 3 breaks in 40 s). CaDiCaL 1.9.5,
asked directly for "the hard rules and at most B breaks", finds one in about 5 s; each refusal proves
B + 1. Neither can share a core well (RC2 gets its cores in bursts, the probe needs seconds in one
piece), so they take turns: RC2 runs while its bound keeps rising. Once it has waited `patience` seconds
for a rise (twice that for its first, and at least twice its last wait) it is paused (SIGSTOP) and the
probe runs from the best proven bound for `turn` seconds; then RC2 again until it has waited half of
`patience`, the probe for a second more than before, and so on. A bound proven elsewhere restarts the
probe there.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from .maxsat import BreaksMaxSat

CHILD = os.path.join(os.path.dirname(__file__), "sat_child.py")


def packed_clauses(formula: BreaksMaxSat) -> bytes:
    """The hard clauses as native int32 values, each clause ended by 0."""
    flat = array("i")
    for clause in formula.hard:
        flat.extend(clause)
        flat.append(0)
    return flat.tobytes()


@dataclass
class SatChild:
    """One running sat_child.py: its process and what it has said so far."""

    mode: str
    start: int
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    paused: bool = False  # asked to pause (made once it is ready)
    ready: bool = False  # it has read its input and will die with its parent
    ended: bool = False
    _stopped: bool = False  # SIGSTOP sent and not yet undone
    _partial: str = ""

    @classmethod
    def spawn(cls, formula: BreaksMaxSat, packed: bytes, mode: str, start: int, stop: int) -> SatChild:
        """Start a child on `formula` (its clauses already `packed`)."""
        header = {
            "mode": mode, "start": start, "stop": stop, "top": formula.pool.top, "parent": os.getpid(),
            "breaks": [lit for lits in formula.breaks.values() for lit in lits],
            "x": list(formula.x.values()), "clauses": len(packed) // array("i").itemsize,
        }
        process = subprocess.Popen([sys.executable, CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            process.stdin.write(json.dumps(header).encode() + b"\n")
            process.stdin.write(packed)
            process.stdin.flush()
        except BrokenPipeError:  # it died at once: its output ends without an answer
            pass
        return cls(mode, start, process)

    def pause(self) -> None:
        """Stop it using the CPU until `resume` (made when it is ready: before, it could not yet die with
        us; it then waits for our "go" before it searches, so a paused child has not searched at all)."""
        self.paused = True
        self._signal()

    def resume(self) -> None:
        """Let it run again."""
        self.paused = False
        self._signal()

    def _signal(self) -> None:
        if self.ended or not self.ready or self.paused == self._stopped:
            return
        os.kill(self.process.pid, signal.SIGSTOP if self.paused else signal.SIGCONT)
        self._stopped = self.paused

    def read(self) -> list[str]:
        """The whole lines it has written since the last call (call when its output is readable)."""
        data = os.read(self.process.stdout.fileno(), 1 << 16)
        if not data:
            self.ended = True
        self._partial += data.decode()
        *whole, self._partial = self._partial.split("\n")
        if "ready" in whole:  # it will die with us from now on: a pause asked for before can be made
            whole.remove("ready")
            self.ready = True
            self._signal()
            self._go()
        self.lines.extend(whole)
        return whole

    def _go(self) -> None:
        """Let it start searching (if paused, once resumed)."""
        try:
            self.process.stdin.write(b"go\n")
            self.process.stdin.close()
        except BrokenPipeError:  # it has died: its output ends
            pass

    def kill(self) -> None:
        """End it for good."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        if not self.process.stdin.closed:
            try:
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        self.ended = True


class TakingTurns:
    """RC2 and the CaDiCaL probe on one encoding, by turns; `search` (once) returns (assignment, breaks) or None."""

    def __init__(self, formula: BreaksMaxSat, patience: float = 1.25, turn: float = 6.0) -> None:
        """Keep the encoding and the turn lengths (seconds)."""
        self.formula = formula
        self.patience, self.turn = patience, turn
        self.lower_bound = 0
        self.infeasible = False  # the hard rules alone cannot be met
        self.started: list[SatChild] = []  # every child started, in order
        self.found_by: str | None = None  # the mode of the child whose timetable `search` returned
        self.breaks = sum(len(lits) for lits in formula.breaks.values())
        self.stop = self.breaks + 1 if formula.proven_below == float("inf") else int(formula.proven_below)
        self._packed = packed_clauses(formula)
        self._selector: selectors.BaseSelector = selectors.DefaultSelector()
        self._rc2: SatChild | None = None
        self._probe: SatChild | None = None

    def search(
        self, deadline: float, stopped: Callable[[], bool], floor: Callable[[], int] = lambda: 0,
        on_bound: Callable[[int], None] | None = None,
    ) -> tuple[dict[str, str], int] | None:
        """Search until a timetable meets the best proven bound (`floor()`, from any search, or our own)."""
        self._on_bound = on_bound
        self._rc2, self._probe = self._spawn("rc2", 0), None
        self._risen = self._switched = time.monotonic()
        self._waited, self._turn = 2 * self.patience, self.turn  # RC2's patience (longer before a first rise)
        try:
            while time.monotonic() < deadline and not stopped():
                best = max(self.lower_bound, floor())
                if self._running(self._probe) and best > self._probe.start + self._refused(self._probe):
                    self._restart_probe(best)  # another search proved more than the probe is asking
                self._take_turns(best)
                answer = self._listen()
                if answer is not None or self.infeasible or not any(map(self._running, (self._rc2, self._probe))):
                    return answer
        finally:
            for child in self.started:
                child.resume()
                child.kill()
            self._selector.close()
        return None

    @staticmethod
    def _running(child: SatChild | None) -> bool:
        return child is not None and not child.ended

    @staticmethod
    def _refused(child: SatChild) -> int:
        return sum(1 for line in child.lines if line.startswith("bound "))

    def _spawn(self, mode: str, start: int) -> SatChild:
        child = SatChild.spawn(self.formula, self._packed, mode, start, self.stop)
        self.started.append(child)
        self._selector.register(child.process.stdout, selectors.EVENT_READ, child)
        return child

    def _restart_probe(self, start: int) -> None:
        old = self._probe
        self._selector.unregister(old.process.stdout)
        old.kill()
        self._probe = self._spawn("probe", start)
        if old.paused:
            self._probe.pause()

    def _take_turns(self, best: int) -> None:
        """Pause RC2 for the probe once it has waited too long for a rise; back to RC2 after the probe's turn."""
        rc2, now = self._rc2, time.monotonic()
        if self._running(rc2) and not rc2.paused and now - self._risen > self._waited:
            if self._probe is None:
                self._probe = self._spawn("probe", best)
            if self._running(self._probe):
                rc2.pause()
                self._probe.resume()
                self._switched = now
        elif self._running(rc2) and rc2.paused and (
                not self._running(self._probe) or now - self._switched > self._turn):
            self._back_to_rc2()
            # RC2 stalled before: a shorter wait for it, a longer turn for the probe next
            self._waited, self._turn = self.patience / 2, self._turn + 1
        elif not self._running(rc2) and self._running(self._probe):
            self._probe.resume()

    def _back_to_rc2(self) -> None:
        if self._running(self._probe):
            self._probe.pause()
        self._rc2.resume()
        self._risen = time.monotonic()

    def _listen(self) -> tuple[dict[str, str], int] | None:
        """Read what the children have said (waiting up to 50 ms); a timetable ends the search."""
        for key, _ in self._selector.select(timeout=0.05):
            child = key.data
            for line in child.read():
                answer = self._take(child, line)
                if answer is not None:
                    return answer
                if child is self._rc2 and line.startswith("bound "):
                    # its cores come slower as the bound rises: wait at least twice as long as for this one
                    waited = time.monotonic() - self._risen
                    self._back_to_rc2()  # a rise just as it was paused gives it its turn again
                    self._waited = max(self.patience, 2 * waited)
            if child.ended:
                self._selector.unregister(child.process.stdout)
        return None

    def _take(self, child: SatChild, line: str) -> tuple[dict[str, str], int] | None:
        """Act on one line of a child: a rise of the bound, a timetable, or the end of its search."""
        if line.startswith(("bound ", "found ")):  # a timetable found is optimal: its breaks are a bound too
            bound = min(int(line.split()[1]), self.stop)
            if bound > self.lower_bound:
                self.lower_bound = bound
                if self._on_bound is not None:
                    self._on_bound(bound)
        if line.startswith("found "):
            _, breaks, chosen = line.split(" ", 2)
            keys = list(self.formula.x)
            self.found_by = child.mode
            return dict(keys[i] for i in json.loads(chosen)), int(breaks)
        if line == "exhausted":  # no timetable below `stop`: none at all when every one is encoded
            self.infeasible = self.stop > self.breaks
        return None
