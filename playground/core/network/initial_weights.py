"""A fresh network's initial weights in numpy, the very numbers PyTorch draws.

The window shows a new network's probabilities at once (before the first epoch), but
torch loads in the training thread after the first paint, to keep start-up fast.
`build_model` (core/model.py) draws every layer's weights, then its biases, from one
CPU generator seeded with the run's seed: PyTorch's CPU generator is the Mersenne
Twister (MT19937) seeded as numpy's RandomState is, and `uniform_(low, high)` turns
each 32-bit draw x into low + (x mod 2²⁴)·2⁻²⁴·(high − low), in double
precision from the float32 ends. Repeating that here
gives identical float32 weights (a test compares them with `build_model`'s for
several networks and seeds, so a PyTorch release that drew differently would be
noticed).
"""

from __future__ import annotations

import math

import numpy as np

from playground.core.network.forward import WeightSnapshot
from playground.core.network.spec import NetworkSpec

MAX_SEED = 2**32 - 1  # numpy's MT19937 seeding takes 32 bits; larger seeds: None


def _uniform(rng: np.random.RandomState, shape: tuple[int, ...], bound: float) -> np.ndarray:
    """torch.empty(shape).uniform_(-bound, bound, generator) on the CPU."""
    raw = rng.randint(0, 2**32, size=int(np.prod(shape)), dtype=np.uint64)
    unit = (raw & ((1 << 24) - 1)).astype(np.float64) * 2.0**-24
    # The ends as the float32 tensor holds them, the arithmetic in double, as PyTorch.
    low, high = float(np.float32(-bound)), float(np.float32(bound))
    return (unit * (high - low) + low).astype(np.float32).reshape(shape)


def initial_weights(spec: NetworkSpec, seed: int) -> WeightSnapshot | None:
    """The WeightSnapshot `build_model(spec, seed)` starts from, or None for a seed
    beyond 32 bits."""
    if not 0 <= seed <= MAX_SEED:
        return None
    rng = np.random.RandomState(seed)
    widths = spec.widths
    weights, biases = [], []
    for n_in, n_out in zip(widths, widths[1:], strict=False):
        # kaiming_uniform_(a=√5), as nn.Linear: gain √(2 / (1 + 5)), bound gain·√(3 / n_in)
        gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
        weights.append(_uniform(rng, (n_out, n_in), math.sqrt(3.0) * (gain / math.sqrt(n_in))))
        biases.append(_uniform(rng, (n_out,), 1.0 / math.sqrt(n_in)))
    return WeightSnapshot(tuple(weights), tuple(biases),
                          tuple(h.activation for h in spec.hidden), 0,
                          engineered=spec.engineered)
