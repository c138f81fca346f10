"""Colours for a regression target: one continuous colour map, from the lowest value of
the data set to the highest, shared by the decision map, the points on it and the data
explorer's scatter, with a colour bar that says which colour is which value.

The range is the data set's, fixed while the network trains: colours that rescaled
with every update would make the map flicker and two moments impossible to compare.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from playground.ui import theme

MAP_NAME = "viridis"  # perceptually even, readable in grey, and kind to colour blindness
STEPS = 256


def value_colour_map() -> pg.ColorMap:
    return pg.colormap.get(MAP_NAME)


def value_range(y: np.ndarray) -> tuple[float, float]:
    """The colour map's ends: the data's lowest and highest value (never equal)."""
    y = np.asarray(y, dtype=np.float64)
    y = y[np.isfinite(y)]
    if not len(y):
        return 0.0, 1.0
    low, high = float(y.min()), float(y.max())
    return (low, high) if high > low else (low - 0.5, high + 0.5)


class ValueColours:
    """Values → RGB (uint8) on the colour map, clipped to the data's range."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high
        self.map = value_colour_map()
        self._table = self.map.getLookupTable(0.0, 1.0, STEPS, alpha=False).astype(np.uint8)

    def rgb(self, values: np.ndarray) -> np.ndarray:
        """One colour per value (NaN: the background), shaped values.shape + (3,)."""
        v = np.asarray(values, dtype=np.float64)
        t = np.clip((v - self.low) / (self.high - self.low), 0.0, 1.0)
        index = np.round(np.nan_to_num(t) * (STEPS - 1)).astype(np.intp)
        out = self._table[index]
        missing = ~np.isfinite(v)
        if missing.any():
            out[missing] = theme.background().getRgb()[:3]
        return out

    def brushes(self, values: np.ndarray) -> list:
        """A brush per value, for a scatter plot's points."""
        return [pg.mkBrush(*c) for c in self.rgb(values)]

    def colour_bar(self, label: str) -> pg.ColorBarItem:
        """A vertical bar of the map with the value range on its axis (not draggable)."""
        bar = pg.ColorBarItem(values=(self.low, self.high), colorMap=self.map,
                              interactive=False, width=12, label=label,
                              colorMapMenu=False)
        bar.setToolTip(f"Colour scale: {label} from {self.low:.4g} to {self.high:.4g}")
        return bar
