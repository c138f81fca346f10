"""The columns of an import as they grow block by block, and the features they become.

Numbers go into one float64 matrix that grows in place (capacity from the estimated
row count, so it is rarely copied); text goes into category codes (int32), which
become one-hot columns, one per category in sorted order, once the whole file is read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.core.data.column_roles import class_order
from playground.core.data.csv_blocks import NA_MARKERS
from playground.core.data.dataset import Feature
from playground.core.errors import DataError

_NA = frozenset(NA_MARKERS)


class GrowingMatrix:
    def __init__(self, width: int, capacity: int, dtype=np.float64) -> None:
        self._data = np.empty((max(capacity, 16), width), dtype)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, rows: np.ndarray) -> None:
        end = self._n + len(rows)
        if end > len(self._data):
            grown = np.empty((max(end, int(len(self._data) * 1.5)), self._data.shape[1]),
                             self._data.dtype)
            grown[:self._n] = self._data[:self._n]
            self._data = grown
        self._data[self._n:end] = rows
        self._n = end

    def array(self) -> np.ndarray:
        """The rows so far: a view, or a tight copy if much capacity is unused."""
        if len(self._data) > 1.25 * self._n + 16:
            self._data = self._data[:self._n].copy()
        return self._data[:self._n]


class CategoryCodes:
    """A text column as codes (-1 = missing), the categories in the order first seen
    until `finish` sorts them (or puts them in the `fixed` order)."""

    def __init__(self, name: str, limit: int, capacity: int,
                 fixed: tuple[str, ...] | None = None) -> None:
        self.name, self.limit, self.fixed = name, limit, fixed
        self.names: list[str] = list(fixed) if fixed is not None else []
        self._lookup = {n: i for i, n in enumerate(self.names)}
        self._codes = GrowingMatrix(1, capacity, np.int32)

    def __len__(self) -> int:
        return len(self._codes)

    def codes_of(self, series, block, path: Path) -> np.ndarray:
        import pandas as pd

        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        lut = np.empty(len(uniques) + 1, np.int32)
        lut[-1] = -1  # factorize's missing code is -1: the last entry
        for i, value in enumerate(uniques):
            text = str(value).strip()
            if text in _NA:
                lut[i] = -1
                continue
            code = self._lookup.get(text)
            if code is None:
                if self.fixed is not None:
                    row = int(np.flatnonzero(codes == i)[0])
                    raise DataError(f"{path}, line {block.line_of(row)}: label {text!r} is "
                                    f"not one of {', '.join(self.fixed)}")
                code = self._lookup[text] = len(self.names)
                self.names.append(text)
                if len(self.names) > self.limit:
                    what = "classes" if self.limit > 50 else "categories"
                    raise DataError(f"{path}: column {self.name!r} has more than {self.limit} "
                                    f"different values: too many {what}")
            lut[i] = code
        return lut[codes]

    def append(self, codes: np.ndarray) -> None:
        self._codes.append(codes[:, None])

    def fill_most_common(self) -> int:
        codes = self._codes.array()[:, 0]
        holes = codes < 0
        count = int(holes.sum())
        if count:
            if count == len(codes):
                raise DataError(f"column {self.name!r} has no values to fill its gaps with")
            codes[holes] = int(np.bincount(codes[~holes]).argmax())
        return count

    def finish(self) -> tuple[list[str], np.ndarray]:
        """The categories in their final order and the codes in that order (int64)."""
        order = list(self.fixed) if self.fixed is not None else class_order(self.names)
        remap = np.array([order.index(n) for n in self.names] + [-1], np.int64)
        return order, remap[self._codes.array()[:, 0]]


def build_features(plan, numeric: list[str], matrix: GrowingMatrix,
                   codes: dict[str, CategoryCodes], path: Path):
    """(features, x) in the plan's feature order; a text column becomes one one-hot
    column per category, next to each other where the column was."""
    numbers = matrix.array()
    n = len(numbers)
    features, columns = [], []  # columns: (source array, column index or category)
    for name in plan.features:
        if name in codes:
            cats, c = codes[name].finish()
            for k, cat in enumerate(cats):
                features.append(Feature(f"{name}={cat}", f"{name} = {cat}", "", 0.0, 1.0,
                                        group=name, category=cat))
                columns.append((c, k))
        else:
            j = numeric.index(name)
            columns.append((None, j))
            features.append(Feature(name))
    if not codes:
        x = numbers
    else:
        x = np.empty((n, len(columns)), np.float64)
        for i, (c, k) in enumerate(columns):
            x[:, i] = numbers[:, k] if c is None else (c == k)
    if n and x.shape[1]:
        low, high = x.min(axis=0), x.max(axis=0)
        features = [f if f.is_one_hot else f.with_range(lo, hi)
                    for f, lo, hi in zip(features, low, high, strict=True)]
    return tuple(features), x
