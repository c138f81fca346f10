"""Train/validation splits of small data sets, kept between starts.

Drawing a split needs numpy.random, and importing it (with the hashlib that its
`secrets` brings along) takes about 10 ms. The window draws the default split
before its first paint, the same split at every start. A split depends only on
the labels (for regression, on the row count alone), the validation share, the
seed and numpy's generator, so it is kept in the user's cache folder under a
name made of all of them. As with data_cache, the cache is only a shortcut: a
missing, damaged, inconsistent or unwritable file means the split is drawn as
usual. Large data sets are not cached: their split is a small part of their
preparation, and the files would be large.
"""

from __future__ import annotations

import zlib

import numpy as np

from playground.core.data.data_cache import cache_dir, write_npz

MAX_ROWS = 20_000
MAX_FILES = 16  # the most recently written are kept


def split_name(y: np.ndarray | None, n: int, val_fraction: float, seed: int) -> str:
    """The cache file's name; `y` is None for a random (unstratified) split."""
    labels = "random" if y is None else \
        f"{zlib.crc32(np.ascontiguousarray(y).tobytes()):08x}{y.dtype.str}"
    return f"split-{labels}-{n}-{val_fraction!r}-{seed}-numpy{np.__version__}.npz"


def read_split(name: str, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(training rows, validation rows), each sorted, or None if not cached intact."""
    try:
        with np.load(cache_dir() / name, allow_pickle=False) as z:
            train, val = z["train"], z["val"]
    except (OSError, ValueError, KeyError):
        return None
    rows = np.concatenate([train, val])
    if rows.dtype.kind not in "iu" or len(rows) != n or (n and (rows.min() < 0 or
                                                               rows.max() >= n)):
        return None
    if not np.all(np.bincount(rows, minlength=n) == 1):  # every row exactly once
        return None
    return train, val


def write_split(name: str, train: np.ndarray, val: np.ndarray) -> None:
    if write_npz(cache_dir() / name, train=train, val=val):
        _prune()


def _prune() -> None:
    """Keep the newest MAX_FILES splits (one per data set, share and seed tried)."""
    try:
        files = sorted(cache_dir().glob("split-*.npz"), key=lambda p: p.stat().st_mtime)
        for old in files[:-MAX_FILES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
