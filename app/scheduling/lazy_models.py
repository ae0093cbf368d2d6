"""The CP-SAT models the lexicographic levels are searched in, built only when a level needs a search.

Building the time-indexed model of a province day takes seconds of Python; when the slot-free relaxation
and the block model settle every level, it is never needed. Every level's result is recorded here and
added to each model, whether it exists already or is built later.
"""

from __future__ import annotations

from .model import Model, build_model
from .problem import Problem


class LevelModels:
    """Lazily built models: a selection model for served and weight (when breaks do not constrain them)
    and the full model for the rest, each carrying every level result settled so far."""

    def __init__(self, problem: Problem, previous: dict[str, str] | None) -> None:
        self.problem, self.previous = problem, previous
        self.split = problem.rules.max_break_spread is None  # served/weight do not depend on breaks
        self.built: dict[str, Model] = {}
        self.settled: list[tuple[str, str, int]] = []  # (level, relation, value)

    def for_level(self, level: str) -> Model:
        """The model `level` is searched in, built on first use."""
        key = "selection" if self.split and level in ("served", "weight") else "full"
        if key not in self.built:
            model = build_model(self.problem, previous=self.previous, with_breaks=key == "full")
            for settled in self.settled:
                _apply(model, *settled)
            self.built[key] = model
        return self.built[key]

    def constrain(self, level: str, relation: str, value: int) -> None:
        """Add `level relation value` to every model, now and when built."""
        self.settled.append((level, relation, value))
        for model in self.built.values():
            _apply(model, level, relation, value)


def _apply(model: Model, level: str, relation: str, value: int) -> None:
    expr = model.levels[level]
    if isinstance(expr, int | float):
        return
    if relation == "==":
        model.cp.add(expr == value)
    elif relation == ">=":
        model.cp.add(expr >= value)
    else:
        model.cp.add(expr <= value)


def constant_level(problem: Problem, level: str, previous: dict[str, str] | None) -> bool:
    """True when a level cannot vary at all (so nothing is searched for it)."""
    if level in ("served", "weight"):
        return not any(problem.allowed_slots(r) for r in problem.requests)
    if level == "moved":
        return not previous
    return all(party.id in problem.never_breaks for party in problem.parties)
