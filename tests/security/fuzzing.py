"""Hypothesis building blocks shared by the fuzz tests: settings, hostile values, JSON documents and mutations."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest example counts: the whole folder should run in about two minutes on a shared two-core machine.
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

SCRIPT = "<script>alert('xss')</script>"
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "Ⅻ" * 300,
    "😀" * 100,
    "\u202eevil",
    "\ufeffBOM",
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "%(name)s %s %d",
    '=HYPERLINK("http://evil.test","klik")',
    "+62 812-3456-7890",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2025-02-30",
    "25:99",
    "../../etc/passwd",
    "true",
    "null",
    "[]",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers().map(str),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 0, 1, 2**31, 2**63, -(2**63), 10**30, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", "Asia", "America", "Asia/Jakarta", "x" * 300, "0001-01-01T00:00:00+14:00", "s1", "a"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Return the path of every value inside a JSON document (the root excluded)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append(path + (key,))
            found.extend(_paths(value, path + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append(path + (index,))
            found.extend(_paths(value, path + (index,)))
    return found


@st.composite
def mutated(draw, document: dict[str, Any], max_mutations: int = 3) -> Any:
    """Return a copy of the document with one to three values replaced, removed or added at random."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(doc)
        if not paths:
            return draw(json_values)
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    return doc
