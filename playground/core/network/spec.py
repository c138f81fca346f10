"""The network a person designs: a frozen value, validated field by field.

Imports neither torch nor Qt, so the window can show it before torch loads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from playground.core.errors import SpecError
from playground.core.fields import choice_field, float_field, int_field, mapping
from playground.core.network.engineered import validate_terms

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "linear")
MAX_UNITS = 4096
MAX_LAYERS = 32
MAX_FEATURES = 100_000
MAX_CLASSES = 10_000


@dataclass(frozen=True)
class LayerSpec:
    """One fully connected hidden layer: its width, activation and dropout."""

    units: int = 8
    activation: str = "relu"
    dropout: float = 0.0

    def __post_init__(self) -> None:
        self.validate("layer")

    def validate(self, where: str) -> None:
        # Keep the normalized value: a whole float such as 8.0 (from JSON) is stored as 8.
        object.__setattr__(self, "units", int_field(f"{where}.units", self.units, 1, MAX_UNITS))
        choice_field(f"{where}.activation", self.activation, ACTIVATIONS)
        float_field(f"{where}.dropout", self.dropout, 0.0, 0.95)

    def to_dict(self) -> dict:
        return {"units": self.units, "activation": self.activation, "dropout": self.dropout}

    @classmethod
    def from_dict(cls, d: Any, where: str = "layer") -> LayerSpec:
        d = mapping(where, d)
        unknown = set(d) - {"units", "activation", "dropout"}
        if unknown:
            raise SpecError(f"{where} has an unknown field {sorted(map(str, unknown))[0]!r}")
        units = int_field(f"{where}.units", d.get("units", 8), 1, MAX_UNITS)
        activation = choice_field(f"{where}.activation", d.get("activation", "relu"),
                                   ACTIVATIONS)
        dropout = float_field(f"{where}.dropout", d.get("dropout", 0.0), 0.0, 0.95)
        return cls(units, activation, dropout)


@dataclass(frozen=True)
class NetworkSpec:
    """Inputs → hidden layers → outputs: softmax over the classes, or one linear output
    (the predicted value) for regression.

    `n_inputs` counts the data's features; `engineered` adds input neurons computed from
    them (x², x₁·x₂, sin x: see engineered.py), so the drawn input column and the first
    layer have n_inputs + len(engineered) inputs."""

    n_inputs: int
    n_outputs: int
    hidden: tuple[LayerSpec, ...] = ()
    engineered: tuple[tuple, ...] = ()

    def __post_init__(self) -> None:
        # Store the validated ints, not whole floats such as 4.0 (sizes feed range()).
        object.__setattr__(self, "n_inputs", int_field("n_inputs", self.n_inputs, 1, MAX_FEATURES))
        object.__setattr__(self, "n_outputs",
                           int_field("n_outputs", self.n_outputs, 1, MAX_CLASSES))
        if not isinstance(self.hidden, tuple):
            raise SpecError("hidden must be a tuple of layers")
        if len(self.hidden) > MAX_LAYERS:
            raise SpecError(f"hidden may have at most {MAX_LAYERS} layers, not "
                            f"{len(self.hidden)}")
        for i, layer in enumerate(self.hidden):
            if not isinstance(layer, LayerSpec):
                raise SpecError(f"hidden[{i}] must be a layer")
            layer.validate(f"hidden[{i}]")
        object.__setattr__(self, "engineered", validate_terms(self.engineered, self.n_inputs))

    @property
    def widths(self) -> list[int]:
        """Neurons per column, inputs first: e.g. [4, 8, 3] (engineered inputs count in
        the first)."""
        return [self.n_inputs + len(self.engineered), *(layer.units for layer in self.hidden),
                self.n_outputs]

    def parameter_count(self) -> int:
        w = self.widths
        return sum((a + 1) * b for a, b in zip(w, w[1:], strict=False))

    # Editing helpers: each returns a new spec, so every edit is an undoable value.
    def with_layer(self, index: int, layer: LayerSpec) -> NetworkSpec:
        hidden = list(self.hidden)
        hidden[index] = layer
        return replace(self, hidden=tuple(hidden))

    def inserted(self, index: int, layer: LayerSpec) -> NetworkSpec:
        hidden = list(self.hidden)
        hidden.insert(index, layer)
        return replace(self, hidden=tuple(hidden))

    def removed(self, index: int) -> NetworkSpec:
        hidden = list(self.hidden)
        del hidden[index]
        return replace(self, hidden=tuple(hidden))

    def with_engineered(self, terms: tuple[tuple, ...]) -> NetworkSpec:
        return replace(self, engineered=tuple(terms))

    def to_dict(self) -> dict:
        d = {"n_inputs": self.n_inputs, "n_outputs": self.n_outputs,
             "hidden": [layer.to_dict() for layer in self.hidden]}
        if self.engineered:  # absent: none (as every network saved before they existed)
            d["engineered"] = [list(term) for term in self.engineered]
        return d

    @classmethod
    def from_dict(cls, d: Any) -> NetworkSpec:
        d = mapping("network", d)
        unknown = set(d) - {"n_inputs", "n_outputs", "hidden", "engineered"}
        if unknown:
            raise SpecError(f"network has an unknown field {sorted(map(str, unknown))[0]!r}")
        for key in ("n_inputs", "n_outputs"):
            if key not in d:
                raise SpecError(f"network.{key} is missing")
        hidden = d.get("hidden", [])
        if not isinstance(hidden, list | tuple):
            raise SpecError("network.hidden must be a list of layers")
        if len(hidden) > MAX_LAYERS:
            raise SpecError(f"network.hidden may have at most {MAX_LAYERS} layers")
        layers = tuple(LayerSpec.from_dict(h, f"hidden[{i}]") for i, h in enumerate(hidden))
        n_inputs = int_field("n_inputs", d["n_inputs"], 1, MAX_FEATURES)
        engineered = validate_terms(d.get("engineered", []), n_inputs, "network.engineered")
        return cls(n_inputs, int_field("n_outputs", d["n_outputs"], 1, MAX_CLASSES), layers,
                   engineered)


def parse_hidden(units: str, activations: str = "relu", dropouts: str = "0") -> tuple:
    """Hidden layers from command-line text: "10,10", "relu" or "relu,tanh", "0.1"."""
    try:
        widths = [int(u) for u in units.split(",") if u.strip()] if units.strip() else []
    except ValueError:
        raise SpecError(f"hidden must be whole numbers separated by commas, not {units!r}"
                        ) from None
    acts = [a.strip() for a in activations.split(",")] if activations else ["relu"]
    try:
        drops = [float(p) for p in dropouts.split(",")] if dropouts else [0.0]
    except ValueError:
        raise SpecError(f"dropout must be numbers separated by commas, not {dropouts!r}"
                        ) from None
    for name, values in (("activation", acts), ("dropout", drops)):
        if len(values) not in (1, len(widths)) and widths:
            raise SpecError(f"{name} needs one value or one per hidden layer "
                            f"({len(widths)}), not {len(values)}")
    return tuple(
        LayerSpec.from_dict({"units": w, "activation": acts[i if len(acts) > 1 else 0],
                             "dropout": drops[i if len(drops) > 1 else 0]}, f"hidden[{i}]")
        for i, w in enumerate(widths))


DEFAULT_HIDDEN = (LayerSpec(8, "relu"),)


def default_spec(n_inputs: int, n_outputs: int) -> NetworkSpec:
    """The network a new project starts with: one hidden layer of 8 ReLU units."""
    return NetworkSpec(n_inputs, n_outputs, DEFAULT_HIDDEN)
