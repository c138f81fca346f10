"""Tabular data sets: features with their names, units and ranges, and class labels.

Everything about a data set — feature names, units, class names and their
order — comes from the data and its metadata file, never from constants here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from playground.core.errors import DataError
from playground.core.resources import resources_dir


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


def load_csv(path: str | Path, label: str, features: list[str] | None = None,
             meta: dict | None = None, classes: list[str] | None = None,
             missing: str = "drop") -> Dataset:
    """A data set from a CSV file with a header row, read by table_import.py.

    Rows missing any of the chosen features or the label are dropped and counted
    (`missing="fill"`: gaps in features are filled; see table_import.py).
    Without `features`, every usable column besides the label (numbers, and text with
    a few categories, one-hot encoded; not IDs or constant columns). Without
    `classes`, the classes are in sorted order. `meta` names and describes the
    data set and its columns (see resources/penguins.json).
    """
    from playground.core.column_roles import ImportPlan
    from playground.core.table_import import import_table, preview

    path = Path(path)
    table = preview(path)
    names = [c.name for c in table.columns]
    if label not in names:
        raise DataError(f"{path}: no column named {label!r} (columns: {', '.join(names)})")
    if features is None:
        usable = {c.name for c in table.columns if c.usable}
        features = [n for n in names if n != label and n in usable]
    numeric = {c.name for c in table.columns if c.numeric}
    base = table.plan_for({label: "label"})
    plan = ImportPlan(label, tuple(features), tuple(f for f in features if f not in numeric),
                      base.task if classes is None else "classification", missing,
                      None if classes is None else tuple(classes),
                      base.delimiter, base.encoding, base.decimal)
    meta = meta or {}
    dataset = import_table(path, plan, name=meta.get("name"))
    if not meta:
        return dataset
    described = {f["column"]: f for f in meta.get("features", [])}
    feats = tuple(replace(f, display=described.get(f.column, {}).get("display", f.display),
                          unit=described.get(f.column, {}).get("unit", f.unit))
                  for f in dataset.features)
    identity = dataset.identity
    if meta.get("builtin"):  # the shipped file: found by name, nothing to re-import
        identity = {"name": identity["name"], "builtin": True, "path": str(path),
                    "size": identity["size"], "sha256": identity["sha256"]}
    return replace(dataset, features=feats, identity=identity, example=meta.get("example"))


def load_builtin(name: str = "penguins") -> Dataset:
    """A data set shipped in `resources/`, described by its metadata file."""
    folder = resources_dir()
    meta_path = folder / f"{name}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(f"built-in data set {name!r} is missing or damaged ({e})") from None
    meta = {**meta, "builtin": True}
    from playground.core import data_cache

    path = folder / meta["file"]
    try:
        digest = data_cache.file_digest(path)
    except OSError as e:
        raise DataError(f"built-in data set {name!r} is missing or damaged ({e})") from None
    cached = data_cache.read_cached(name, digest)
    if cached is not None:  # where the file is now (a bundle, another checkout)
        return replace(cached, identity={**cached.identity, "path": str(path)})
    dataset = load_csv(path, meta["label"], [f["column"] for f in meta["features"]],
                       meta=meta, classes=meta["classes"])
    data_cache.write_cached(name, digest, dataset)
    return dataset


def load_penguins() -> Dataset:
    return load_builtin("penguins")
