"""The forward pass for one sample, told step by step as a textbook tells it.

input (raw, then standardized) → for each layer the weighted sums z = W·a + b
and the activations a = f(z) → softmax turns the output into probabilities →
the predicted class; and, when the true class is known, that one example's
cross-entropy loss, −log p(true class).

A regression network ends in one linear neuron instead: its weighted sum is the
prediction in standardized units, and value = z × scale + mean brings it back to the
data's units. Its one example's loss is the squared error of the standardized
values, (z − y)², the term the mean squared error averages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.network.forward import WeightSnapshot, forward_pass


@dataclass(frozen=True, eq=False)
class LayerStep:
    name: str  # "Hidden layer 1" or "Output layer"
    activation: str  # "relu", …, or for the output "softmax" (or "linear": regression)
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
    probabilities: np.ndarray  # regression: the one (standardized) output
    predicted: int
    true_class: int | None
    loss: float | None  # −log p(true class), or (z − y)², when the truth is known
    # Regression only: the target's standardization, the prediction in the data's units,
    # and the known true value (in the data's units, then standardized).
    target_mean: float | None = None
    target_scale: float | None = None
    value: float | None = None
    true_value: float | None = None
    true_standardized: float | None = None
    engineered: tuple[tuple, ...] = ()  # the network's engineered inputs (engineered.py)

    @property
    def is_regression(self) -> bool:
        return self.target_mean is not None


def explain(snapshot: WeightSnapshot, standardizer, raw: np.ndarray,
            true_class: int | None = None, target=None,
            true_value: float | None = None) -> Explanation:
    """The steps for one raw input. `target` (the target's Standardizer) makes it a
    regression explanation, with `true_value` (data units) its known value if any."""
    raw = np.asarray(raw, dtype=np.float64)
    x = standardizer.transform(raw)
    values = forward_pass(snapshot, x)
    steps, a = [], snapshot.input_values(x)  # the features, then any engineered inputs
    last = len(values) - 1
    output = "linear" if target is not None else "softmax"
    for i, v in enumerate(values):
        steps.append(LayerStep("Output layer" if i == last else f"Hidden layer {i + 1}",
                               output if i == last else snapshot.activations[i],
                               a, v.weighted_sums, v.activations))
        a = v.activations
    p = values[-1].activations
    means = np.asarray(standardizer.mean, dtype=np.float64)
    scales = np.asarray(standardizer.scale, dtype=np.float64)
    if target is not None:
        mean, scale = float(target.mean[0]), float(target.scale[0])
        z = float(p[0])
        loss = y = None
        if true_value is not None:
            y = (float(true_value) - mean) / scale
            loss = (z - y) ** 2
        return Explanation(raw, x, means, scales, tuple(steps), p, 0, None, loss, mean, scale,
                           z * scale + mean, true_value, y, snapshot.engineered)
    loss = None
    if true_class is not None:
        loss = -math.log(max(float(p[true_class]), 1e-300))
    return Explanation(raw, x, means, scales, tuple(steps), p, int(np.argmax(p)), true_class,
                       loss, engineered=snapshot.engineered)
