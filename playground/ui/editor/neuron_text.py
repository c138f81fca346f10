"""What the editor knows about each neuron, and the words its tooltips use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.data.split import Standardizer
from playground.core.network.forward import LayerValues, WeightSnapshot


@dataclass(frozen=True, eq=False)
class NeuronInfo:
    """Names, the latest weight snapshot and the forward pass of the current input."""

    widths: list[int]
    input_labels: list[str]  # "Bill length (mm)"; then the engineered inputs' ("x1²")
    input_units: list[str]  # one per feature
    class_names: list[str]  # the output neurons' names (regression: the target's)
    activations: list[str]  # per hidden layer
    snapshot: WeightSnapshot | None = None
    raw_input: np.ndarray | None = None
    standardized: np.ndarray | None = None  # the input column: features, then engineered
    layers: list[LayerValues] | None = None  # forward pass of `standardized`
    target: Standardizer | None = None  # regression: maps the output to the data's units
    input_formulas: tuple[str, ...] = ()  # what each engineered input computes

    def is_engineered(self, i: int) -> bool:
        """Input neuron i is computed from the features (x², x₁·x₂, sin x), not one."""
        return i >= len(self.input_units)

    def predicted_value(self) -> float | None:
        """Regression: the output in the data's units."""
        if self.target is None or self.layers is None:
            return None
        return float(self.layers[-1].activations[0] * self.target.scale[0]
                     + self.target.mean[0])

    def column_values(self, c: int) -> np.ndarray | None:
        """Input column: standardized input; then activations; last: probabilities."""
        if c == 0:
            return self.standardized
        if self.layers is None:
            return None
        return self.layers[c - 1].activations

    def column_name(self, c: int) -> str:
        if c == 0:
            return "input"
        if c == len(self.widths) - 1:
            return "output"
        return f"hidden layer {c}"

    def input_text(self, i: int) -> str:
        if self.raw_input is None:
            return self.input_labels[i]
        if self.is_engineered(i):  # its value as the network sees it (no units)
            return f"{self.input_labels[i]}  {self.standardized[i]:+.3g}"
        return f"{self.input_labels[i]}  {self.raw_input[i]:.4g}"

    def output_text(self, i: int) -> str:
        if self.layers is None:
            return self.class_names[i]
        if self.target is not None:
            return f"{self.class_names[i]}  {self.predicted_value():.4g}"
        return f"{self.class_names[i]}  {100 * self.layers[-1].activations[i]:.1f} %"


def neuron_name(info: NeuronInfo, c: int, i: int) -> str:
    if c == 0:
        return info.input_labels[i]
    if c == len(info.widths) - 1:
        return f"output “{info.class_names[i]}”"
    return f"hidden layer {c}, neuron {i + 1}"


def describe_neuron(info: NeuronInfo, c: int, i: int) -> str:
    name = neuron_name(info, c, i)
    if c == 0 and info.is_engineered(i):
        lines = [f"{name}: an engineered input",
                 f"= {info.input_formulas[i - len(info.input_units)]}",
                 "computed from the features, so a layer can weigh it like any input"]
        if info.standardized is not None:
            lines.append(f"value {info.standardized[i]:+.3f} (what the network sees)")
        return "\n".join(lines)
    if c == 0:
        if info.raw_input is None:
            return name
        return (f"{name}\nvalue {info.raw_input[i]:.4g} {info.input_units[i]}\n"
                f"standardized {info.standardized[i]:+.3f} (what the network sees)")
    lines = [name]
    if info.snapshot is not None:
        lines.append(f"bias b = {info.snapshot.biases[c - 1][i]:+.4f}")
    if info.layers is not None:
        z = info.layers[c - 1].weighted_sums[i]
        a = info.layers[c - 1].activations[i]
        lines.append(f"weighted sum z = Σ w·x + b = {z:+.4f}")
        if c == len(info.widths) - 1 and info.target is not None:
            lines.append(f"linear output = z = {a:+.4f} (standardized)")
            lines.append(f"predicted value = {info.predicted_value():.4g}")
        elif c == len(info.widths) - 1:
            lines.append(f"softmax probability = {a:.4f}")
        else:
            lines.append(f"activation {info.activations[c - 1]}(z) = {a:+.4f}")
    return "\n".join(lines)


def describe_edge(info: NeuronInfo, gap: int, to: int, frm: int, weight: float) -> str:
    return (f"weight {weight:+.4f}\nfrom {neuron_name(info, gap, frm)}\n"
            f"to {neuron_name(info, gap + 1, to)}")
