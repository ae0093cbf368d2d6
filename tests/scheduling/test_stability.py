"""Re-solving after changes moves as few published meetings as possible; seeds reproduce."""

from __future__ import annotations

import dataclasses
import importlib

from app.scheduling import Problem, SolveOptions, check, solve
from app.scheduling.timetable import Meeting, Timetable

from .factories import make_problem_dict

solving = importlib.import_module("app.scheduling.solve")


def booth_day() -> dict:
    parties = [{"id": "bulog", "name": "Perum BULOG", "tables": 2}] + [f"k{i}" for i in range(6)]
    reqs = [{"id": f"r{i}", "parties": [f"k{i}", "bulog"]} for i in range(6)]
    return make_problem_dict(parties, reqs, slots=4, tables=0)


def test_unchanged_problem_keeps_every_meeting():
    problem = Problem.from_dict(booth_day())
    first = solve(problem, SolveOptions(time_limit=10, workers=1, seed=2))
    again = solve(problem, SolveOptions(time_limit=10, workers=1, seed=9, previous=first))
    assert again.stability == {"kept": 6, "moved": 0, "dropped": 0}
    assert {(m.request, m.slot, m.table) for m in again.meetings} == {
        (m.request, m.slot, m.table) for m in first.meetings}
    assert again.objective["moved"] == 0 == again.bound["moved"]


def test_booth_losing_a_table_moves_only_what_it_must():
    problem = Problem.from_dict(booth_day())
    first = solve(problem, SolveOptions(time_limit=10, workers=1, seed=2))
    per_slot = {}
    for m in first.meetings:
        per_slot.setdefault(m.slot, []).append(m.request)
    doubled = sum(1 for reqs in per_slot.values() if len(reqs) == 2)
    doc = booth_day()
    doc["parties"][0]["tables"] = 1
    doc["slots"] += [{"id": "s5", "start": "2025-10-08T09:20:00+07:00", "end": "2025-10-08T09:40:00+07:00"},
                     {"id": "s6", "start": "2025-10-08T09:40:00+07:00", "end": "2025-10-08T10:00:00+07:00"}]
    smaller = Problem.from_dict(doc)
    second = solve(smaller, SolveOptions(time_limit=10, workers=1, seed=2, previous=first))
    assert second.status == "optimal"
    assert check(smaller, second).ok
    assert len(second.meetings) == 6
    # in each slot that held two meetings exactly one must move; nothing else does
    assert second.stability == {"kept": 6 - doubled, "moved": doubled, "dropped": 0}


def test_cancelled_request_leaves_the_rest_in_place():
    problem = Problem.from_dict(booth_day())
    first = solve(problem, SolveOptions(time_limit=10, workers=1, seed=2))
    doc = booth_day()
    doc["requests"] = doc["requests"][1:]
    second = solve(Problem.from_dict(doc), SolveOptions(time_limit=10, workers=1, seed=2, previous=first))
    before = {m.request: (m.slot, m.table) for m in first.meetings}
    after = {m.request: (m.slot, m.table) for m in second.meetings}
    assert all(after[r] == before[r] for r in after)
    assert second.stability["moved"] == 0


def test_same_seed_and_workers_give_the_same_timetable():
    problem = Problem.from_dict(booth_day())
    options = SolveOptions(time_limit=10, workers=2, seed=5)
    one, two = solve(problem, options), solve(problem, options)
    assert dataclasses.replace(one, solve_seconds=0) == dataclasses.replace(two, solve_seconds=0)


def oversubscribed_booth(tables: int) -> dict:
    """Ten koperasi ask Perum BULOG for a meeting, all equally keen; its tables seat far fewer."""
    parties = [{"id": "bulog", "name": "Perum BULOG", "tables": tables}] + [f"k{i}" for i in range(10)]
    reqs = [{"id": f"r{i}", "parties": [f"k{i}", "bulog"]} for i in range(10)]
    return make_problem_dict(parties, reqs, slots=3, tables=0)


def published(meetings: dict[str, tuple[str, int]]) -> Timetable:
    """A published timetable: request -> (slot, table)."""
    return Timetable("optimal", tuple(Meeting(r, s, t) for r, (s, t) in meetings.items()))


def recording_models(monkeypatch) -> list[str]:
    """The levels whose time-indexed model a solve builds, in order."""
    built: list[str] = []
    real = solving.LevelModels.for_level
    monkeypatch.setattr(solving.LevelModels, "for_level", lambda self, level: built.append(level) or real(self, level))
    return built


