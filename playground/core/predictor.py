"""Classify one raw input (millimetres and grams, not standardized), or predict its
value when the network does regression."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.dataset import Feature
from playground.core.errors import InputError
from playground.core.forward import WeightSnapshot, forward_pass
from playground.core.split import Standardizer


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]
    warnings: tuple[str, ...]
    value: float | None = None  # regression: the predicted value, in the data's units

    def to_dict(self) -> dict:
        d = {"label": self.label, "probabilities": self.probabilities,
             "warnings": list(self.warnings)}
        return d if self.value is None else d | {"value": self.value}


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def range_warning(feature: Feature, value: float) -> str | None:
    """A sentence when `value` lies outside the training range of `feature`, else None."""
    low, high = feature.low, feature.high
    if not (math.isfinite(low) and math.isfinite(high)) or low <= value <= high:
        return None
    span = high - low if high > low else max(abs(high), 1.0)
    distance = (low - value) if value < low else (value - high)
    far = "far " if distance > 0.5 * span else ""
    side = "below" if value < low else "above"
    unit = f" {feature.unit}" if feature.unit else ""
    name = (feature.display or feature.column).lower()
    return (f"{name} {_fmt(value)}{unit} is {far}{side} anything in the training data "
            f"({_fmt(low)}–{_fmt(high)}{unit}); the prediction is a guess")


def parse_input(values: Sequence, features: Sequence[Feature]) -> np.ndarray:
    """Check and convert one input vector; the error names the feature at fault."""
    if len(values) != len(features):
        names = ", ".join(f.column for f in features)
        raise InputError(f"expected {len(features)} values ({names}), got {len(values)}")
    out = np.empty(len(features), dtype=np.float64)
    for i, (value, feature) in enumerate(zip(values, features, strict=True)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{feature.column}: {value!r} is not a number") from None
        if not math.isfinite(number):
            raise InputError(f"{feature.column}: {value!r} is not a finite number")
        out[i] = number
    return out


@dataclass(frozen=True, eq=False)
class Predictor:
    """Features (with their training ranges), classes, standardization and weights; for
    regression, no classes and the target's standardization instead."""

    features: tuple[Feature, ...]
    class_names: tuple[str, ...]
    standardizer: Standardizer
    snapshot: WeightSnapshot
    target: Standardizer | None = None

    def probabilities(self, raw: np.ndarray) -> np.ndarray:
        """The network's output: class probabilities, or for regression the standardized
        predicted value (one entry)."""
        # An astronomically large input (say 1e300 g) overflows float32 when standardized;
        # the result is then NaN, which predict() reports, without numpy's warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            x = self.standardizer.transform(raw)
            return forward_pass(self.snapshot, x)[-1].activations

    def predict(self, values: Sequence) -> Prediction:
        raw = parse_input(values, self.features)
        p = self.probabilities(raw)
        if not np.isfinite(p).all():  # else NaN "probabilities" and an arbitrary label
            far = [f.column for f, v in zip(self.features, raw, strict=True)
                   if range_warning(f, float(v))]
            raise InputError(f"{', '.join(far) or 'the input'}: too far outside the training "
                             "data to compute a prediction")
        warnings = tuple(w for f, v in zip(self.features, raw, strict=True)
                         if (w := range_warning(f, float(v))))
        if self.target is not None:
            value = float(p[0] * self.target.scale[0] + self.target.mean[0])
            return Prediction(f"{value:.4g}", {}, warnings, value)
        probs = {name: float(q) for name, q in zip(self.class_names, p, strict=True)}
        return Prediction(self.class_names[int(np.argmax(p))], probs, warnings)
