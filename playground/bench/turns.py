"""Comparing runs on a machine whose speed drifts: they take turns, side by side.

This machine's speed drifts by ±20 % over minutes, both ways. Two whole runs made
one after the other each get a phase of their own, and their ratio measures the
drift as much as the runs. Runs that take turns in short segments share every
phase. The order reverses every turn, so a steady drift within a turn favours no
run: of two, neither always goes first; of three, the middle one stays there.
"""

from __future__ import annotations

from collections.abc import Callable

Run = Callable[[int], float]  # trains this many epochs more; returns the seconds


def segments(epochs: int, turns: int) -> list[int]:
    """`epochs` split into `turns` near-equal segments (none empty)."""
    turns = max(1, min(turns, epochs))
    return [epochs // turns + (i < epochs % turns) for i in range(turns)]


def take_turns(runs: dict[str, Run], epochs: int, turns: int,
               reverse: bool = False) -> dict[str, float]:
    """Epochs per second of each run over `epochs` epochs, trained in `turns` turns."""
    seconds = dict.fromkeys(runs, 0.0)
    order = list(runs)[::-1] if reverse else list(runs)
    for n in segments(epochs, turns):
        for name in order:
            seconds[name] += runs[name](n)
        order.reverse()
    return {name: epochs / s for name, s in seconds.items()}


def median_round(bares: list[float], apps: list) -> tuple[float, object, list[float]]:
    """(bare, app, every round's ratio) of the round whose app / bare ratio is the median
    (the lower one for an even count). `apps` holds epochs per second, or tuples that
    start with them."""
    ratios = [(a[0] if isinstance(a, tuple) else a) / b for a, b in zip(apps, bares,
                                                                       strict=True)]
    middle = sorted(range(len(ratios)), key=ratios.__getitem__)[(len(ratios) - 1) // 2]
    return bares[middle], apps[middle], ratios
