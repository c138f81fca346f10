""""Inside the network": per layer, a histogram of its weights and one of the gradients
of the last training batch, how many weights sit at about 0 (what L1 does), and
warnings in plain words for dead or saturated units.

The numbers come from core/layer_health.py. Work per refresh is a few numpy calls
per layer and one forward pass over the training rows, done only when a new
snapshot has arrived; the plots keep their items and axes and are given new data
in place, with axes that change only in round steps (steady_limit).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from playground.core.network.forward import WeightSnapshot
from playground.core.network.layer_health import (
    UnitHealth,
    bin_edges,
    histogram,
    largest_magnitude,
    near_zero,
    near_zero_text,
    steady_limit,
    unit_health,
    warnings,
)
from playground.core.nice_numbers import nice_ceiling
from playground.ui import theme

WEIGHTS_TIP = (
    "How this layer's weights are spread (each bar: how many weights have a value in "
    "that range). They start small and evenly spread; as the network learns, the useful "
    "ones grow. Many weights far out at the edges can mean the learning rate is too high "
    "or the network is memorising its training data: weight decay pulls them in.")
GRADIENTS_TIP = (
    "How hard the last training batch pushed on each weight: its gradient, the slope of "
    "the loss along that weight. Bunched tightly around 0 means learning has slowed — the "
    "network has settled, or its units are dead or saturated. Spread very wide (exploding "
    "gradients) means steps are too big: lower the learning rate.")
ROW_HEIGHT = 110  # pixels per layer, at least: enough for bars and their axis labels
HEALTHY = "Every hidden unit is working: none dead, none saturated."


class Histogram:
    """One histogram plot: a filled step curve over fixed bins, updated in place."""

    def __init__(self, plot: pg.PlotItem, colour) -> None:
        self.plot = plot
        self.curve = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=pg.mkPen(colour),
                                     brush=pg.mkBrush(theme.blend(colour, theme.background(),
                                                                  0.45)))
        plot.addItem(self.curve)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.getAxis("left").setWidth(34)
        plot.getAxis("bottom").setHeight(22)
        self.limit: float | None = None  # the x axis: −limit … limit
        self.top: float | None = None  # the y axis: 0 … top
        self.counts: np.ndarray | None = None  # as drawn

    def show(self, values: np.ndarray | None) -> None:
        if values is None:
            self.curve.setData([], [])
            self.counts = None
            return
        limit = steady_limit(self.limit, largest_magnitude(values))
        self.counts = histogram(values, limit)
        top = max(self.top or 0.0, 1.0)
        wanted = nice_ceiling(float(self.counts.max()))
        if wanted > top or wanted * 4 <= top:  # as steady_limit: grow at once, shrink late
            top = wanted
        if (limit, top) != (self.limit, self.top):
            self.limit, self.top = limit, top
            self.plot.setRange(xRange=(-limit, limit), yRange=(0, top), padding=0)
            # Few ticks: pyqtgraph's own run together on a small plot. Half the limit, not
            # the limit itself, whose label would not fit at the plot's edge.
            half = limit / 2
            self.plot.getAxis("bottom").setTicks(
                [[(-half, f"{-half:g}"), (0.0, "0"), (half, f"{half:g}")]])
            self.plot.getAxis("left").setTicks([[(0.0, "0"), (top, f"{top:g}")]])
        self.curve.setData(bin_edges(limit), self.counts)


class InsideView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("insideView")
        self.epoch_label = QLabel(objectName="insideEpochLabel")
        self.epoch_label.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setObjectName("insidePlots")
        self.plots.setBackground(theme.background())
        # 368 pixels wide in all with the margins and the scroll bar, as the dock has always
        # been: a wider minimum makes the window lay out the dock again as it opens.
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.plots.setMinimumSize(360 - bar, 160)
        self.near_zero_label = QLabel(objectName="insideNearZero")
        self.near_zero_label.setWordWrap(True)
        self.near_zero_label.setToolTip(
            "Weights so small that they barely count: their connection is as good as gone. "
            "L1 (training settings) pulls every weight toward 0 by the same amount; only "
            "those the loss needs grow back, so the others end there.")
        self.warning_box = QWidget(objectName="insideWarnings")
        self.warning_box.setToolTip(
            "Units that have stopped learning, judged on every training row")
        self.warning_rows = QVBoxLayout(self.warning_box)
        self.warning_rows.setContentsMargins(0, 0, 0, 0)
        # In a scroll area: a deep network's rows and the lines below them can need more
        # height than the dock has, and squeezed below their minimum they would overlap.
        content = QWidget()
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        # The dock keeps room for the title and a layer or two, and the plots' width (the
        # content is never scrolled sideways) beside the vertical scroll bar.
        scroll.setMinimumSize(self.plots.minimumWidth() + 8 + bar, 300)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        box = QVBoxLayout(content)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.epoch_label)
        box.addWidget(self.plots, 1)
        box.addWidget(self.near_zero_label)
        box.addWidget(self.warning_box)

        self.weights: list[Histogram] = []
        self.gradients: list[Histogram] = []
        self.health: list[UnitHealth] = []
        self.near_zero: list[tuple[int, int]] = []  # (about 0, all) weights per layer
        self.warnings: list[str] | None = None  # as shown
        self._row_labels: list[pg.LabelItem] = []  # one per layer, beside its plots
        self._layout_key = None  # layer shapes and activations the plots were built for
        self._snapshot: WeightSnapshot | None = None  # what the shown numbers come from

    # --- from InsightViews -------------------------------------------------------------
    def show_state(self, state) -> None:
        snapshot = state.snapshot
        if snapshot is None:
            return
        self._show_near_zero(snapshot, state.l1)  # also when only the L1 setting changed
        # A new input or a repeated refresh changes nothing else here: only new weights do.
        if snapshot is self._snapshot:
            return
        self._snapshot = snapshot
        key = (tuple(w.shape for w in snapshot.weights), snapshot.activations)
        if key != self._layout_key:
            self._build_rows(snapshot)
            self._layout_key = key
        grads = snapshot.gradients
        for i, w in enumerate(snapshot.weights):
            self.weights[i].show(w)
            self.gradients[i].show(None if grads is None else grads[i])
        self.health = unit_health(snapshot, state.split.train_x)
        self._show_warnings(warnings(self.health, state.dataset.nouns[0]))
        epoch = f"{snapshot.epoch:,}"
        self.epoch_label.setText(
            f"Weights after epoch {epoch}; gradients of its last training batch."
            if grads is not None else
            f"Weights after epoch {epoch}. The gradients appear once the network has "
            "trained a step.")

    def _show_near_zero(self, snapshot: WeightSnapshot, l1: float) -> None:
        if snapshot is not self._snapshot:
            self.near_zero = near_zero(snapshot.weights)
        text = near_zero_text(self.near_zero, l1)
        if text != self.near_zero_label.text():  # unchanged most refreshes: no relayout
            self.near_zero_label.setText(text)

    # --- building ------------------------------------------------------------------------
    def _build_rows(self, snapshot: WeightSnapshot) -> None:
        """One row of plots per layer. Rows are kept and relabelled when the network
        changes, and only added or removed when its depth does: a pyqtgraph plot costs
        tens of milliseconds to make, which the window must not spend on every reset."""
        if not self._row_labels:
            for col, title in ((1, "Weights"), (2, "Gradients (last batch)")):
                self.plots.addLabel(f"<b>{title}</b>", row=0, col=col)
            self.plots.ci.layout.setColumnStretchFactor(1, 1)
            self.plots.ci.layout.setColumnStretchFactor(2, 1)
        n = len(snapshot.weights)
        while len(self._row_labels) > n:
            for item in (self._row_labels.pop(), self.weights.pop().plot,
                         self.gradients.pop().plot):
                self.plots.removeItem(item)
        while len(self._row_labels) < n:
            row = len(self._row_labels) + 1
            self._row_labels.append(self.plots.addLabel("", row=row, col=0))
            for col, (colour, into) in enumerate(((theme.positive(), self.weights),
                                                  (theme.negative(), self.gradients)),
                                                 start=1):
                into.append(Histogram(self.plots.addPlot(row=row, col=col), colour))
        muted = theme.blend(theme.text(), theme.background(), 0.4).name()
        last = n - 1
        for i, w in enumerate(snapshot.weights):
            n_out, n_in = w.shape
            name = "Output" if i == last else f"Hidden {i + 1}"
            kind = ("softmax" if n_out > 1 else "linear") if i == last \
                else snapshot.activations[i]
            self._row_labels[i].setText(f"<b>{name}</b><br><span style='color:{muted}'>"
                                        f"{n_in}→{n_out}<br>{kind}</span>")
            for hist, tip in ((self.weights[i], WEIGHTS_TIP), (self.gradients[i], GRADIENTS_TIP)):
                hist.plot.setToolTip(f"{name} layer ({n_in}×{n_out} weights). {tip}")
                hist.limit = hist.top = None  # another network: fit its axes afresh
        self.plots.setMinimumHeight(30 + ROW_HEIGHT * n)

    def _show_warnings(self, texts: list[str]) -> None:
        if texts == self.warnings:  # the usual case while training: leave the widgets be
            return
        self.warnings = texts
        while self.warning_rows.count():
            old = self.warning_rows.takeAt(0).widget()
            old.setParent(None)  # gone from the window now, not at the next event loop
            old.deleteLater()
        icon = QStyle.StandardPixmap.SP_MessageBoxWarning if texts else \
            QStyle.StandardPixmap.SP_DialogApplyButton
        pixmap = self.style().standardIcon(icon).pixmap(18, 18)
        for text in texts or [HEALTHY]:
            row = QWidget(objectName="insideWarning" if texts else "insideHealthy")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 2, 0, 2)
            mark = QLabel()
            mark.setPixmap(pixmap)
            label = QLabel(text, objectName="insideWarningText")
            label.setWordWrap(True)
            line.addWidget(mark, 0)
            line.addWidget(label, 1)
            self.warning_rows.addWidget(row)
