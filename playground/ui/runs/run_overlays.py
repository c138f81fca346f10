"""Earlier runs' validation curves drawn behind the live ones, dashed and muted.

An overlay is a finished curve, so its path is built once, when it is switched
on (and again only when the loss axis changes between linear and log): the
training path's per-frame work does not grow with the number of overlays.
Like the live curves (plots.py), each is a plain C++ QGraphicsPathItem from the
curve's envelope, never a pyqtgraph data item that redoes its work every frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem

from playground.core.training.envelope import Envelope
from playground.core.training.history import History
from playground.ui.plots.curve_item import add_curve

# Muted and dashed so that the live curves stay in front, yet distinct from each other.
COLOURS = ("#8d8d8d", "#8f7fb0", "#6f9c8a", "#b0957a", "#7f98b5", "#a67f8f")
METRICS = ("val_loss", "val_accuracy")


def overlay_colour(number: int) -> QColor:
    return QColor(COLOURS[(number - 1) % len(COLOURS)])


@dataclass(eq=False)
class _Overlay:
    label: str
    points: dict[str, tuple[np.ndarray, np.ndarray]]  # metric -> envelope points
    items: dict[str, QGraphicsPathItem]  # also their legend entries (curve_item.py)


class RunOverlays:
    def __init__(self, loss_plot: pg.PlotWidget, accuracy_plot: pg.PlotWidget) -> None:
        self._plots = {"val_loss": loss_plot.getPlotItem(),
                       "val_accuracy": accuracy_plot.getPlotItem()}
        self._overlays: dict[int, _Overlay] = {}
        self._log = False
        # What the axes must show for the overlays: (last epoch, highest loss, lowest
        # positive loss), folded into the live curves' ranges by the plots.
        self.extent = (0.0, 0.0, math.inf)

    def keys(self) -> list[int]:
        return list(self._overlays)

    def points(self, key: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
        """The points drawn for overlay `key`'s `metric` (before any log scaling)."""
        return self._overlays[key].points[metric]

    def show(self, key: int, label: str, history: History) -> None:
        """Draw run `key`'s validation curves (its history as it is now)."""
        self.hide(key)
        pen = pg.mkPen(overlay_colour(key), width=1.5, style=Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        points, items = {}, {}
        for metric, plot in self._plots.items():
            points[metric] = Envelope().points(history.epochs.copy(), history[metric].copy())
            item = add_curve(plot, pen, label, label)
            item.setZValue(-1)  # behind the live curves
            items[metric] = item
        self._overlays[key] = _Overlay(label, points, items)
        self._draw(self._overlays[key])
        self._update_extent()

    def hide(self, key: int) -> None:
        overlay = self._overlays.pop(key, None)
        if overlay is None:
            return
        for metric, item in overlay.items.items():
            self._plots[metric].vb.removeItem(item)
            self._plots[metric].legend.removeItem(item)
        self._update_extent()

    def set_log(self, log: bool) -> None:
        self._log = log
        for overlay in self._overlays.values():
            self._draw(overlay)

    def _draw(self, overlay: _Overlay) -> None:
        for metric, (x, y) in overlay.points.items():
            if self._log and metric == "val_loss":  # the log axis shows log10 of the path
                y = np.log10(np.maximum(y, np.float32(1e-30)))
            # "finite": a diverged run's NaN epochs leave a gap instead of breaking the path
            path = pg.arrayToQPath(np.asarray(x, np.float64), np.asarray(y, np.float64),
                                   connect="finite") if len(x) else QPainterPath()
            overlay.items[metric].setPath(path)

    def _update_extent(self) -> None:
        last, high, low = 0.0, 0.0, math.inf
        for overlay in self._overlays.values():
            x, loss = overlay.points["val_loss"]
            if len(x):
                last = max(last, float(x[-1]))
            finite = loss[np.isfinite(loss)]
            if len(finite):
                high = max(high, float(finite.max()))
                positive = finite[finite > 0]
                if len(positive):
                    low = min(low, float(positive.min()))
        self.extent = (last, high, low)
