"""Checks for the fields of a value read from a file or typed in: each returns the
value or raises a SpecError that names the field and what it must be."""

from __future__ import annotations

import math
from typing import Any

from playground.core.errors import SpecError


def int_field(name: str, value: Any, low: int, high: int) -> int:
    # isfinite first: int() of inf or NaN raises OverflowError/ValueError, not SpecError
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or (isinstance(value, float) and not math.isfinite(value)) or value != int(value):
        raise SpecError(f"{name} must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise SpecError(f"{name} must be between {low} and {high}, not {int(value)}")
    return int(value)


def float_field(name: str, value: Any, low: float, high: float,
                 low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not (value > low if low_open else value >= low) or not value <= high:
        bracket = "(" if low_open else "["
        raise SpecError(f"{name} must be in {bracket}{low:g}, {high:g}], not {value!r}")
    return value


def choice_field(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise SpecError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def mapping(name: str, d: Any) -> dict:
    if not isinstance(d, dict):
        raise SpecError(f"{name} must be a mapping, not {type(d).__name__}")
    return d
