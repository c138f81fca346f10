"""A curve of any length reduced to what a plot can show: min/max per bucket, kept
incrementally.

A plot is ~1,000 pixels wide; a run can be a million epochs long. Handing the
plot every point costs O(n) per frame (pyqtgraph scans the whole array for its
bounds and downsamples it again each time), and that Python time is taken from
the training thread through the GIL. The envelope folds only the new points
into buckets, so a frame costs O(new points + buckets) however long the run.

Each bucket contributes its minimum and its maximum, so spikes stay visible
(the same idea as pyqtgraph's "peak" downsampling). When there are more than
`2 × max_buckets` buckets, neighbours merge pairwise and buckets double in size.
"""

from __future__ import annotations

import numpy as np


class Envelope:
    """The display points of one growing series (x ascending)."""

    def __init__(self, max_buckets: int = 1024) -> None:
        self.max_buckets = max_buckets
        self.reset()

    def reset(self) -> None:
        self.size = 1  # source points per bucket
        self._done = 0  # source points folded into whole buckets
        self._x = np.zeros(0)  # each bucket's first x
        self._lo = np.zeros(0, dtype=np.float32)
        self._hi = np.zeros(0, dtype=np.float32)

    def points(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw for the series `x, y`, which must extend the one of the
        previous call (call `reset` when it does not)."""
        n = len(x)
        if n < self._done:  # the series got shorter: it is another series
            self.reset()
        if n <= 2 * self.max_buckets and self.size == 1:
            return x, y  # short enough to draw as it is
        self._fold(x, y)
        tail = slice(self._done, n)  # the last, partial bucket
        bx, lo, hi = self._x, self._lo, self._hi
        if n > self._done:
            bx = np.append(bx, x[self._done])
            lo = np.append(lo, y[tail].min())
            hi = np.append(hi, y[tail].max())
        out_x = np.repeat(bx, 2)
        out_y = np.empty(2 * len(lo), dtype=np.float32)
        out_y[0::2], out_y[1::2] = lo, hi
        return out_x, out_y

    def _fold(self, x: np.ndarray, y: np.ndarray) -> None:
        whole = (len(x) - self._done) // self.size
        if whole:
            end = self._done + whole * self.size
            chunk = y[self._done:end].reshape(whole, self.size)
            self._x = np.append(self._x, x[self._done:end:self.size])
            self._lo = np.append(self._lo, chunk.min(axis=1))
            self._hi = np.append(self._hi, chunk.max(axis=1))
            self._done = end
        while len(self._x) > 2 * self.max_buckets:
            if len(self._x) % 2:  # an odd bucket out: fold its points again at the new size
                self._x, self._lo, self._hi = self._x[:-1], self._lo[:-1], self._hi[:-1]
                self._done -= self.size
            self._x = self._x[0::2]
            self._lo = np.minimum(self._lo[0::2], self._lo[1::2])
            self._hi = np.maximum(self._hi[0::2], self._hi[1::2])
            self.size *= 2
            self._fold(x, y)  # points left over at the old size may now fill a bucket
