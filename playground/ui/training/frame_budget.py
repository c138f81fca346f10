"""How often the window may redraw while training runs flat out.

Python's GIL is shared by the training thread and the GUI thread: every
millisecond the GUI spends in Python per frame is taken from training, and
more, because each entry into Python is a GIL handoff. Measured here: a frame
costs the training thread three to four times the Python time of the window's
redraw, which is what the budget measures (painting runs without Python). The
budget keeps that Python time to 1.5 % of the wall time, so the whole cost to
about 5 %, by stretching the interval between frames (1 ms frames → at most 15
frames a second), but never below 10 frames a second. The training thread
sends its updates at that interval.
"""

from __future__ import annotations


class FrameBudget:
    def __init__(self, fraction: float = 0.015, min_interval: float = 1 / 30,
                 max_interval: float = 0.09) -> None:
        self.fraction = fraction
        self.min_interval = min_interval
        # ≥ 10 frames a second with room to spare: an update waits for the epoch that
        # ends after it is due, up to 8 ms at batch 16 (measured: 0.09 gives 11.1 a
        # second at full batch and 10.6 at batch 16; 0.095 gave 10.5 and 10.0; 0.085
        # gave 11.7 and cost training the extra frames).
        self.max_interval = max_interval
        self.cost = 0.0  # seconds per frame: moving average of the Python time measured
        self._frame_cost = 0.0

    def record(self, seconds: float) -> None:
        """Add the Python time of one piece of a frame."""
        self._frame_cost += seconds

    def interval(self) -> float:
        return min(self.max_interval, max(self.min_interval, self.cost / self.fraction))

    def frame_started(self, now: float) -> None:
        """Close the previous frame's cost."""
        if self._frame_cost:
            self.cost = 0.7 * self.cost + 0.3 * self._frame_cost if self.cost else \
                self._frame_cost
        self._frame_cost = 0.0
