"""How often the window may redraw while training runs flat out.

Python's GIL is shared by the training thread and the GUI thread: every
millisecond the GUI spends in Python per frame is taken from training. The
budget keeps redrawing to a fraction of the wall time by stretching the
interval between frames when frames are expensive (e.g. 4 ms frames at 10 %
→ at most 25 frames a second; 20 ms frames → 5 a second).
"""

from __future__ import annotations


class FrameBudget:
    def __init__(self, fraction: float = 0.1, min_interval: float = 1 / 30,
                 max_interval: float = 0.1) -> None:
        self.fraction = fraction
        self.min_interval = min_interval
        self.max_interval = max_interval  # never fewer than 10 frames a second
        self.cost = 0.0  # seconds per frame: moving average of what paints measured
        self._frame_cost = 0.0
        self._last = -1e9

    def record(self, seconds: float) -> None:
        """Add the cost of one piece of a frame (a paint, a setData)."""
        self._frame_cost += seconds

    def due(self, now: float) -> bool:
        return now - self._last >= self.interval()

    def interval(self) -> float:
        return min(self.max_interval, max(self.min_interval, self.cost / self.fraction))

    def frame_started(self, now: float) -> None:
        """Close the previous frame's cost (its paints happen after the slot returns)."""
        if self._frame_cost:
            self.cost = 0.7 * self.cost + 0.3 * self._frame_cost if self.cost else \
                self._frame_cost
        self._frame_cost = 0.0
        self._last = now
