"""Tiny problem builders for the scheduling tests."""

from __future__ import annotations

from typing import Any

from app.scheduling import Problem


def slot_list(n: int, pm_from: int | None = None, day: str = "2025-10-08") -> list[dict[str, Any]]:
    """n consecutive 20-minute slots from 08:00 WIB, ids s1..sn; from `pm_from` on labelled pm."""
    out = []
    for i in range(n):
        minutes = 8 * 60 + 20 * i
        start = f"{day}T{minutes // 60:02d}:{minutes % 60:02d}:00+07:00"
        end_m = minutes + 20
        end = f"{day}T{end_m // 60:02d}:{end_m % 60:02d}:00+07:00"
        session = "pm" if pm_from is not None and i + 1 >= pm_from else "am"
        out.append({"id": f"s{i + 1}", "start": start, "end": end, "session": session})
    return out


def make_problem_dict(
    parties: list[dict[str, Any]] | list[str],
    requests: list[dict[str, Any]],
    *,
    slots: int | list[dict[str, Any]] = 3,
    tables: int = 10,
    spread: int | None = None,
) -> dict[str, Any]:
    """A matching-problem/1 document; parties may be given as bare ids."""
    party_docs = [{"id": p, "name": p.upper()} if isinstance(p, str) else {"name": p["id"].upper(), **p}
                  for p in parties]
    reqs = []
    for i, r in enumerate(requests):
        doc = {"id": r.get("id", f"r{i + 1}"), **r}
        reqs.append(doc)
    return {
        "format": "matching-problem/1",
        "name": "test",
        "timezone": "Asia/Jakarta",
        "slots": slot_list(slots) if isinstance(slots, int) else slots,
        "tables": tables,
        "parties": party_docs,
        "requests": reqs,
        "rules": {"max_break_spread": spread},
    }


def make_problem(*args: Any, **kwargs: Any) -> Problem:
    """A Problem built from make_problem_dict's arguments."""
    return Problem.from_dict(make_problem_dict(*args, **kwargs))


def one_forced_break(spread: int | None = None) -> Problem:
    """Every meeting required; Ani must meet Budi (free only in s1) and Citra (free only from s3), so one
    break for Ani is unavoidable."""
    unavailable = {"budi": ["s2", "s3", "s4"], "citra": ["s1", "s2"], "dodi": ["s1", "s2"]}
    parties = [{"id": p, "unavailable": unavailable.get(p, [])} for p in ("ani", "budi", "citra", "dodi")]
    requests = [
        {"parties": ["ani", "budi"], "required": True},
        {"parties": ["ani", "citra"], "required": True},
        {"parties": ["citra", "dodi"], "required": True},
    ]
    return make_problem(parties, requests, slots=4, tables=2, spread=spread)
