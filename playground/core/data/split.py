"""Train/validation split (stratified by class; random for regression) and
standardization fitted on training rows — of the inputs, and of a regression target."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np

from playground.core.data import split_cache
from playground.core.data.dataset import Dataset

BLOCK_ROWS = 65_536


@dataclass(frozen=True, eq=False)
class Standardizer:
    """x ↦ (x − mean) / scale, with the statistics of the training rows only."""

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardizer:
        mean = x.mean(axis=0, dtype=np.float64)
        scale = x.std(axis=0, dtype=np.float64)
        scale[scale == 0] = 1.0  # a constant column carries no information; keep it at 0
        return cls(mean, scale)

    def transform(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim < 2 or x.shape[0] <= BLOCK_ROWS:
            return ((x - self.mean) / self.scale).astype(np.float32)
        # A big matrix in blocks: float64 temporaries of a block, not of the whole (for a
        # million rows those are hundreds of megabytes, and seconds of page faults).
        out = np.empty(x.shape, dtype=np.float32)
        for start in range(0, x.shape[0], BLOCK_ROWS):
            block = x[start:start + BLOCK_ROWS]
            out[start:start + BLOCK_ROWS] = (block - self.mean) / self.scale
        return out

    def to_dict(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> Standardizer:
        return cls(np.asarray(d["mean"], dtype=np.float64),
                   np.asarray(d["scale"], dtype=np.float64))


def stratified_split(y: np.ndarray, val_fraction: float, seed: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Indices of training and validation rows, each class split in the same proportion."""
    rng = np.random.default_rng(seed)
    train, val = [], []
    # The classes present, in order: bincount rather than np.unique, which imports
    # numpy.ma (18 ms before the window's first paint).
    for c in np.flatnonzero(np.bincount(y)):
        rows = rng.permutation(np.flatnonzero(y == c))
        n_val = int(round(len(rows) * val_fraction))
        if val_fraction > 0 and len(rows) >= 2:
            n_val = min(max(n_val, 1), len(rows) - 1)
        val.append(rows[:n_val])
        train.append(rows[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def random_split(n: int, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of training and validation rows for a regression target (no classes)."""
    rows = np.random.default_rng(seed).permutation(n)
    n_val = int(round(n * val_fraction))
    if val_fraction > 0 and n >= 2:
        n_val = min(max(n_val, 1), n - 1)
    return np.sort(rows[n_val:]), np.sort(rows[:n_val])


@dataclass(frozen=True, eq=False)
class PreparedData:
    """The split, standardized arrays a trainer consumes."""

    train_x: np.ndarray
    train_y: np.ndarray
    val_x: np.ndarray
    val_y: np.ndarray
    standardizer: Standardizer
    train_low: np.ndarray
    train_high: np.ndarray
    val_index: np.ndarray
    # Regression: train_y/val_y are the standardized targets (float32), and this maps
    # them back to the data's units. The loss and R² then do not depend on the units.
    target: Standardizer | None = None

    @property
    def n_features(self) -> int:
        return self.train_x.shape[1]

    @property
    def is_regression(self) -> bool:
        return self.target is not None

    def target_values(self, standardized: np.ndarray) -> np.ndarray:
        """Predicted or true targets in the data's units (regression only)."""
        t = self.target
        return np.asarray(standardized, dtype=np.float64) * t.scale[0] + t.mean[0]


_RECENT: list[tuple[weakref.ref, float, int, PreparedData]] = []  # newest last
_RECENT_LOCK = threading.Lock()
RECENT_KEPT = 2


def prepare(dataset: Dataset, val_fraction: float, seed: int) -> PreparedData:
    """The split and standardized arrays for this data set, validation share and seed.

    The window, the training thread and an import each ask for the same split; for a
    million rows it takes a second or more, so the last few are kept (a split is
    never written to) and handed out again for the same data set object and settings.
    """
    with _RECENT_LOCK:
        for ref, fraction, s, data in _RECENT:
            if ref() is dataset and fraction == val_fraction and s == seed:
                return data
    data = _prepare(dataset, val_fraction, seed)
    with _RECENT_LOCK:
        _RECENT[:] = [e for e in _RECENT if e[0]() is not None][-(RECENT_KEPT - 1):]
        _RECENT.append((weakref.ref(dataset), val_fraction, seed, data))
    return data


def split_rows(dataset: Dataset, val_fraction: float, seed: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation rows; a small data set's come from the split cache once
    drawn (see split_cache.py: drawing imports numpy.random before the first paint)."""
    n, name = len(dataset.y), None
    if n <= split_cache.MAX_ROWS:
        name = split_cache.split_name(None if dataset.is_regression else dataset.y, n,
                                      val_fraction, seed)
        cached = split_cache.read_split(name, n)
        if cached is not None:
            return cached
    if dataset.is_regression:
        rows = random_split(n, val_fraction, seed)
    else:
        rows = stratified_split(dataset.y, val_fraction, seed)
    if name is not None:
        split_cache.write_split(name, *rows)
    return rows


def _prepare(dataset: Dataset, val_fraction: float, seed: int) -> PreparedData:
    train_idx, val_idx = split_rows(dataset, val_fraction, seed)
    raw_train = dataset.x[train_idx]
    std = Standardizer.fit(raw_train)
    train_y, val_y, target = dataset.y[train_idx], dataset.y[val_idx], None
    if dataset.is_regression:
        target = Standardizer.fit(train_y.reshape(-1, 1))
        train_y = target.transform(train_y.reshape(-1, 1))[:, 0]
        val_y = target.transform(val_y.reshape(-1, 1))[:, 0]
    return PreparedData(std.transform(raw_train), train_y,
                        std.transform(dataset.x[val_idx]), val_y, std,
                        raw_train.min(axis=0), raw_train.max(axis=0), val_idx, target)
