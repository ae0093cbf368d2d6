"""The re-solve benchmark's changes are the ones its report names."""

from __future__ import annotations

import copy

from app.scheduling import Problem
from app.scheduling.generate import generate
from bench.resolve import CHANGES


def test_each_change_of_the_resolve_benchmark_does_what_its_row_says():
    day = generate(regency="35.79", booths=3, tables=4, seed=3)
    changed = {name: apply(copy.deepcopy(day)) for name, apply in CHANGES}

    tables = {p["id"]: p.get("tables", 0) for p in day["parties"]}
    after = {p["id"]: p.get("tables", 0) for p in changed["a booth loses two tables"]["parties"]}
    assert sorted(tables[b] - after[b] for b in tables) == [0] * (len(tables) - 1) + [2]

    left = changed["20 koperasi cancel"]["requests"]
    gone = {p for r in day["requests"] for p in r["parties"]} - {p for r in left for p in r["parties"]}
    assert len(gone) == 20 and not any(tables[p] for p in gone), "twenty koperasi, no booth"

    late = changed["30 late registrations"]
    assert len(late["parties"]) == len(day["parties"]) + 30
    assert len(late["requests"]) == len(day["requests"]) + 60
    for doc in changed.values():
        Problem.from_dict(doc)  # each is still a valid matching-problem/1