def test_a_full_booth_keeps_the_koperasi_it_published_over_equally_keen_ones(monkeypatch):
    # the published day gave BULOG's three places to k7, k8 and k9; a re-solve may not hand them to others,
    # and proves that without a search: the published timetable is as good as the relaxation allows
    problem = Problem.from_dict(oversubscribed_booth(tables=1))
    first = published({"r7": ("s1", 1), "r8": ("s2", 1), "r9": ("s3", 1)})
    built = recording_models(monkeypatch)
    again = solve(problem, SolveOptions(time_limit=10, workers=2, previous=first))
    assert again.status == "optimal"
    assert again.stability == {"kept": 3, "moved": 0, "dropped": 0}
    assert built == []


def test_a_booth_losing_a_table_drops_only_the_meetings_that_no_longer_fit_and_proves_it_at_once(monkeypatch):
    # BULOG's two tables held k4..k9 over three slots; it now has one
    first = published({f"r{i}": (f"s{i % 3 + 1}", i // 3) for i in range(4, 10)})
    smaller = Problem.from_dict(oversubscribed_booth(tables=1))
    built = recording_models(monkeypatch)
    again = solve(smaller, SolveOptions(time_limit=10, workers=2, previous=first))
    assert check(smaller, again).ok
    assert again.status == "optimal"
    # three of the six published meetings must go; the slot-free relaxation says so, so nothing is searched
    assert again.stability == {"kept": 3, "moved": 0, "dropped": 3}
    assert again.objective["moved"] == again.bound["moved"] == 3
    assert "moved" not in built


def test_on_a_province_sized_day_the_fewest_moves_are_searched_among_the_kept_meetings_only(monkeypatch):
    # koperasi "a" met three booths in a row; the middle meeting is cancelled, so one of the others must
    # move to spare "a" a break. On a small day the whole model proves that 1 move is the fewest; on a
    # province-sized day (its whole model costs minutes and gigabytes) the kept meetings are re-slotted alone
    # and the answer says what is proven: 1 move, at least 0
    booths = [{"id": b, "name": b.upper(), "tables": 1} for b in ("bulog", "pupuk", "pertamina")]
    doc = make_problem_dict(booths + ["a"], [
        {"id": "a-bulog", "parties": ["a", "bulog"]}, {"id": "a-pertamina", "parties": ["a", "pertamina"]}],
        slots=3, tables=0)
    first = published({"a-bulog": ("s1", 1), "a-pupuk": ("s2", 1), "a-pertamina": ("s3", 1)})
    small = solve(Problem.from_dict(doc), SolveOptions(time_limit=10, workers=2, previous=first))
    assert small.status == "optimal"
    assert small.objective["breaks"] == 0 and small.objective["moved"] == small.bound["moved"] == 1

    monkeypatch.setattr(solving, "DECOMPOSE_ABOVE", 0)
    built = recording_models(monkeypatch)
    large = solve(Problem.from_dict(doc), SolveOptions(time_limit=10, workers=2, previous=first))
    assert check(Problem.from_dict(doc), large).ok
    assert large.objective["breaks"] == 0 and large.objective["moved"] == 1
    assert large.status == "feasible" and large.bound["moved"] == 0
    assert "moved" not in built


def test_a_resolve_that_must_close_a_gap_keeps_the_published_meetings_in_place():
    # the timetable in hand gives koperasi "a" a break (bulog s1, pupuk s3); of the break-free ways to
    # slot the same meetings, the one published (s3, s4) is taken, not the one nearest that timetable
    booths = [{"id": b, "name": b.upper(), "tables": 1} for b in ("bulog", "pupuk")]
    problem = Problem.from_dict(make_problem_dict(booths + ["a"], [
        {"id": "a-bulog", "parties": ["a", "bulog"]}, {"id": "a-pupuk", "parties": ["a", "pupuk"]}],
        slots=4, tables=0))
    run = solving._Run(problem, SolveOptions(time_limit=10, workers=1, seed=1), None)
    run.previous = {"a-bulog": "s3", "a-pupuk": "s4"}
    in_hand = {"a-bulog": "s1", "a-pupuk": "s3"}
    slot_of, refuted = solving._without_breaks_keeping_selection(run, set(in_hand), in_hand, 5.0)
    assert slot_of == run.previous and not refuted
