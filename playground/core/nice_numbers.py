"""Axis limits in round steps (…, 0.5, 1, 2, 5, 10, …), shared by every plot."""

from __future__ import annotations

import math


def nice_ceiling(x: float, at_least: float = 0.0) -> float:
    """The next of …, 0.5, 1, 2, 5, 10, 20, … at or above x (and `at_least`).

    Axes grow in these steps instead of auto-ranging: an auto-ranged axis changes
    every frame, and re-laying out a plot costs ~10 ms of Python (measured), time
    the GIL takes from training."""
    x = max(x, at_least)
    if not math.isfinite(x) or x <= 0:
        return max(at_least, 1.0)
    exp = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * exp >= x * (1 - 1e-12):
            return float(m * exp)
    return float(10 * exp)
