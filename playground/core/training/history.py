"""Per-epoch training curves in growing numpy buffers (capacity doubles)."""

from __future__ import annotations

import numpy as np

METRICS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


class History:
    """Epoch numbers and the four curves; appending is amortized O(1)."""

    def __init__(self, capacity: int = 1024) -> None:
        self._n = 0
        self._epochs = np.zeros(capacity, dtype=np.float64)
        self._data = {m: np.zeros(capacity, dtype=np.float32) for m in METRICS}

    def __len__(self) -> int:
        return self._n

    def _grow(self, needed: int) -> None:
        capacity = len(self._epochs)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        self._epochs = np.resize(self._epochs, capacity)
        self._data = {m: np.resize(a, capacity) for m, a in self._data.items()}

    def extend(self, epochs: np.ndarray, **metrics: np.ndarray) -> None:
        k = len(epochs)
        if k == 0:
            return
        self._grow(self._n + k)
        self._epochs[self._n:self._n + k] = epochs
        for m in METRICS:
            self._data[m][self._n:self._n + k] = metrics[m]
        self._n += k

    @property
    def epochs(self) -> np.ndarray:
        """A view of the filled part (no copy)."""
        return self._epochs[:self._n]

    def __getitem__(self, metric: str) -> np.ndarray:
        return self._data[metric][:self._n]

    def last(self, metric: str) -> float:
        return float(self._data[metric][self._n - 1]) if self._n else float("nan")

    def truncate(self, n: int) -> None:
        self._n = min(self._n, n)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"epochs": self.epochs.copy(), **{m: self[m].copy() for m in METRICS}}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> History:
        h = cls(max(1024, len(arrays["epochs"])))
        h.extend(np.asarray(arrays["epochs"]),
                 **{m: np.asarray(arrays[m]) for m in METRICS})
        return h
