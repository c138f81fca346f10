"""Variants: one network trained K times side by side, each with other settings.

A variant differs from the base settings in one or two of: the seed (initial
weights, shuffles and dropout masks), the learning rate, weight decay, L1 and
dropout (one value for every hidden layer). Values are given as a list
("lr=0.001,0.01,0.1") or, for the seed, a range ("seed=0..4"); two varied
names make a grid of every pair. All variants share the data split of the
base settings' seed, so their validation figures are measured on the same rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from playground.core.errors import SpecError
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig

MAX_VARIANTS = 64
MAX_VARIED = 2
# name → (what it sets, whole numbers only). "wd" is short for weight_decay.
AXES = {"seed": ("seed", True), "lr": ("learning_rate", False),
        "weight_decay": ("weight_decay", False), "l1": ("l1", False),
        "dropout": ("dropout", False)}
ALIASES = {"wd": "weight_decay", "learning_rate": "lr"}


@dataclass(frozen=True)
class Axis:
    """One varied setting and its values, in the order given."""

    name: str
    values: tuple


@dataclass(frozen=True)
class Variant:
    """One variant's settings: the values it varies, and the config and spec they make."""

    values: dict  # e.g. {"lr": 0.01, "seed": 3}
    config: TrainingConfig
    spec: NetworkSpec

    @property
    def l1(self) -> float:
        return self.config.l1

    @property
    def label(self) -> str:
        """E.g. "lr=0.01 seed=3", for legends and tables."""
        return " ".join(f"{name}={value:g}" for name, value in self.values.items())


def parse_axis(text: str) -> Axis:
    """'lr=0.001,0.01,0.1' or 'seed=0..4' → Axis; SpecError naming what is wrong."""
    name, sep, values_text = text.partition("=")
    name = ALIASES.get(name.strip(), name.strip())
    if not sep or name not in AXES:
        raise SpecError(f"vary {text!r}: write NAME=VALUES with NAME one of "
                        f"{', '.join(AXES)} (e.g. lr=0.001,0.01,0.1 or seed=0..4)")
    whole = AXES[name][1]
    values: list = []
    for part in (p.strip() for p in values_text.split(",")):
        if not part:
            continue
        if ".." in part:
            values += _range(name, part, whole)
        else:
            values.append(_number(name, part, whole))
    if not values:
        raise SpecError(f"vary {name}: give at least one value")
    if len(set(values)) != len(values):
        raise SpecError(f"vary {name}: a value is given twice")
    return Axis(name, tuple(values))


def _number(name: str, text: str, whole: bool):
    try:
        value = float(text)
    except ValueError:
        raise SpecError(f"vary {name}: {text!r} is not a number") from None
    if whole:
        if value != int(value):
            raise SpecError(f"vary {name}: {text!r} is not a whole number")
        return int(value)
    return value


def _range(name: str, text: str, whole: bool) -> list[int]:
    if not whole:
        raise SpecError(f"vary {name}: a range a..b is for whole numbers (the seed); "
                        "list the values instead")
    low, _, high = text.partition("..")
    low, high = _number(name, low, True), _number(name, high, True)
    if high < low:
        raise SpecError(f"vary {name}: the range {text} is empty")
    if high - low >= MAX_VARIANTS:
        raise SpecError(f"vary {name}: the range {text} has more than {MAX_VARIANTS} values")
    return list(range(low, high + 1))


def grid(axes: list[Axis]) -> list[dict]:
    """Every combination of the axes' values (the first name varies slowest)."""
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise SpecError(f"vary: {next(n for n in names if names.count(n) > 1)} is varied twice")
    if len(axes) > MAX_VARIED:
        raise SpecError(f"vary: at most {MAX_VARIED} settings at once (a grid), "
                        f"not {len(axes)}")
    count = 1
    for a in axes:
        count *= len(a.values)
    if count > MAX_VARIANTS:
        raise SpecError(f"vary: {count} variants; at most {MAX_VARIANTS} train together")
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(a.values for a in axes))]


def make_variants(spec: NetworkSpec, config: TrainingConfig, axes: list[Axis]
                  ) -> list[Variant]:
    """The variants of the base `spec` and `config`, each value checked as the config or
    the spec would check it (an error names the varied setting)."""
    out = []
    for values in grid(axes):
        settings = {AXES[name][0]: value for name, value in values.items()}
        dropout = settings.pop("dropout", None)
        try:
            variant_config = replace(config, **settings)
            variant_spec = spec if dropout is None else replace(spec, hidden=tuple(
                LayerSpec(h.units, h.activation, dropout) for h in spec.hidden))
        except SpecError as e:
            raise SpecError(f"vary: {e}") from None
        if dropout is not None and not spec.hidden:
            raise SpecError("vary dropout: the network has no hidden layer to drop units of")
        out.append(Variant(values, variant_config, variant_spec))
    return out
