"""The matching-problem/1 document as frozen dataclasses, with JSON I/O and validation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROBLEM_FORMAT = "matching-problem/1"


# Largest count or weight a document may hold: far above any real event, far below CP-SAT's 64-bit limits.
MAX_NUMBER = 1_000_000
# Slot times outside these years are refused: time-zone arithmetic overflows at the ends of the calendar.
MIN_YEAR, MAX_YEAR = 1900, 2999


class ProblemError(ValueError):
    """A problem document that does not follow matching-problem/1."""


def parse_json(text: str) -> Any:
    """Parse JSON text, turning every way it can fail (syntax, huge numbers, deep nesting) into a ProblemError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ProblemError("not valid JSON: too deeply nested") from None
    except ValueError as exc:  # JSONDecodeError, and integers longer than Python converts
        raise ProblemError(f"not valid JSON: {exc}") from None


@dataclass(frozen=True)
class Slot:
    """A meeting slot: an interval with an optional session label."""

    id: str
    start: datetime
    end: datetime
    session: str | None = None


@dataclass(frozen=True)
class Party:
    """Someone who meets: a cooperative, or a booth with its own tables."""

    id: str
    name: str
    tables: int = 0
    parallel: int | None = None
    unavailable: tuple[str, ...] = ()

    @property
    def capacity(self) -> int:
        """How many meetings the party can hold in one slot."""
        return self.parallel if self.parallel is not None else max(1, self.tables)


@dataclass(frozen=True)
class Request:
    """A wished one-to-one meeting between two parties."""

    id: str
    parties: tuple[str, str]
    host: str | None = None
    weight: int = 1
    required: bool = False
    session: str | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """Event-wide hard rules."""

    max_break_spread: int | None = None


