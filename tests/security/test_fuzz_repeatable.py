"""The property and fuzz tests try the same examples on every run, unless asked to explore."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzzing import FUZZ


def test_fuzz_tests_draw_the_same_examples_on_every_run():
    if os.environ.get("HYPOTHESIS_PROFILE", "repeatable") != "repeatable":
        pytest.skip("HYPOTHESIS_PROFILE asks for new examples on purpose")
    runs: list[list[str]] = []

    @FUZZ
    @given(st.text(max_size=20))
    def draw(text: str) -> None:
        runs[-1].append(text)

    for _ in range(2):
        runs.append([])
        draw()
    assert runs[0] == runs[1] and len(set(runs[0])) > 1
