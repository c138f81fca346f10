"""The classic two-feature teaching sets, generated from a seed and a noise level.

Penguins are nearly linearly separable, so they cannot show why hidden layers
matter. On these a network without a hidden layer can only draw one straight
boundary per class: fine for two blobs, near chance for XOR, circles and
spirals, which a small hidden layer learns. The surface is the regression set: a
smooth hill-and-valley height over the plane, which no plane (a network without a
hidden layer) can follow.
"""

from __future__ import annotations

import math

import numpy as np

from playground.core.data.dataset import Dataset, Feature
from playground.core.errors import DataError

KINDS = ("blobs", "circles", "xor", "spirals", "surface")
REGRESSION_KINDS = frozenset({"surface"})
DEFAULT_ROWS = 400


def _blobs(rng, n):
    y = rng.integers(0, 2, n)
    centres = np.array([[-1.0, -1.0], [1.0, 1.0]])
    return centres[y] + 0.45 * rng.standard_normal((n, 2)), y


def _circles(rng, n):
    y = rng.integers(0, 2, n)
    radius = np.where(y == 0, 0.5, 1.5) + 0.15 * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * math.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), y


def _xor(rng, n):
    x = rng.uniform(-1.5, 1.5, (n, 2))
    x += np.sign(x) * 0.1  # a small gap along the axes, so the four quadrants read clearly
    return x, ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(np.int64)


def _spirals(rng, n):
    y = rng.integers(0, 2, n)
    t = rng.uniform(0.25, 1.0, n) * 3 * math.pi  # one and a half turns
    angle = t + y * math.pi  # the second arm is the first turned half a circle
    r = t / (3 * math.pi) * 2
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)]), y


def _surface(rng, n):
    x = rng.uniform(-2.0, 2.0, (n, 2))
    return x, np.sin(1.5 * x[:, 0]) * np.cos(1.5 * x[:, 1])


_MAKERS = {"blobs": _blobs, "circles": _circles, "xor": _xor, "spirals": _spirals,
           "surface": _surface}
# Noise is jitter on the inputs of the classification sets; on the surface it is
# jitter on the height (its natural spread, about 0.5).
_NOISE_SCALE = {"blobs": 0.5, "circles": 0.3, "xor": 0.3, "spirals": 0.2, "surface": 0.5}


def make_toy(kind: str, noise: float = 0.1, seed: int = 0, rows: int = DEFAULT_ROWS) -> Dataset:
    """`noise` (0–1) adds that share of each set's natural spread as Gaussian jitter."""
    if kind not in _MAKERS:
        raise DataError(f"unknown data set {kind!r} (choose from {', '.join(KINDS)})")
    if not 0.0 <= noise <= 1.0:
        raise DataError(f"noise must be between 0 and 1, not {noise:g}")
    if not 20 <= rows <= 1_000_000:
        raise DataError(f"rows must be between 20 and 1,000,000, not {rows}")
    rng = np.random.default_rng(seed)
    x, y = _MAKERS[kind](rng, rows)
    features = tuple(Feature(c, c, "", float(x[:, i].min()), float(x[:, i].max()))
                     for i, c in enumerate(("x1", "x2")))
    identity = {"name": kind, "builtin": True,
                "generator": {"kind": kind, "noise": noise, "seed": seed, "rows": rows}}
    if kind in REGRESSION_KINDS:
        y = y + noise * _NOISE_SCALE[kind] * rng.standard_normal(y.shape)
        return Dataset(kind, features, (), x, y.astype(np.float64), label="height",
                       identity=identity, task="regression")
    x = x + noise * _NOISE_SCALE[kind] * rng.standard_normal(x.shape)
    features = tuple(f.with_range(x[:, i].min(), x[:, i].max())
                     for i, f in enumerate(features))
    return Dataset(kind, features, ("class A", "class B"), x, y.astype(np.int64),
                   label="class", identity=identity)
