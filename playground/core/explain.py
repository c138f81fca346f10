"""The forward pass for one sample, told step by step as a textbook tells it.

input (raw, then standardized) → for each layer the weighted sums z = W·a + b
and the activations a = f(z) → softmax turns the output into probabilities →
the predicted class; and, when the true class is known, that one example's
cross-entropy loss, −log p(true class).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.forward import WeightSnapshot, forward_pass


@dataclass(frozen=True, eq=False)
class LayerStep:
    name: str  # "Hidden layer 1" or "Output layer"
    activation: str  # "relu", …, or "softmax" for the output
    inputs: np.ndarray  # a: what comes in
    weighted_sums: np.ndarray  # z = W·a + b
    outputs: np.ndarray  # f(z)


@dataclass(frozen=True, eq=False)
class Explanation:
    raw: np.ndarray
    standardized: np.ndarray
    means: np.ndarray
    scales: np.ndarray
    layers: tuple[LayerStep, ...]
    probabilities: np.ndarray
    predicted: int
    true_class: int | None
    loss: float | None  # −log p(true class), when the true class is known


def explain(snapshot: WeightSnapshot, standardizer, raw: np.ndarray,
            true_class: int | None = None) -> Explanation:
    raw = np.asarray(raw, dtype=np.float64)
    x = standardizer.transform(raw)
    values = forward_pass(snapshot, x)
    steps, a = [], x
    last = len(values) - 1
    for i, v in enumerate(values):
        steps.append(LayerStep("Output layer" if i == last else f"Hidden layer {i + 1}",
                               "softmax" if i == last else snapshot.activations[i],
                               a, v.weighted_sums, v.activations))
        a = v.activations
    p = values[-1].activations
    loss = None
    if true_class is not None:
        loss = -math.log(max(float(p[true_class]), 1e-300))
    return Explanation(raw, x, np.asarray(standardizer.mean, dtype=np.float64),
                       np.asarray(standardizer.scale, dtype=np.float64), tuple(steps), p,
                       int(np.argmax(p)), true_class, loss)
