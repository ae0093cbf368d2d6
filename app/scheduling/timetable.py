"""The matching-timetable/1 document as dataclasses, with JSON I/O."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problem import ProblemError, parse_json

TIMETABLE_FORMAT = "matching-timetable/1"
STATUSES = ("optimal", "feasible", "infeasible", "unknown")


@dataclass(frozen=True)
class Meeting:
    """A scheduled request: its slot and table number (1-based)."""

    request: str
    slot: str
    table: int


@dataclass(frozen=True)
class Unscheduled:
    """A request left out, with a reason a person can act on."""

    request: str
    reason: str
    kind: str = ""
    parties: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """Why a problem is infeasible: a message plus the parties, slots and requests that clash."""

    kind: str
    message: str
    parties: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "kind": self.kind,
            "message": self.message,
            "parties": list(self.parties),
            "slots": list(self.slots),
            "requests": list(self.requests),
        }


@dataclass(frozen=True)
class Timetable:
    """A whole matching-timetable/1 document."""

    status: str
    meetings: tuple[Meeting, ...] = ()
    unscheduled: tuple[Unscheduled, ...] = ()
    objective: dict[str, int] = field(default_factory=dict)
    bound: dict[str, int] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    solve_seconds: float = 0.0
    stability: dict[str, int] | None = None

    def __post_init__(self) -> None:
        # milliseconds are all the document keeps, so keep the same here (round trips compare equal)
        object.__setattr__(self, "solve_seconds", round(self.solve_seconds, 3))

    def to_dict(self) -> dict[str, Any]:
        """The matching-timetable/1 document."""
        out: dict[str, Any] = {
            "format": TIMETABLE_FORMAT,
            "status": self.status,
            "meetings": [{"request": m.request, "slot": m.slot, "table": m.table} for m in self.meetings],
            "unscheduled": [_unscheduled_dict(u) for u in self.unscheduled],
            "objective": dict(self.objective),
            "bound": dict(self.bound),
            "conflicts": [c.to_dict() for c in self.conflicts],
            "solve_seconds": self.solve_seconds,
        }
        if self.stability is not None:
            out["stability"] = dict(self.stability)
        return out

    def to_json(self) -> str:
        """Pretty JSON text."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: Any) -> Timetable:
        """Read a parsed matching-timetable/1 document (shape only; `check` judges the content)."""
        return _parse_timetable(data)

    @classmethod
    def load(cls, path: str | Path) -> Timetable:
        """Read a timetable file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ProblemError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ProblemError(f"{path} is not UTF-8 text") from None
        try:
            data = parse_json(text)
        except ProblemError as exc:
            raise ProblemError(f"{path} is {exc}") from None
        return cls.from_dict(data)


def _unscheduled_dict(u: Unscheduled) -> dict[str, Any]:
    out: dict[str, Any] = {"request": u.request, "reason": u.reason}
    if u.kind:
        out["kind"] = u.kind
    if u.parties:
        out["parties"] = list(u.parties)
    if u.slots:
        out["slots"] = list(u.slots)
    return out


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProblemError(f"{where} must be a list of strings")
    return tuple(value)


def _items(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProblemError(f"'{key}' must be a list")
    return value


def _int_dict(value: Any, where: str) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProblemError(f"'{where}' must be an object")
    return {k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)}


def _parse_timetable(data: Any) -> Timetable:
    if not isinstance(data, dict):
        raise ProblemError("a timetable must be a JSON object")
    if data.get("format") != TIMETABLE_FORMAT:
        raise ProblemError(f"'format' must be {TIMETABLE_FORMAT!r}, got {data.get('format')!r}")
    status = data.get("status")
    if status not in STATUSES:
        raise ProblemError(f"'status' must be one of {', '.join(STATUSES)}, got {status!r}")
    meetings = []
    for i, m in enumerate(_items(data, "meetings")):
        if not isinstance(m, dict):
            raise ProblemError(f"meetings[{i}] must be an object")
        req, slot, table = m.get("request"), m.get("slot"), m.get("table")
        if not isinstance(req, str) or not isinstance(slot, str):
            raise ProblemError(f"meetings[{i}]: 'request' and 'slot' must be strings")
        if not isinstance(table, int) or isinstance(table, bool):
            raise ProblemError(f"meetings[{i}]: 'table' must be an integer")
        meetings.append(Meeting(req, slot, table))
    unscheduled = []
    for i, u in enumerate(_items(data, "unscheduled")):
        if not isinstance(u, dict) or not isinstance(u.get("request"), str):
            raise ProblemError(f"unscheduled[{i}] must be an object with a 'request' string")
        unscheduled.append(
            Unscheduled(
                request=u["request"],
                reason=str(u.get("reason", "")),
                kind=str(u.get("kind", "")),
                parties=_strs(u.get("parties"), f"unscheduled[{i}].parties"),
                slots=_strs(u.get("slots"), f"unscheduled[{i}].slots"),
            )
        )
    conflicts = []
    for i, c in enumerate(_items(data, "conflicts")):
        if isinstance(c, str):  # the spec's minimal form: a list of messages
            conflicts.append(Conflict(kind="other", message=c))
            continue
        if not isinstance(c, dict):
            raise ProblemError(f"conflicts[{i}] must be an object or a string")
        conflicts.append(
            Conflict(
                kind=str(c.get("kind", "other")),
                message=str(c.get("message", "")),
                parties=_strs(c.get("parties"), f"conflicts[{i}].parties"),
                slots=_strs(c.get("slots"), f"conflicts[{i}].slots"),
                requests=_strs(c.get("requests"), f"conflicts[{i}].requests"),
            )
        )
    seconds = data.get("solve_seconds", 0.0)
    stability = data.get("stability")
    return Timetable(
        status=status,
        meetings=tuple(meetings),
        unscheduled=tuple(unscheduled),
        objective=_int_dict(data.get("objective"), "objective"),
        bound=_int_dict(data.get("bound"), "bound"),
        conflicts=tuple(conflicts),
        solve_seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        stability=_int_dict(stability, "stability") if stability is not None else None,
    )
