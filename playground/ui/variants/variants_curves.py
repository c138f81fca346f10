"""Every variant's validation loss and accuracy (or R²), overlaid: a colour per variant.

Like the live curves (plots.py), each curve is a C++ path item fed by the
curve's incremental envelope, so a frame costs the same at ten epochs and at
a million; the axes are set here, in nice steps, never auto-ranged.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPainterPath
from PySide6.QtWidgets import QHBoxLayout, QWidget

from playground.core.nice_numbers import nice_ceiling
from playground.core.training.envelope import Envelope
from playground.core.training.history import History
from playground.ui.plots.curve_item import CurveItem, add_curve, keep_painted, paints_nothing
from playground.ui.plots.plot_view import PlotView

METRICS = ("val_loss", "val_accuracy")
MAX_LEGEND = 16  # more entries than this would cover the curves; the table is the legend
LEGEND_ROWS = 8
# Variants whose curves get new points at each update while training (in turn): a
# path costs ~0.15 ms of Python on the GUI thread, and 64 variants' 128 paths at every
# update would take that time from the training thread too (the GIL).
PER_UPDATE = 8


def variant_colour(j: int, k: int) -> QColor:
    """K hues evenly around the wheel, alternately darker, so neighbours differ."""
    return QColor.fromHsvF((j / max(k, 1)) % 1.0, 0.8, 0.85 if j % 2 else 0.65)


class VariantCurves(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plots = {}
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        for metric, title in (("val_loss", "Validation loss"),
                              ("val_accuracy", "Validation accuracy")):
            view = PlotView()
            view.setObjectName(f"variants:{metric}")
            plot = view.getPlotItem()
            plot.setTitle(title, size="10pt")
            plot.setLabel("bottom", "epoch")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.enableAutoRange(x=False, y=False)
            plot.addLegend(offset=(-10, 10), labelTextSize="8pt")
            keep_painted(plot.getAxis("left"), plot.getAxis("bottom"))
            paints_nothing(plot, plot.vb, plot.legend, plot.titleLabel)
            self.plots[metric] = view
            box.addWidget(view, 1)
        self.plots["val_accuracy"].setXLink(self.plots["val_loss"])
        self.curves: list[dict[str, CurveItem]] = []
        self._envelopes: list[dict[str, Envelope]] = []
        self.selected: int | None = None
        self._ranges = None
        self._seen: list[int] = []  # per variant: epochs folded into its highest loss
        self._high: list[float] = []
        self._next = 0  # the first variant redrawn at the next update

    def set_task(self, regression: bool) -> None:
        self.plots["val_accuracy"].getPlotItem().setTitle(
            "Validation R²" if regression else "Validation accuracy", size="10pt")

    def set_variants(self, labels: list[str]) -> None:
        """One curve per variant and metric; the legend names the values when it fits."""
        for metric, view in self.plots.items():
            plot = view.getPlotItem()
            for curves in self.curves:
                plot.vb.removeItem(curves[metric])
            plot.legend.clear()
        self.plots["val_loss"].getPlotItem().legend.setColumnCount(
            max(1, -(-len(labels) // LEGEND_ROWS)))
        self.curves, self._envelopes, self.selected, self._ranges = [], [], None, None
        k = len(labels)
        self._seen, self._high, self._next = [0] * k, [0.0] * k, 0
        self._low = 0.0  # the lowest score drawn: R² can be below 0
        for j, label in enumerate(labels):
            pen = pg.mkPen(variant_colour(j, k), width=0)
            curves = {}
            for metric, view in self.plots.items():
                plot = view.getPlotItem()
                if metric == "val_loss" and k <= MAX_LEGEND:
                    curves[metric] = add_curve(plot, pen, label, label)
                else:
                    curves[metric] = CurveItem(pen, label)
                    plot.vb.addItem(curves[metric], ignoreBounds=True)
            self.curves.append(curves)
            self._envelopes.append({m: Envelope() for m in METRICS})

    def redraw(self, histories: list[History], diverged: list, every: bool = False) -> None:
        """New points for the curves of up to PER_UPDATE variants, in turn (all of them
        when `every`), and the axes for all."""
        k = len(histories)
        if every or k <= PER_UPDATE:
            chosen = range(k)
        else:
            chosen = [(self._next + i) % k for i in range(PER_UPDATE)]
            self._next = (self._next + PER_UPDATE) % k
        for j in chosen:
            h = histories[j]
            for metric in METRICS:
                x, y = self._envelopes[j][metric].points(h.epochs, h[metric])
                self.curves[j][metric].setPath(pg.arrayToQPath(
                    np.asarray(x, np.float64), np.asarray(y, np.float64), connect="finite")
                    if len(x) else QPainterPath())
        last = 0.0
        for j, h in enumerate(histories):
            new = h["val_loss"][self._seen[j]:]
            scores = h["val_accuracy"][self._seen[j]:]
            self._seen[j] = len(h)
            scores = scores[np.isfinite(scores)]
            if len(scores) and diverged[j] is None:
                self._low = min(self._low, float(scores.min()))
            if len(new):
                last = max(last, float(h.epochs[-1]))
                finite = new[np.isfinite(new)]
                if len(finite):
                    self._high[j] = max(self._high[j], float(finite.max()))
        # A diverging variant's losses would flatten the others' curves: it does not count.
        high = max((v for v, d in zip(self._high, diverged, strict=True) if d is None),
                   default=0.0)
        last = max(last, self._ranges[0] if self._ranges else 0.0)
        # Down to −1 at most: an R² far below 0 (a first epoch) would flatten the rest.
        low = max(-1.0, math.floor(self._low * 10) / 10)
        ranges = (nice_ceiling(last, 10.0), nice_ceiling(high, 0.1), low)
        if ranges != self._ranges:
            self._ranges = ranges
            self.plots["val_loss"].setXRange(0, ranges[0], padding=0.02)
            self.plots["val_loss"].setYRange(0, ranges[1], padding=0.02)
            self.plots["val_accuracy"].setYRange(ranges[2], 1, padding=0.02)

    def select(self, j: int | None) -> None:
        """Draw variant `j` thicker and in front of the others."""
        for i, curves in enumerate(self.curves):
            for curve in curves.values():
                pen = curve.pen()
                pen.setWidthF(2.5 if i == j else 0)
                curve.setPen(pen)
                curve.setZValue(1 if i == j else 0)
        self.selected = j

