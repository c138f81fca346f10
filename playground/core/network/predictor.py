"""Classify one raw input (millimetres and grams, not standardized), or predict its
value when the network does regression."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.core.data.dataset import Feature
from playground.core.data.split import Standardizer
from playground.core.errors import InputError
from playground.core.network.forward import WeightSnapshot, forward_pass


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


def _far_outside(feature: Feature, value: float) -> bool | None:
    """None inside the training range (or with no known range), else whether `value` is
    more than half the range's width beyond it."""
    low, high = feature.low, feature.high
    if not (math.isfinite(low) and math.isfinite(high)) or low <= value <= high:
        return None
    span = high - low if high > low else max(abs(high), 1.0)
    distance = (low - value) if value < low else (value - high)
    return distance > 0.5 * span


# A value far outside the range that lands inside it at one of these scales was most
# likely written in another unit (cm for mm, kg or hundreds of grams for g): tried in this
# order, the nearest first.
SCALES = (10, 0.1, 100, 0.01, 1000, 0.001)


def scale_fix(feature: Feature, value: float) -> float | None:
    """The value `value` was probably meant to be (×/÷ 10, 100 or 1000) when it is far
    outside the training range of `feature` and that is inside it, else None."""
    if not _far_outside(feature, value) or not math.isfinite(value):
        return None
    for factor in SCALES:
        scaled = float(f"{value * factor:.10g}")  # 19.2 × 10 is 192, not 192.00000000000003
        if feature.low <= scaled <= feature.high:
            return scaled
    return None


def scale_fix_text(feature: Feature, value: float) -> str | None:
    """E.g. "did you mean 192 mm?", or None when no other scale fits."""
    fixed = scale_fix(feature, value)
    if fixed is None:
        return None
    unit = f" {feature.unit}" if feature.unit else ""
    return f"did you mean {_fmt(fixed)}{unit}?"


def range_warning(feature: Feature, value: float) -> str | None:
    """A sentence when `value` lies outside the training range of `feature`, else None;
    it asks whether another scale was meant when one fits (`scale_fix`)."""
    far = _far_outside(feature, value)
    if far is None:
        return None
    low, high = feature.low, feature.high
    side = "below" if value < low else "above"
    unit = f" {feature.unit}" if feature.unit else ""
    name = (feature.display or feature.column).lower()
    hint = scale_fix_text(feature, value)
    return (f"{name} {_fmt(value)}{unit} is {'far ' if far else ''}{side} anything in the "
            f"training data ({_fmt(low)}–{_fmt(high)}{unit}); the prediction is a guess"
            + (f" — {hint}" if hint else ""))


@dataclass(frozen=True)
class _Slot:
    """One value a person gives: a feature's number, or a one-hot group's category."""

    name: str
    columns: tuple[int, ...]  # the feature columns it fills
    categories: tuple[str, ...] = ()  # a one-hot group's, in its columns' order

    def describe(self) -> str:
        if not self.categories:
            return self.name
        return f"{self.name} ({' | '.join(self.categories)})"


def _slots(features: Sequence[Feature]) -> list[_Slot]:
    """Plain features each, and each one-hot group once, where its first column is."""
    slots: list[_Slot] = []
    groups: dict[str, int] = {}
    for i, f in enumerate(features):
        if not f.is_one_hot:
            slots.append(_Slot(f.column, (i,)))
        elif f.group in groups:
            slot = slots[groups[f.group]]
            slots[groups[f.group]] = _Slot(slot.name, (*slot.columns, i),
                                           (*slot.categories, f.category))
        else:
            groups[f.group] = len(slots)
            slots.append(_Slot(f.group, (i,), (f.category,)))
    return slots


def parse_input(values: Sequence, features: Sequence[Feature]) -> np.ndarray:
    """Check and convert one input vector; the error names the feature at fault.

    A one-hot group takes the name of its category (island: Biscoe) where a person
    gives one value per original column; one number per column (0 or 1 for each
    category) is accepted too."""
    slots = _slots(features)
    if len(values) != len(slots) and len(values) != len(features):
        expected = f"{len(slots)} values ({', '.join(s.describe() for s in slots)})"
        if len(slots) != len(features):
            expected += f", or {len(features)} numbers, one per column"
        raise InputError(f"expected {expected}, got {len(values)}")
    if len(values) != len(slots):  # one number per column, one-hot columns included
        slots = [_Slot(f.column, (i,)) for i, f in enumerate(features)]
    out = np.zeros(len(features), dtype=np.float64)
    for value, slot in zip(values, slots, strict=True):
        if not slot.categories:
            out[slot.columns[0]] = _number(value, slot.name)
            continue
        index = _category_index(value, slot)
        if index is not None:
            out[slot.columns[index]] = 1.0
        elif len(slot.columns) == 1 and _is_number(value):  # a one-category group: 0 or 1
            out[slot.columns[0]] = _number(value, slot.name)
        else:
            hint = f", or give {len(features)} numbers, one per column" \
                if len(slots) != len(features) else ""
            raise InputError(f"{slot.name}: {value!r} is not one of "
                             f"{', '.join(slot.categories)}{hint}")
    return out


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _category_index(value, slot: _Slot) -> int | None:
    text = str(value).strip()
    for exact in (True, False):  # an exact match first, then ignoring case
        for i, category in enumerate(slot.categories):
            if category == text if exact else category.casefold() == text.casefold():
                return i
    return None


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"{name}: {value!r} is not a finite number")
    return number


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
