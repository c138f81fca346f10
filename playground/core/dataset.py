"""Tabular data sets: features with their names, units and ranges, and class labels.

Everything about a data set — feature names, units, class names and their
order — comes from the data and its metadata file, never from constants here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from playground.core.errors import DataError
from playground.core.resources import resources_dir

NA_MARKERS = frozenset({"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"})


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


def _file_identity(path: Path, name: str, builtin: bool) -> dict:
    data = path.read_bytes()
    return {"name": name, "builtin": builtin, "path": str(path), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            rows = list(reader)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise DataError(f"{path}: cannot read it as CSV text ({e})") from None
    if not header:
        raise DataError(f"{path}: the file is empty")
    for i, row in enumerate(rows, start=2):
        if row and len(row) != len(header):
            raise DataError(f"{path}, line {i}: {len(row)} fields where the header has "
                            f"{len(header)}")
    return [h.strip() for h in header], [r for r in rows if r]


def _parse_float(text: str) -> float:
    text = text.strip()
    if text in NA_MARKERS:
        return math.nan
    return float(text)


def load_csv(path: str | Path, label: str, features: list[str] | None = None,
             meta: dict | None = None, classes: list[str] | None = None) -> Dataset:
    """A classification data set from a CSV file with a header row.

    Rows missing any of the chosen features or the label are dropped and
    counted. Without `features`, every other column that holds numbers is used.
    Without `classes`, the class order is the order of first appearance.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    if label not in header:
        raise DataError(f"{path}: no column named {label!r} (columns: {', '.join(header)})")
    label_at = header.index(label)
    if features is None:
        features = [h for i, h in enumerate(header) if i != label_at and _is_numeric(rows, i)]
        if not features:
            raise DataError(f"{path}: no column besides {label!r} holds numbers")
    for name in features:
        if name not in header:
            raise DataError(f"{path}: no feature column named {name!r}")
        if name == label:
            raise DataError(f"{path}: {label!r} cannot be both the label and a feature")
    cols = [header.index(name) for name in features]

    x_rows, labels, dropped = [], [], 0
    for line, row in enumerate(rows, start=2):
        try:
            values = [_parse_float(row[c]) for c in cols]
        except ValueError:
            bad = next(c for c in cols if not _is_float(row[c]))
            raise DataError(f"{path}, line {line}, column {header[bad]!r}: "
                            f"{row[bad]!r} is not a number") from None
        text = row[label_at].strip()
        if text in NA_MARKERS or any(math.isnan(v) for v in values):
            dropped += 1
            continue
        x_rows.append(values)
        labels.append(text)
    if not labels:
        raise DataError(f"{path}: no row has every feature and the label")

    found = list(dict.fromkeys(labels))
    if classes is None:
        classes = found
    unknown = [c for c in found if c not in classes]
    if unknown:
        raise DataError(f"{path}: label {unknown[0]!r} is not one of {', '.join(classes)}")
    if len(set(labels)) < 2:
        raise DataError(f"{path}: the label {label!r} has only one class ({labels[0]!r})")

    x = np.asarray(x_rows, dtype=np.float64)
    if not np.isfinite(x).all():
        raise DataError(f"{path}: a feature value is infinite")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[t] for t in labels], dtype=np.int64)
    meta = meta or {}
    described = {f["column"]: f for f in meta.get("features", [])}
    feats = tuple(
        Feature(name, described.get(name, {}).get("display", ""),
                described.get(name, {}).get("unit", ""),
                float(x[:, j].min()), float(x[:, j].max()))
        for j, name in enumerate(features))
    builtin = bool(meta.get("builtin"))
    return Dataset(name=meta.get("name", path.stem), features=feats,
                   class_names=tuple(classes), x=x, y=y, label=label, dropped=dropped,
                   identity=_file_identity(path, meta.get("name", path.stem), builtin),
                   example=meta.get("example"))


def _is_float(text: str) -> bool:
    try:
        _parse_float(text)
    except ValueError:
        return False
    return True


def _is_numeric(rows: list[list[str]], col: int) -> bool:
    values = [r[col].strip() for r in rows if r[col].strip() not in NA_MARKERS]
    return bool(values) and all(_is_float(v) for v in values)


def load_builtin(name: str = "penguins") -> Dataset:
    """A data set shipped in `resources/`, described by its metadata file."""
    folder = resources_dir()
    meta_path = folder / f"{name}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(f"built-in data set {name!r} is missing or damaged ({e})") from None
    meta = {**meta, "builtin": True}
    return load_csv(folder / meta["file"], meta["label"],
                    [f["column"] for f in meta["features"]], meta=meta,
                    classes=meta["classes"])


def load_penguins() -> Dataset:
    return load_builtin("penguins")