@dataclass(frozen=True)
class Problem:
    """A whole matching-problem/1 document."""

    name: str
    timezone: str
    slots: tuple[Slot, ...]
    parties: tuple[Party, ...]
    requests: tuple[Request, ...]
    tables: int = 0
    rules: Rules = field(default_factory=Rules)

    # ---- derived look-ups (computed once, the dataclass stays frozen) ----
    @cached_property
    def party_by_id(self) -> dict[str, Party]:
        """Parties keyed by id."""
        return {p.id: p for p in self.parties}

    @cached_property
    def request_by_id(self) -> dict[str, Request]:
        """Requests keyed by id."""
        return {r.id: r for r in self.requests}

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        """Slots keyed by id."""
        return {s.id: s for s in self.slots}

    @cached_property
    def ordered_slots(self) -> tuple[Slot, ...]:
        """Slots ordered by start (then id)."""
        return tuple(sorted(self.slots, key=lambda s: (s.start, s.id)))

    @cached_property
    def slot_rank(self) -> dict[str, int]:
        """Rank of each slot's start time: equal starts share a rank, so `after` compares ranks."""
        starts = sorted({s.start for s in self.slots})
        index = {t: i for i, t in enumerate(starts)}
        return {s.id: index[s.start] for s in self.slots}

    @cached_property
    def slot_day(self) -> dict[str, date]:
        """The local date of each slot in the event's timezone."""
        zone = ZoneInfo(self.timezone)
        return {s.id: s.start.astimezone(zone).date() for s in self.slots}

    @cached_property
    def days(self) -> tuple[tuple[str, ...], ...]:
        """Slot ids grouped per local day, each day ordered by start."""
        grouped: dict[date, list[str]] = {}
        for s in self.ordered_slots:
            grouped.setdefault(self.slot_day[s.id], []).append(s.id)
        return tuple(tuple(ids) for _, ids in sorted(grouped.items()))

    def host_of(self, request: Request) -> str | None:
        """The party whose tables the request uses, or None for the shared pool."""
        if request.host is not None:
            return request.host
        with_tables = [p for p in request.parties if self.party_by_id[p].tables > 0]
        return with_tables[0] if len(with_tables) == 1 else None

    def table_count(self, host: str | None) -> int:
        """Tables of a host, or of the shared pool when host is None."""
        return self.tables if host is None else self.party_by_id[host].tables

    def allowed_slots(self, request: Request) -> tuple[str, ...]:
        """Slots (ordered) the request may use given unavailability, session and fixed slot alone."""
        if self.request_by_id.get(request.id) is request:  # one of this problem's own: computed once
            return self._allowed[request.id]
        return self._slots_allowed(request)

    @cached_property
    def _allowed(self) -> dict[str, tuple[str, ...]]:
        return {r.id: self._slots_allowed(r) for r in self.requests}

    def _slots_allowed(self, request: Request) -> tuple[str, ...]:
        blocked = set()
        for pid in request.parties:
            blocked.update(self.party_by_id[pid].unavailable)
        out = []
        for s in self.ordered_slots:
            if s.id in blocked:
                continue
            if request.session is not None and s.session != request.session:
                continue
            if request.fixed_slot is not None and s.id != request.fixed_slot:
                continue
            out.append(s.id)
        return tuple(out)

    @cached_property
    def never_held(self) -> frozenset[str]:
        """Requests no timetable can hold because of `after`: held, a request needs each of its predecessors
        held in an earlier slot, so a cycle, a predecessor never held, or no allowed slot later than the
        predecessor's earliest one rules it out."""
        if not any(r.after for r in self.requests):
            return frozenset()
        rank = self.slot_rank
        earliest = {r.id: min((rank[s] for s in self.allowed_slots(r)), default=None) for r in self.requests}
        changed = True
        while changed:  # each round only raises an earliest slot or rules a request out, so this ends
            changed = False
            for req in self.requests:
                if earliest[req.id] is None or not req.after:
                    continue
                before = [earliest.get(b) for b in req.after]
                if None in before:
                    earliest[req.id], changed = None, True
                    continue
                start = max(e + 1 for e in before)
                if start > earliest[req.id]:
                    later = [rank[s] for s in self.allowed_slots(req) if rank[s] >= start]
                    earliest[req.id], changed = min(later, default=None), True
        return frozenset(r.id for r in self.requests if earliest[r.id] is None and self.allowed_slots(r))

    def could_hold(self, request: Request) -> bool:
        """True unless no timetable can hold the request (no allowed slot, or ruled out by `after`)."""
        return bool(self.allowed_slots(request)) and request.id not in self.never_held

    def requests_of(self, party_id: str) -> tuple[Request, ...]:
        """Requests that involve a party."""
        return self._requests_by_party.get(party_id, ())

    @cached_property
    def never_breaks(self) -> frozenset[str]:
        """Parties no timetable can give a break: fewer than two requests, or on no day possible slots
        spanning three slots (a break needs a meeting, an idle slot, then a meeting)."""
        position = {sid: (d, i) for d, day in enumerate(self.days) for i, sid in enumerate(day)}
        out = set()
        for party in self.parties:
            requests = self.requests_of(party.id)
            span: dict[int, tuple[int, int]] = {}
            for req in requests:
                for sid in self.allowed_slots(req):
                    d, i = position[sid]
                    lo, hi = span.get(d, (i, i))
                    span[d] = (min(lo, i), max(hi, i))
            if len(requests) < 2 or all(hi - lo < 2 for lo, hi in span.values()):
                out.add(party.id)
        return frozenset(out)

    @property
    def fairness_forbids_breaks(self) -> bool:
        """True when the fairness rule allows nobody a break: spread 0 and a party that never has one."""
        return self.rules.max_break_spread == 0 and bool(self.never_breaks)

    @cached_property
    def _requests_by_party(self) -> dict[str, tuple[Request, ...]]:
        grouped: dict[str, list[Request]] = {}
        for r in self.requests:
            for pid in r.parties:
                grouped.setdefault(pid, []).append(r)
        return {k: tuple(v) for k, v in grouped.items()}

    # ---- JSON ----
    @classmethod
    def from_dict(cls, data: Any) -> Problem:
        """Build and validate a problem from a parsed matching-problem/1 document."""
        return _parse_problem(data)

    @classmethod
    def from_json(cls, text: str) -> Problem:
        """Parse a JSON string."""
        return cls.from_dict(parse_json(text))

    @classmethod
    def load(cls, path: str | Path) -> Problem:
        """Read a problem file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ProblemError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ProblemError(f"{path} is not UTF-8 text") from None
        return cls.from_json(text)

    def to_dict(self) -> dict[str, Any]:
        """The matching-problem/1 document."""
        return {
            "format": PROBLEM_FORMAT,
            "name": self.name,
            "timezone": self.timezone,
            "slots": [_slot_dict(s) for s in self.slots],
            "tables": self.tables,
            "parties": [_party_dict(p) for p in self.parties],
            "requests": [_request_dict(r) for r in self.requests],
            "rules": {"max_break_spread": self.rules.max_break_spread},
        }


def _slot_dict(s: Slot) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()}
    if s.session is not None:
        out["session"] = s.session
    return out


def _party_dict(p: Party) -> dict[str, Any]:
    out: dict[str, Any] = {"id": p.id, "name": p.name}
    if p.tables:
        out["tables"] = p.tables
    if p.parallel is not None:
        out["parallel"] = p.parallel
    out["unavailable"] = list(p.unavailable)
    return out


def _request_dict(r: Request) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "parties": list(r.parties)}
    if r.host is not None:
        out["host"] = r.host
    out["weight"] = r.weight
    if r.required:
        out["required"] = True
    if r.session is not None:
        out["session"] = r.session
    if r.fixed_slot is not None:
        out["fixed_slot"] = r.fixed_slot
    if r.after:
        out["after"] = list(r.after)
    return out


# ---------------------------------------------------------------- parsing
def _need(cond: bool, message: str) -> None:
    if not cond:
        raise ProblemError(message)


def _str(obj: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = obj.get(key, default)
    _need(isinstance(value, str) and value != "", f"{where}: '{key}' must be a non-empty string")
    return value  # type: ignore[return-value]


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    _need(value is None or isinstance(value, str), f"{where}: '{key}' must be a string")
    return value


def _int(obj: dict[str, Any], key: str, where: str, default: int | None, minimum: int) -> int | None:
    value = obj.get(key, default)
    if value is None:
        return None
    _need(
        isinstance(value, int) and not isinstance(value, bool) and value >= minimum,
        f"{where}: '{key}' must be an integer >= {minimum}, got {value!r}",
    )
    _need(value <= MAX_NUMBER, f"{where}: '{key}' must be at most {MAX_NUMBER}, got {value!r}")
    return value


def _str_list(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if value is None:
        return ()
    _need(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        f"{where}: '{key}' must be a list of strings",
    )
    return tuple(value)


def _time(obj: dict[str, Any], key: str, where: str) -> datetime:
    text = _str(obj, key, where)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ProblemError(f"{where}: '{key}' is not an ISO-8601 date-time: {text!r}") from None
    _need(value.tzinfo is not None, f"{where}: '{key}' must carry a UTC offset, got {text!r}")
    _need(MIN_YEAR <= value.year <= MAX_YEAR, f"{where}: '{key}' must be in the years {MIN_YEAR} to {MAX_YEAR}")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    _need(isinstance(value, list), f"'{key}' must be a list")
    for i, item in enumerate(value):
        _need(isinstance(item, dict), f"{key}[{i}] must be an object")
    return value


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        _need(i not in seen, f"duplicate {what} id {i!r}")
        seen.add(i)


def _parse_problem(data: Any) -> Problem:
    _need(isinstance(data, dict), "a problem must be a JSON object")
    fmt = data.get("format")
    _need(fmt == PROBLEM_FORMAT, f"'format' must be {PROBLEM_FORMAT!r}, got {fmt!r}")
    timezone = _str(data, "timezone", "problem", default="UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Asia", a name too long
        raise ProblemError(f"unknown timezone {timezone!r}") from None

    slots = []
    for i, s in enumerate(_list(data, "slots")):
        where = f"slots[{i}]"
        sid = _str(s, "id", where)
        start, end = _time(s, "start", f"slot {sid!r}"), _time(s, "end", f"slot {sid!r}")
        _need(end > start, f"slot {sid!r}: end must be after start")
        slots.append(Slot(sid, start, end, _opt_str(s, "session", f"slot {sid!r}")))
    _unique([s.id for s in slots], "slot")
    slot_ids = {s.id for s in slots}

    parties = []
    for i, p in enumerate(_list(data, "parties")):
        pid = _str(p, "id", f"parties[{i}]")
        where = f"party {pid!r}"
        unavailable = _str_list(p, "unavailable", where)
        for sid in unavailable:
            _need(sid in slot_ids, f"{where}: unavailable slot {sid!r} is not a slot")
        parties.append(
            Party(
                id=pid,
                name=_str(p, "name", where, default=pid),
                tables=_int(p, "tables", where, 0, 0) or 0,
                parallel=_int(p, "parallel", where, None, 1),
                unavailable=unavailable,
            )
        )
    _unique([p.id for p in parties], "party")
    by_id = {p.id: p for p in parties}

    requests = []
    for i, r in enumerate(_list(data, "requests")):
        rid = _str(r, "id", f"requests[{i}]")
        where = f"request {rid!r}"
        pair = _str_list(r, "parties", where)
        _need(len(pair) == 2, f"{where}: 'parties' must name exactly two parties")
        _need(pair[0] != pair[1], f"{where}: a party cannot meet itself ({pair[0]!r})")
        for pid in pair:
            _need(pid in by_id, f"{where}: unknown party {pid!r}")
        host = _opt_str(r, "host", where)
        _need(host is None or host in pair, f"{where}: host {host!r} is not one of its two parties")
        if host is not None:
            _need(by_id[host].tables > 0, f"{where}: host {host!r} has no tables")
        required = r.get("required", False)
        _need(isinstance(required, bool), f"{where}: 'required' must be true or false")
        fixed = _opt_str(r, "fixed_slot", where)
        _need(fixed is None or fixed in slot_ids, f"{where}: fixed_slot {fixed!r} is not a slot")
        requests.append(
            Request(
                id=rid,
                parties=(pair[0], pair[1]),
                host=host,
                weight=_int(r, "weight", where, 1, 0) or 0,
                required=required,
                session=_opt_str(r, "session", where),
                fixed_slot=fixed,
                after=_str_list(r, "after", where),
            )
        )
    _unique([r.id for r in requests], "request")
    request_ids = {r.id for r in requests}
    for r in requests:
        for a in r.after:
            _need(a in request_ids, f"request {r.id!r}: 'after' names unknown request {a!r}")
            _need(a != r.id, f"request {r.id!r}: 'after' names itself")

    rules = data.get("rules") or {}
    _need(isinstance(rules, dict), "'rules' must be an object")
    tables = _int(data, "tables", "problem", 0, 0) or 0
    return Problem(
        name=str(data.get("name", "")),
        timezone=timezone,
        slots=tuple(slots),
        parties=tuple(parties),
        requests=tuple(requests),
        tables=tables,
        rules=Rules(max_break_spread=_int(rules, "max_break_spread", "rules", None, 0)),
    )
