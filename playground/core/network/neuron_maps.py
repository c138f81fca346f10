"""Each neuron's output over a plane of two input features: the neuron maps.

A plane of two features (the other features held at given values) is sampled
on a grid of cells, and one batched forward pass over all the cells gives every
neuron of every layer at once: the first hidden layer's maps show the lines (or
curves) each of its neurons draws, and the next layers' show how they combine.
The decision map samples its plane the same way, so the window's small maps and
its large one agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.data.split import Standardizer
from playground.core.network.forward import WeightSnapshot, forward_pass

GRID = 32  # cells per axis of a neuron's small map: 1,024 rows through the network
# ... fewer for a wide network: one update of the maps does at most this many
# multiply-adds (a 2-256-256-256-2 network has 132,000 a row: 32 × 32 cells took
# 150 ms a frame, 8 × 8 take a few), and no fewer than MIN_GRID cells per axis.
WORK = 2_000_000
MIN_GRID = 8
PAD = 0.05  # margin around the data, as a share of each axis's span


def grid_size(widths: list[int]) -> int:
    """Cells per axis of the maps of a network with these column widths."""
    per_row = sum(a * b for a, b in zip(widths, widths[1:], strict=False))
    return int(min(GRID, max(MIN_GRID, int(np.sqrt(WORK / max(per_row, 1))))))


def plane_range(x: np.ndarray, pair: tuple[int, int],
                pad: float = PAD) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of the two features of `pair` in the data `x`, with a margin."""
    lo = np.nanmin(x[:, list(pair)], axis=0).astype(np.float64)
    hi = np.nanmax(x[:, list(pair)], axis=0).astype(np.float64)
    margin = pad * np.maximum(hi - lo, 1e-9)
    return lo - margin, hi + margin


def plane_grid(low: np.ndarray, high: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres along two axes spanning [low, high] (each of length n)."""
    step = (np.asarray(high, dtype=np.float64) - low) / n
    return (low[0] + step[0] * (np.arange(n) + 0.5), low[1] + step[1] * (np.arange(n) + 0.5))


def plane_rows(held: np.ndarray, pair: tuple[int, int], gx: np.ndarray,
               gy: np.ndarray) -> np.ndarray:
    """Raw input rows, one per cell, row-major with y changing slowest (row 0 of the
    grid is the lowest y): the features of `pair` take the cell's values, every other
    feature its value in `held`."""
    ix, iy = pair
    rows = np.repeat(np.asarray(held, dtype=np.float64)[None, :], len(gx) * len(gy), axis=0)
    rows[:, ix] = np.tile(gx, len(gy))
    rows[:, iy] = np.repeat(gy, len(gx))
    return rows


def shown_values(values: np.ndarray, is_output: bool, n_outputs: int) -> np.ndarray:
    """A layer's values as the maps colour them, in [−1, 1] (rows × units).

    Hidden layers: the activations over the layer's largest magnitude on the plane,
    so that the neurons of one layer compare (as the editor's neuron shading does).
    Softmax outputs: how much more (positive) or less (negative) likely than chance
    the class is, 1 at certainty. A regression output: the predicted value
    (standardized) over its largest magnitude."""
    v = np.asarray(values)
    if is_output and n_outputs > 1:
        chance = 1.0 / n_outputs
        return (v - chance) / (1.0 - chance)
    return v / max(float(np.abs(v).max(initial=0.0)), 1e-9)


@dataclass(frozen=True, eq=False)
class Plane:
    """The cells of a plane as the network's input: standardized rows, one per cell."""

    pair: tuple[int, int]
    gx: np.ndarray  # cell centres along the first feature, raw units
    gy: np.ndarray
    rows: np.ndarray  # (n · n) × features, standardized, row-major with y slowest


def plane(standardizer: Standardizer, held: np.ndarray, pair: tuple[int, int],
          low: np.ndarray, high: np.ndarray, n: int = GRID) -> Plane:
    gx, gy = plane_grid(low, high, n)
    return Plane(tuple(pair), gx, gy, standardizer.transform(plane_rows(held, pair, gx, gy)))


@dataclass(frozen=True, eq=False)
class PlaneMaps:
    """Every hidden and output neuron's map: `layers[k]` is (units, n, n) in [−1, 1]
    for weight layer k (hidden layer k + 1; the last is the output), row 0 of a map at
    the lowest y. `raw[k]` holds the layer's activations unscaled."""

    layers: tuple[np.ndarray, ...]
    raw: tuple[np.ndarray, ...]
    plane: Plane


def maps_on(snapshot: WeightSnapshot, cells: Plane, dtype: type = np.float64) -> PlaneMaps:
    """All neurons' maps from one forward pass over the cells of the plane (the cells
    depend on the plane and the held values only: a caller keeps them while the
    snapshots change), computed in `dtype` (float32: for the small maps' pixels)."""
    n = len(cells.gx)
    layers = forward_pass(snapshot, cells.rows, dtype)
    last = len(layers) - 1
    n_outputs = layers[-1].activations.shape[-1]
    shown, raw = [], []
    for k, layer in enumerate(layers):
        values = layer.activations
        # (units, n, n) views of the (rows, units) values: whoever uses a map copies it
        shown.append(shown_values(values, k == last, n_outputs).T.reshape(-1, n, n))
        raw.append(values.T.reshape(-1, n, n))
    return PlaneMaps(tuple(shown), tuple(raw), cells)


def neuron_maps(snapshot: WeightSnapshot, standardizer: Standardizer, held: np.ndarray,
                pair: tuple[int, int], low: np.ndarray, high: np.ndarray,
                n: int = GRID) -> PlaneMaps:
    """All neurons' maps over the n × n cells of a plane."""
    return maps_on(snapshot, plane(standardizer, held, pair, low, high, n))
