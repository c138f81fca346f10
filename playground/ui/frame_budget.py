"""How often the window may redraw while training runs flat out.

Python's GIL is shared by the training thread and the GUI thread: every
millisecond the GUI spends in Python per frame is taken from training (measured:
several times over, as the GIL changes hands; what is measured here is the
Python part of a frame, about a third of the GUI thread's whole work per frame).
The budget keeps the measured cost to a fraction of the wall time by stretching
the interval between frames (1 ms frames at 3 % → at most 30 frames a second),
but never below 10 frames a second. The training thread sends its updates at
that interval.
"""

from __future__ import annotations


class FrameBudget:
    def __init__(self, fraction: float = 0.03, min_interval: float = 1 / 30,
                 max_interval: float = 0.09) -> None:
        self.fraction = fraction
        self.min_interval = min_interval
        # ≥ 10 frames a second with room to spare: an update waits for the epoch that
        # ends after it is due, up to 8 ms at batch 16 (measured: 0.09 gives 11.1 a
        # second at full batch and 10.6 at batch 16; 0.095 gave 10.5 and 10.0; 0.085
        # gave 11.7 and cost training the extra frames).
        self.max_interval = max_interval
        self.cost = 0.0  # seconds per frame: moving average of what paints measured
        self._frame_cost = 0.0

    def record(self, seconds: float) -> None:
        """Add the cost of one piece of a frame (a paint, a setData)."""
        self._frame_cost += seconds

    def interval(self) -> float:
        return min(self.max_interval, max(self.min_interval, self.cost / self.fraction))

    def frame_started(self, now: float) -> None:
        """Close the previous frame's cost (its paints happen after the slot returns)."""
        if self._frame_cost:
            self.cost = 0.7 * self.cost + 0.3 * self._frame_cost if self.cost else \
                self._frame_cost
        self._frame_cost = 0.0
