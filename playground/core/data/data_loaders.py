"""Data sets from files: any CSV file, and the ones shipped in `resources/`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from playground.core.data import data_cache
from playground.core.data.dataset import Dataset
from playground.core.errors import DataError
from playground.core.files.resources import resources_dir


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
    # Imported here: the CSV reader loads hashlib, which the window's first paint need
    # not wait for while the built-in data set comes from its cache (data_cache.py).
    from playground.core.data.column_roles import ImportPlan
    from playground.core.data.table_import import import_table, preview

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
