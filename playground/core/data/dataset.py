"""Tabular data sets: features with their names, units and ranges, and class labels.

Everything about a data set — feature names, units, class names and their
order — comes from the data and its metadata file, never from constants here.
The values only: reading them from files is data_loaders.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np


@dataclass(frozen=True)
class Feature:
    """One input column: how to name it to a person, and the values it takes."""

    column: str
    display: str = ""
    unit: str = ""
    low: float = math.nan
    high: float = math.nan
    # A one-hot column stands for `category` of the text column `group` (e.g. island =
    # Biscoe); the prediction panel shows the columns of one group as one drop-down.
    group: str = ""
    category: str = ""

    @property
    def is_one_hot(self) -> bool:
        return bool(self.group)

    def with_range(self, low: float, high: float) -> Feature:
        return replace(self, low=float(low), high=float(high))

    @property
    def label(self) -> str:
        """"Bill length (mm)" — the name to show a person."""
        name = self.display or self.column
        return f"{name} ({self.unit})" if self.unit else name

    def to_dict(self) -> dict:
        d = {"column": self.column, "display": self.display, "unit": self.unit,
             "low": self.low, "high": self.high}
        if self.group:
            d |= {"group": self.group, "category": self.category}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Feature:
        return cls(str(d["column"]), str(d.get("display", "")), str(d.get("unit", "")),
                   float(d.get("low", math.nan)), float(d.get("high", math.nan)),
                   str(d.get("group", "")), str(d.get("category", "")))


@dataclass(frozen=True, eq=False)
class Dataset:
    """Raw feature matrix `x` (rows × features, float64) and the label `y`: class
    indices (int64) for classification, the target values (float64) for regression."""

    name: str
    features: tuple[Feature, ...]
    class_names: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray
    label: str = "label"
    dropped: int = 0
    identity: dict = field(default_factory=dict)
    example: dict | None = None
    task: str = "classification"  # or "regression": one linear output, MSE loss, R²

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    @property
    def n_features(self) -> int:
        return len(self.features)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def __len__(self) -> int:
        return len(self.y)

    @property
    def nouns(self) -> tuple[str, str]:
        """What to call one row and its label in the window: penguins have species."""
        if self.name == "Palmer penguins":
            return "penguin", "species"
        return "sample", self.label if self.is_regression else "class"

    @property
    def n_outputs(self) -> int:
        """Output neurons: one per class, or the single predicted value."""
        return 1 if self.is_regression else self.n_classes

    def class_counts(self) -> dict[str, int]:
        counts = np.bincount(self.y, minlength=self.n_classes)
        return {name: int(c) for name, c in zip(self.class_names, counts, strict=True)}

    def example_vector(self) -> np.ndarray:
        """A real row to start the prediction panel with."""
        if self.example:
            return np.array([float(self.example[f.column]) for f in self.features])
        return self.x[0].copy()
