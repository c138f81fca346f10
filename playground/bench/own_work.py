"""How much later a GUI timer's ticks are because of one piece of work, read from the
same ticks (Qt-free).

Comparing the timer's lateness in two states (the work running, the work not) is
limited by the machine: two identical states of one four-minute run read 6 % apart at
the 99th percentile here (resources/bench/HISTORY.md). Recording when the work held
the GUI thread instead, each tick's lateness is set beside what it would have been
without that work: the part of the tick's wait the work overlapped is taken out. The
same ticks, in the same phases of the machine, so what differs between the two is the
work's own share and nothing else.

It sees what the work did on the GUI thread (its Python, its Qt calls, the repaints it
brought), not what it did to the machine besides (the caches, the training thread's
share of the GIL): the throughput rows and the switched comparison see those.
"""

from __future__ import annotations

import numpy as np


def lateness(ticks, tick_s: float) -> np.ndarray:
    """How late each tick after the first fired (ms): the time since the one before,
    less the interval (never below 0). Every lateness in the benchmark is this one."""
    t = np.asarray(ticks, dtype=np.float64)
    return np.maximum(np.diff(t) - tick_s, 0.0) * 1000


def taken_out(ticks, work, tick_s: float) -> np.ndarray:
    """`lateness` with the work's time taken out (ms): from each tick's lateness, the
    time the work held the GUI thread between when the tick was due (the one before,
    plus the interval) and when it fired. `work`: (start, end) times on the ticks'
    clock, in any order (time two of them share counts once)."""
    t = np.asarray(ticks, dtype=np.float64)
    due, fired = t[:-1] + tick_s, t[1:]
    overlap = np.zeros(len(fired))
    for start, end in _merged(work):
        # The ticks whose wait the work may overlap: fired after it began, due before
        # it ended (waits never overlap one another: a handful at most).
        i = int(np.searchsorted(fired, start, side="right"))
        while i < len(fired) and due[i] < end:
            overlap[i] += max(min(end, fired[i]) - max(start, due[i]), 0.0)
            i += 1
    return np.maximum(np.maximum(fired - due, 0.0) - overlap, 0.0) * 1000


def _merged(work) -> list[tuple[float, float]]:
    """Stretches of time (start, end), sorted, those that touch or overlap joined."""
    merged: list[list[float]] = []
    for start, end in sorted(work):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
