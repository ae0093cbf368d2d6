"""Input no person types: NUL characters are dropped from query and form values, refused in URL paths.

PostgreSQL cannot store a NUL in a text column; left in, a pasted or forged NUL turned a form post into a 500.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, abort
from werkzeug.datastructures import ImmutableMultiDict


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):
    """Query or form values (and names) with every NUL character removed; uploaded files are left alone."""

    def __init__(self, mapping: Any = None) -> None:
        if isinstance(mapping, list):
            mapping = [(_without_nul(key), _without_nul(value)) for key, value in mapping]
        super().__init__(mapping)


class CleanRequest(Request):
    """The app's request: query and form values come without NUL characters."""

    parameter_storage_class = NulFreeMultiDict


def register_input_cleaning(app: Flask) -> None:
    """Use the cleaning request class, and answer 404 to a URL whose path values hold a NUL."""
    app.request_class = CleanRequest

    @app.url_value_preprocessor
    def refuse_nul_in_path(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and any(isinstance(v, str) and "\x00" in v for v in values.values()):
            abort(404)
