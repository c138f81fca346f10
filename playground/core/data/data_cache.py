"""A cache of the built-in data set's parsed arrays, so that starting the window does not
wait for the CSV reader.

Reading a CSV goes through pandas, which takes about 0.3 s just to import: a third of
the time the window takes to appear. The built-in file never changes between starts,
so its parsed form is kept in the user's cache folder ($XDG_CACHE_HOME, else
~/.cache), keyed by the file's CRC-32 and length: an edited or replaced file is read
afresh. (A checksum, not a cryptographic hash: the cache guards against change, not
against a person set on fooling it; hashlib would load OpenSSL, 3 ms, before the first
paint.)
The cache is only ever a shortcut. A missing, unreadable, damaged or unwritable one
means the file is parsed as usual.
"""

from __future__ import annotations

import io
import json
import os
import zlib
from pathlib import Path

import numpy as np

from playground.core.data.dataset import Dataset, Feature
from playground.core.errors import PlaygroundError
from playground.core.files.atomic_write import write_atomically

VERSION = 2  # bump when the cached fields change


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "neural-network-playground"


def file_digest(path: Path) -> str:
    data = path.read_bytes()
    return f"{zlib.crc32(data):08x}{len(data):08x}"


def _path(name: str, digest: str) -> Path:
    return cache_dir() / f"{name}-{digest[:16]}-v{VERSION}.npz"


def read_cached(name: str, digest: str) -> Dataset | None:
    """The data set cached for this exact file, or None."""
    try:
        with np.load(_path(name, digest), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            x, y = z["x"], z["y"]
        if meta.get("digest") != digest or len(x) != len(y):
            return None
        return Dataset(meta["name"], tuple(Feature.from_dict(f) for f in meta["features"]),
                       tuple(meta["class_names"]), x, y, meta["label"], meta["dropped"],
                       meta["identity"], meta["example"], meta["task"])
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None


def write_cached(name: str, digest: str, dataset: Dataset) -> None:
    """Keep the parsed data set for the next start; a failure only costs that shortcut."""
    meta = {"digest": digest, "name": dataset.name, "label": dataset.label,
            "features": [f.to_dict() for f in dataset.features],
            "class_names": list(dataset.class_names), "dropped": dataset.dropped,
            "identity": dataset.identity, "example": dataset.example, "task": dataset.task}
    write_npz(_path(name, digest), x=dataset.x, y=dataset.y,
              meta=np.array(json.dumps(meta)))


def write_npz(path: Path, **arrays: np.ndarray) -> bool:
    """Write a cache file whole or not at all; False if it could not be written (a
    read-only home folder: the work is simply done again next time)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        write_atomically(path, buffer.getvalue())
    except PlaygroundError:
        return False
    return True
