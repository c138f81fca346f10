"""The backward pass for one example, written out in numpy as a textbook writes it.

After the forward pass (explain.py) and the loss of one example, the chain rule runs
from the output back to the input, one layer at a time:

- the output's error term δ = ∂loss/∂z: for softmax with cross-entropy p − y (y the
  one-hot true class); for a linear output with the squared error 2·(z − y);
- each weight's gradient ∂loss/∂W = δ · aᵀ (a: what came into the layer) and each
  bias's ∂loss/∂b = δ;
- the layer below gets δ' = (Wᵀ · δ) ⊙ f'(z'), f' the slope of its activation.

These are the numbers PyTorch's autograd computes for a batch of this one example
(tests/test_backprop.py checks them against it), in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.core.errors import PlaygroundError
from playground.core.network.explain import Explanation, explain
from playground.core.network.forward import WeightSnapshot, activate

_erf = np.vectorize(math.erf, otypes=[np.float64])


def activation_slope(name: str, z: np.ndarray) -> np.ndarray:
    """f'(z), with the value PyTorch uses where f has a kink (ReLU at 0: 0)."""
    z = np.asarray(z, dtype=np.float64)
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, 0.01)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = activate("sigmoid", z)
        return s * (1.0 - s)
    if name == "gelu":  # d/dz z·Φ(z) = Φ(z) + z·φ(z)
        return 0.5 * (1.0 + _erf(z / math.sqrt(2.0))) + z * np.exp(-0.5 * z * z) / math.sqrt(
            2.0 * math.pi)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(f"unknown activation {name!r}")


@dataclass(frozen=True, eq=False)
class LayerGradients:
    """One layer's part of the backward pass (shapes as the layer's weights and biases)."""

    deltas: np.ndarray  # δ = ∂loss/∂z, one per neuron: its error term
    weights: np.ndarray  # ∂loss/∂W = δ · aᵀ (out × in)
    biases: np.ndarray  # ∂loss/∂b = δ


@dataclass(frozen=True, eq=False)
class Backward:
    """The forward pass of one example, its loss, and the backward pass."""

    forward: Explanation
    layers: tuple[LayerGradients, ...]  # first hidden layer … output layer

    @property
    def loss(self) -> float:
        return float(self.forward.loss)

    @property
    def weight_gradients(self) -> tuple[np.ndarray, ...]:
        return tuple(g.weights for g in self.layers)


def backward(snapshot: WeightSnapshot, forward: Explanation, l1: float = 0.0) -> Backward:
    """The backward pass of an explained forward pass whose loss is known (a true class,
    or for regression a true value). With an L1 strength, each weight's gradient also
    has the penalty's part, l1·sign(w), as training back-propagates it."""
    if forward.loss is None:
        raise PlaygroundError("the backward pass needs the example's true class or value")
    last = forward.layers[-1]
    if forward.is_regression:  # ∂(z − y)²/∂z
        delta = 2.0 * (last.weighted_sums - forward.true_standardized)
    else:  # ∂(−log softmax(z)[t])/∂z = p − onehot(t)
        delta = np.array(forward.probabilities, dtype=np.float64)
        delta[forward.true_class] -= 1.0
    out: list[LayerGradients] = []
    for i in range(len(forward.layers) - 1, -1, -1):
        step = forward.layers[i]
        a_in = np.asarray(step.inputs, dtype=np.float64)
        grad = np.outer(delta, a_in)
        if l1:  # ∂(l1·Σ|w|)/∂w; sign(0) = 0, as autograd's slope of |w| at 0
            grad += l1 * np.sign(np.asarray(snapshot.weights[i], dtype=np.float64))
        out.append(LayerGradients(delta, grad, delta.copy()))
        if i:  # to the layer below: back through the weights, then its activation's slope
            below = forward.layers[i - 1]
            w = np.asarray(snapshot.weights[i], dtype=np.float64)
            delta = (w.T @ delta) * activation_slope(below.activation, below.weighted_sums)
            delta += 0.0  # −0.0 (a slope of 0 times a negative sum) reads as 0
    return Backward(forward, tuple(reversed(out)))


def backprop(snapshot: WeightSnapshot, standardizer, raw: np.ndarray,
             true_class: int | None = None, target=None,
             true_value: float | None = None, l1: float = 0.0) -> Backward:
    """Forward pass, loss and backward pass of one raw example (arguments as `explain`;
    `l1` as `backward`)."""
    return backward(snapshot, explain(snapshot, standardizer, raw, true_class, target,
                                      true_value), l1)
