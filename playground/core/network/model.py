"""The torch module for a NetworkSpec: Linear → activation → dropout, …, Linear.

All randomness (initial weights, dropout masks) comes from generators the
trainer owns, so a seed alone fixes a run, whatever else uses torch's global RNG.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from playground.core.network.engineered import term_indices
from playground.core.network.spec import NetworkSpec

_ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "gelu": nn.GELU,
    "linear": nn.Identity,
}


class SeededDropout(nn.Module):
    """Dropout whose masks come from the trainer's generator (reproducible runs)."""

    def __init__(self, p: float, generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, device=x.device) >= self.p
        return x * keep / (1.0 - self.p)


class EngineeredInputs(nn.Module):
    """Appends the engineered inputs (x², x₁·x₂, sin x: see engineered.py) to the
    standardized features. No parameters, and its index tensors are not saved with
    the weights: the spec says which terms there are."""

    def __init__(self, terms: tuple[tuple, ...]) -> None:
        super().__init__()
        self.terms = tuple(terms)
        left, right, is_sin = term_indices(self.terms)
        self.register_buffer("left", torch.tensor(left, dtype=torch.long), persistent=False)
        self.register_buffer("right", torch.tensor(right, dtype=torch.long), persistent=False)
        self.register_buffer("is_sin", torch.tensor(is_sin), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = x.index_select(1, self.left)
        values = torch.where(self.is_sin, torch.sin(a), a * x.index_select(1, self.right))
        return torch.cat([x, values], dim=1)


def build_model(spec: NetworkSpec, seed: int,
                dropout_generator: torch.Generator | None = None) -> nn.Sequential:
    """A fresh model with PyTorch's default initialization, drawn from `seed`. Engineered
    inputs come first, as a module without parameters: the linear layers, and so the
    saved weights' names ("layers.i", by position), are the same as without them."""
    init = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = [EngineeredInputs(spec.engineered)] if spec.engineered else []
    widths = spec.widths
    for i, (n_in, n_out) in enumerate(zip(widths, widths[1:], strict=False)):
        linear = nn.Linear(n_in, n_out)
        # The same scheme as nn.Linear.reset_parameters, but from our generator.
        with torch.no_grad():
            nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=init)
            bound = 1.0 / math.sqrt(n_in)
            nn.init.uniform_(linear.bias, -bound, bound, generator=init)
        layers.append(linear)
        if i < len(spec.hidden):
            layer = spec.hidden[i]
            layers.append(_ACTIVATIONS[layer.activation]())
            if layer.dropout > 0:
                layers.append(SeededDropout(layer.dropout, dropout_generator))
    return nn.Sequential(*layers)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def initial_snapshot(spec: NetworkSpec, seed: int):
    """The weights a new trainer for `spec` and `seed` starts from, as a WeightSnapshot:
    the very same numbers (the same `build_model`), without the data or an optimizer.
    The window shows a fresh network's probabilities with it at once, instead of
    waiting for the training thread to build the network."""
    from playground.core.network.forward import WeightSnapshot

    layers = linear_layers(build_model(spec, seed))
    with torch.no_grad():
        weights = tuple(layer.weight.numpy().copy() for layer in layers)
        biases = tuple(layer.bias.numpy().copy() for layer in layers)
    return WeightSnapshot(weights, biases, tuple(h.activation for h in spec.hidden), 0,
                          engineered=spec.engineered)


def uses_training_mode(model: nn.Module) -> bool:
    """Whether the model behaves differently in training and in evaluation: only dropout
    does, of the modules `build_model` makes."""
    return any(isinstance(m, SeededDropout) for m in model.modules())
