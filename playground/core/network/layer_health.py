"""Inside the network, in numbers: how each layer's weights and gradients are spread,
how many weights sit at about 0, and which hidden units have stopped learning.

A ReLU unit is dead when it outputs 0 for every training row: its gradient is 0
for all of them, so nothing moves its weights again. A sigmoid or tanh unit is
saturated when its output sits on the flat ends of its curve for almost every
row: its slope there is nearly 0, so it learns very slowly. Both are judged on
the training rows, the data the gradients come from.

Qt-free: the "Inside the network" view draws these, and tests check them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.network.forward import WeightSnapshot, forward_pass
from playground.core.nice_numbers import nice_ceiling

BINS = 31  # an odd count: a bin is centred on 0, where a layer's values gather
# Above this many values a layer is histogrammed from an evenly strided sample, so a
# refresh of a very wide layer stays in the milliseconds (the shape barely changes).
MAX_VALUES = 250_000
SIGMOID_EDGE = 0.02  # a sigmoid output below this or above 1 − this is on a flat end
TANH_EDGE = 0.98  # a tanh output beyond ±this is on a flat end
SATURATED_SHARE = 0.95  # saturated: on a flat end for at least this share of the rows


def steady_limit(current: float | None, largest: float) -> float:
    """The axis limit to use now: grow at once to fit `largest`, but shrink only when
    everything fits in a quarter of the current limit (two nice steps down), so the
    axis does not jump with every refresh while training moves the values a little."""
    wanted = nice_ceiling(largest)
    if current is None or wanted > current or wanted * 4 <= current:
        return wanted
    return current


def sample(values: np.ndarray) -> np.ndarray:
    """The values to histogram: all of them, or an even stride through a huge layer."""
    flat = values.reshape(-1)
    if flat.size <= MAX_VALUES:
        return flat
    stride = -(-flat.size // MAX_VALUES)  # rounded up
    return flat[::stride]


def histogram(values: np.ndarray, limit: float) -> np.ndarray:
    """Counts of `values` in BINS equal bins over [−limit, limit]."""
    return np.histogram(sample(values), bins=BINS, range=(-limit, limit))[0]


def bin_edges(limit: float) -> np.ndarray:
    return np.linspace(-limit, limit, BINS + 1)


def largest_magnitude(values: np.ndarray) -> float:
    flat = sample(values)
    return float(np.abs(flat).max()) if flat.size else 0.0


@dataclass(frozen=True)
class UnitHealth:
    """Stopped units of one hidden layer: dead (ReLU) or saturated (sigmoid, tanh)."""

    layer: int  # 0-based index among the hidden layers
    activation: str
    units: int
    stopped: int  # dead ReLU units, or saturated sigmoid/tanh units

    def warning(self, noun: str = "example") -> str | None:
        """The problem in plain words, or None when every unit is fine; `noun` is what a
        row of the data set is called (Dataset.nouns: "penguin", "sample")."""
        if not self.stopped:
            return None
        name = {"relu": "ReLU"}.get(self.activation, self.activation)
        one = self.stopped == 1
        head = (f"Hidden layer {self.layer + 1}: {self.stopped} of {self.units} {name} "
                f"unit{'' if one else 's'} {'is' if one else 'are'}")
        if self.activation == "relu":
            return (f"{head} dead — {'it outputs' if one else 'they output'} 0 for every "
                    f"training {noun}, so {'it' if one else 'they'} no longer learn"
                    f"{'s' if one else ''}. Try a smaller learning rate or leaky ReLU.")
        ends = "0 or 1" if self.activation == "sigmoid" else "−1 or 1"
        return (f"{head} saturated — stuck near {ends} for almost every training {noun}, "
                f"where the curve is flat, so {'it learns' if one else 'they learn'} very "
                "slowly. Try a smaller learning rate, or ReLU.")


def stopped_units(activation: str, outputs: np.ndarray) -> int:
    """How many units (columns of `outputs`: rows × units) have stopped learning."""
    if activation == "relu":
        return int((outputs <= 0).all(axis=0).sum())
    if activation == "sigmoid":
        flat_end = (outputs < SIGMOID_EDGE) | (outputs > 1 - SIGMOID_EDGE)
    elif activation == "tanh":
        flat_end = np.abs(outputs) > TANH_EDGE
    else:
        return 0  # leaky ReLU, GELU and linear units keep a slope everywhere
    return int((flat_end.mean(axis=0) >= SATURATED_SHARE).sum())


HEALTH_ROWS = 4096  # rows judged: all of a small set; an even spread of a big one


def unit_health(snapshot: WeightSnapshot, train_x: np.ndarray) -> list[UnitHealth]:
    """Every hidden layer's stopped units, from the forward pass over the training rows
    (standardized, as the network sees them). Of a large data set, an evenly spaced
    HEALTH_ROWS of them: a forward pass over a million rows would take the window
    seconds on every refresh, and a unit dead on 4096 rows is dead."""
    if snapshot.n_features != train_x.shape[1] or not len(train_x):
        return []
    if len(train_x) > HEALTH_ROWS:
        train_x = train_x[np.linspace(0, len(train_x) - 1, HEALTH_ROWS).astype(np.int64)]
    layers = forward_pass(snapshot, train_x)[:-1]  # the output layer is softmax or linear
    return [UnitHealth(i, snapshot.activations[i], layer.activations.shape[1],
                       stopped_units(snapshot.activations[i], layer.activations))
            for i, layer in enumerate(layers)]


def warnings(health: list[UnitHealth], noun: str = "example") -> list[str]:
    return [text for h in health if (text := h.warning(noun)) is not None]


# A weight counts as about 0 below this size. Not smaller: under L1, Adam and RMSprop
# never leave a weight at exactly 0 (its gradient l1·sign(w) flips with every crossing,
# and they step by about the learning rate whatever the gradient's size), so unneeded
# weights jitter around 0 (measured, penguins 4-16-3, Adam 0.03, L1 0.01: 99 of 112
# weights inside ±0.01, 20 inside ±0.001). A weight of 0.01 on a standardized input
# (mostly within ±2) adds at most 0.02 to a weighted sum: nothing beside weights near 1.
NEAR_ZERO = 0.01


def near_zero(weights: tuple[np.ndarray, ...]) -> list[tuple[int, int]]:
    """(weights at about 0, all weights) of each layer."""
    return [(int(np.count_nonzero(np.abs(w) < NEAR_ZERO)), int(w.size)) for w in weights]


def near_zero_text(counts: list[tuple[int, int]], l1: float) -> str:
    """Each layer's count in a line, and, when L1 is on, what it did in plain words."""
    last = len(counts) - 1
    parts = [f"{'Output' if i == last else f'Hidden {i + 1}'}: {n} of {size}"
             for i, (n, size) in enumerate(counts)]
    line = f"Weights at about 0 (|w| < {NEAR_ZERO:g}): " + "; ".join(parts) + "."
    if not l1:
        return line
    n, size = (sum(c[k] for c in counts) for k in (0, 1))
    return f"{line} L1 ({l1:g}) drove {n} of {size} weights there: fewer connections."
