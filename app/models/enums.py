"""Helpers for storing Python enums as readable strings on every database."""

import enum

from sqlalchemy import Enum


def string_enum(cls: type[enum.Enum]) -> Enum:
    """Return a column type storing the enum's values (not names) as a checked VARCHAR."""
    return Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])
