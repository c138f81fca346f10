"""The data a training script trains on: the playground's own prepared arrays.

The exported script reads no CSV file. It gets the rows exactly as the playground
prepared them (text columns one-hot encoded, gaps filled, every separator and
decimal comma already read, features standardized on the training rows, the
split made, the target standardized for regression) as .npy files, which
`np.load(..., allow_pickle=False)` reads and `mmap_mode="r"` lets each process read
only its own share of. The config records where the rows came from (the original
file's name and sha256, or the generator of a toy set).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from playground.core.data.split import PreparedData, prepare
from playground.core.errors import PlaygroundError, ProjectError

DATA_FOLDER = "data"
ARRAYS = ("train_x", "train_y", "val_x", "val_y")


def project_data(project) -> PreparedData:
    """The split and standardized rows the project was trained on, made or read again."""
    from playground.core.data.builtin_data import project_dataset

    identity = project.dataset
    try:
        dataset = project_dataset(identity, project.features, project.class_names)
    except PlaygroundError as e:
        raise ProjectError(str(e)) from None
    if dataset is None:
        raise ProjectError("the project does not say which data set it was trained on, so "
                           "its rows cannot be exported")
    expected = identity.get("sha256")
    if not identity.get("builtin") and expected and dataset.identity.get("sha256") != expected:
        raise ProjectError(f"the data file {identity.get('path')} has changed since the "
                           "project was trained on it (its checksum differs)")
    config = project.config
    data = prepare(dataset, config.val_fraction, config.seed)
    # The same rows give the same statistics; anything else means other data.
    if data.standardizer.mean.shape != project.standardizer.mean.shape or not (
            np.allclose(data.standardizer.mean, project.standardizer.mean, rtol=1e-9)
            and np.allclose(data.standardizer.scale, project.standardizer.scale, rtol=1e-9)):
        raise ProjectError(f"the data set {identity.get('name', '')!r} no longer gives the "
                           "standardization the project was trained with")
    return data


def data_description(data: PreparedData, project) -> dict:
    """The config's "data" part: the files, the task, and where the rows came from."""
    identity = project.dataset
    source = {k: identity[k] for k in ("name", "path", "sha256", "size", "generator")
              if k in identity}
    if source.get("path"):
        source["path"] = Path(str(source["path"])).name  # where it was is no one's business
    described = {"files": {a: f"{DATA_FOLDER}/{a}.npy" for a in ARRAYS},
                 "task": "regression" if data.is_regression else "classification",
                 "source": source, "label": identity.get("label", ""),
                 "features": [f.column for f in project.features],
                 "classes": list(project.class_names),
                 "train_rows": len(data.train_y), "val_rows": len(data.val_y)}
    if data.is_regression:
        # R² = 1 − MSE / variance: the variances of the whole training and validation
        # targets, which no process that reads only its share could compute alone.
        described["variance"] = [max(float(np.var(data.train_y)), 1e-12),
                                 max(float(np.var(data.val_y)), 1e-12)]
    return described


def write_data(data: PreparedData, folder: str | Path) -> Path:
    """The four arrays as `folder/data/*.npy` (float32 features; int64 classes or
    float32 standardized targets). Returns the data folder."""
    out = Path(folder) / DATA_FOLDER
    label = np.float32 if data.is_regression else np.int64
    arrays = {"train_x": np.asarray(data.train_x, np.float32),
              "train_y": np.asarray(data.train_y, label),
              "val_x": np.asarray(data.val_x, np.float32),
              "val_y": np.asarray(data.val_y, label)}
    for name, array in arrays.items():
        save_npy(out / f"{name}.npy", array)
    return out


def save_npy(path: Path, array: np.ndarray) -> None:
    """np.save to a temporary file, then rename: a reader never sees half an array
    (and a million rows are not copied into memory once more, as bytes)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise ProjectError(f"could not write {path}: {e.strerror or e}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
