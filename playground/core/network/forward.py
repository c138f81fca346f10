"""The forward pass in numpy, from a weight snapshot.

The window computes hover read-outs, neuron shading and explanations with
this, on its own thread, from the latest snapshot — never from the live model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.network.engineered import expand

_erf = np.vectorize(math.erf, otypes=[np.float64])


def activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free logistic
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "gelu":
        return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))  # exact GELU, as torch's default
    if name == "linear":
        return z
    raise ValueError(f"unknown activation {name!r}")


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True, eq=False)
class WeightSnapshot:
    """Weights (out × in) and biases of each fully connected layer, as numpy arrays."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activations: tuple[str, ...]  # one per hidden layer; the output: softmax or linear
    epoch: int = 0
    # ∂loss/∂weights of the last training batch, shaped as `weights`; None before the
    # first step (a fresh or loaded network has not computed any yet).
    gradients: tuple[np.ndarray, ...] | None = None
    # The engineered inputs (see engineered.py) the first layer expects after the
    # features; () for none. forward_pass appends them to the input it is given.
    engineered: tuple[tuple, ...] = ()

    @property
    def n_features(self) -> int:
        """The raw (standardized) features the forward pass takes: the first layer's
        inputs without the engineered ones."""
        return self.weights[0].shape[1] - len(self.engineered)

    def input_values(self, x: np.ndarray) -> np.ndarray:
        """What the first layer sees: the standardized features and the engineered
        inputs computed from them (one row, or rows)."""
        return expand(np.asarray(x, dtype=np.float64), self.engineered)

    def layer_count(self) -> int:
        return len(self.weights)


@dataclass(frozen=True, eq=False)
class LayerValues:
    """One layer of the forward pass: weighted sums z = W·a + b and activations."""

    weighted_sums: np.ndarray
    activations: np.ndarray


def forward_pass(snapshot: WeightSnapshot, x: np.ndarray,
                 dtype: type = np.float64) -> list[LayerValues]:
    """Every layer's weighted sums and activations for one standardized input, or
    for a batch of them (rows × features: each layer's values then have a row each).
    Engineered inputs are computed here from the features (`snapshot.input_values`).
    In float64 unless told (float32 is twice as fast where only a picture is made).

    The last entry is the output layer: its activations are the softmax
    probabilities, or with a single output (regression) the weighted sum itself, the
    predicted value. Dropout is off, as at prediction time.
    """
    a = snapshot.input_values(x).astype(dtype, copy=False)
    out: list[LayerValues] = []
    last = len(snapshot.weights) - 1
    for i, (w, b) in enumerate(zip(snapshot.weights, snapshot.biases, strict=True)):
        # W transposed, made contiguous: numpy multiplied many rows by the strided
        # transpose without BLAS (20 ms for 1,024 rows by 256 units, 0.04 ms so).
        wt = np.ascontiguousarray(w.T, dtype=dtype)
        z = a @ wt + b.astype(dtype)  # a row or rows
        if i < last:
            a = activate(snapshot.activations[i], z)
        else:
            a = softmax(z) if z.shape[-1] > 1 else z
        out.append(LayerValues(z, a))
    return out
