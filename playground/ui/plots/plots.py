"""Live loss and accuracy curves (pyqtgraph), built to redraw a million epochs quickly.

Each curve is a plain C++ QGraphicsPathItem in the plot's view box, given one
path per frame. The path is built from the curve's envelope (core/envelope.py):
at most a few thousand min/max points, folded in incrementally, so a frame
costs the same at ten epochs and at a million. pyqtgraph's own data items
would redo bounds, downsampling and painting in Python every frame, and the
GIL hands every millisecond of that to the training thread as a wait.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from playground.core.nice_numbers import nice_ceiling
from playground.core.training.envelope import Envelope
from playground.core.training.history import History
from playground.ui import theme
from playground.ui.plots.curve_item import add_curve, keep_painted, paints_nothing
from playground.ui.plots.plot_view import PlotView
from playground.ui.runs.run_overlays import RunOverlays


class TrainingPlots(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.setMinimumHeight(150)  # the curves stay readable when the window is small
        pg.setConfigOptions(antialias=False, background=theme.window_background(),
                            foreground=theme.text())
        self.loss_plot = PlotView()
        self.loss_plot.setObjectName("lossPlot")
        self.accuracy_plot = PlotView()
        self.accuracy_plot.setObjectName("accuracyPlot")
        train_colour, val_colour = theme.positive(), theme.negative()
        self.curves = {}
        for widget, metric in ((self.loss_plot, "loss"), (self.accuracy_plot, "accuracy")):
            plot = widget.getPlotItem()
            plot.setLabel("bottom", "epoch")
            plot.addLegend(offset=(-10, 10))
            plot.setMouseEnabled(x=False, y=False)  # follow the run; a drag would freeze it
            plot.hideButtons()
            keep_painted(plot.getAxis("left"), plot.getAxis("bottom"))
            # The view box has no border (pyqtgraph's default pen draws nothing) and the
            # legend no frame: neither paints, nor do the plot item and its title label.
            paints_nothing(plot, plot.vb, plot.legend, plot.titleLabel)
            # Width 0: Qt's one-pixel line at any zoom. A cosmetic pen of width 1 draws the
            # same, but QGraphicsPathItem widens its bounding rect by half a pen width in
            # data units (half a unit of loss or accuracy): each new point then dirtied
            # the axes, title and legend too, and repainting them called ~60 pyqtgraph
            # Python methods a frame, GIL time taken from the training thread.
            self.curves[f"train_{metric}"] = add_curve(plot, pg.mkPen(train_colour, width=0),
                                                       "training")
            self.curves[f"val_{metric}"] = add_curve(plot, pg.mkPen(val_colour, width=0),
                                                     "validation")
        self._envelopes = {name: Envelope() for name in self.curves}
        self.drawn: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # the points of each path
        for widget in (self.loss_plot, self.accuracy_plot):
            widget.getPlotItem().enableAutoRange(x=False, y=False)
        self.accuracy_plot.setYRange(0, 1, padding=0.02)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.overlays = RunOverlays(self.loss_plot, self.accuracy_plot)  # earlier runs
        self._ranges = None  # (x upper, loss y range) last applied
        self._seen = 0  # history entries already folded into the loss extremes
        self._loss_max, self._loss_min = 0.0, math.inf

        self.log_scale = QCheckBox("Log scale", objectName="logScaleInput")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis")
        self.log_scale.toggled.connect(self._on_log_toggled)
        self.readout = QLabel(objectName="plotReadout")
        self.readout.setToolTip("Move the mouse over a plot to read the values at an epoch")
        row = QHBoxLayout()
        row.addWidget(self.log_scale)
        row.addStretch(1)
        row.addWidget(self.readout)
        side_by_side = QHBoxLayout()
        side_by_side.addWidget(self.loss_plot, 1)
        side_by_side.addWidget(self.accuracy_plot, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(side_by_side, 1)
        box.addLayout(row)

        self.score_name = "accuracy"
        self.set_task(regression=False)
        self._history = History()
        self._cursor_lines = []
        for widget in (self.loss_plot, self.accuracy_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.muted_text()))
            line.hide()
            widget.addItem(line, ignoreBounds=True)
            self._cursor_lines.append(line)
            # Each plot has its own scene, with its plot item at (0, 0): say which one.
            widget.scene().sigMouseMoved.connect(
                lambda pos, widget=widget: self._on_mouse_moved(widget, pos))

    def set_task(self, regression: bool) -> None:
        """Classification is scored by accuracy; regression by R² (1 is a perfect fit)."""
        loss = "Loss (mean squared error)" if regression else "Loss (cross-entropy)"
        self.score_name = "R²" if regression else "accuracy"
        self.loss_plot.getPlotItem().setTitle(loss, size="10pt")
        self.accuracy_plot.getPlotItem().setTitle(
            "R² (1 = perfect fit)" if regression else "Accuracy", size="10pt")

    @property
    def history(self) -> History:
        return self._history

    @history.setter
    def history(self, history: History) -> None:
        """Another run's curves (switch, undo, open): the envelopes start again."""
        self._history = history
        for envelope in self._envelopes.values():
            envelope.reset()

    def redraw(self) -> None:
        """One setData per curve, of its envelope: a frame's whole plotting work."""
        h = self.history
        x = h.epochs
        log = self.log_scale.isChecked()
        for name, curve in self.curves.items():
            ex, ey = self._envelopes[name].points(x, h[name])
            self.drawn[name] = (ex, ey)
            if log and name.endswith("loss"):  # the log axis shows log10 of what is drawn
                ey = np.log10(np.maximum(ey, np.float32(1e-30)))
            curve.setPath(pg.arrayToQPath(np.asarray(ex, np.float64),
                                          np.asarray(ey, np.float64)) if len(ex) else
                          QPainterPath())
        self._update_ranges()

    def _update_ranges(self) -> None:
        h = self.history
        if len(h) < self._seen:  # a new history: start the extremes again
            self._seen, self._loss_max, self._loss_min = 0, 0.0, math.inf
        for name in ("train_loss", "val_loss"):
            new = h[name][self._seen:]
            if len(new):
                self._loss_max = max(self._loss_max, float(np.nanmax(new)))
                positive = new[new > 0]
                if len(positive):
                    self._loss_min = min(self._loss_min, float(positive.min()))
        self._seen = len(h)
        last, high, low = self.overlays.extent  # constants while no overlay is switched
        high, low = max(high, self._loss_max), min(low, self._loss_min)
        x_upper = nice_ceiling(max(float(h.epochs[-1]) if len(h) else 0.0, last), 10.0)
        if self.log_scale.isChecked():
            low = low if math.isfinite(low) else 0.01
            y = (math.floor(math.log10(low)), math.ceil(math.log10(max(high, 1e-9)))
                 + 1e-9)
        else:
            y = (0.0, nice_ceiling(high, 0.1))
        if (x_upper, y) != self._ranges:
            self._ranges = (x_upper, y)
            self.loss_plot.setXRange(0, x_upper, padding=0.02)
            self.loss_plot.setYRange(*y, padding=0.02)

    def show_overlay(self, key: int, label: str, history: History) -> None:
        self.overlays.show(key, label, history)
        self._update_ranges()

    def hide_overlay(self, key: int) -> None:
        self.overlays.hide(key)
        self._update_ranges()

    def clear(self) -> None:
        self.history = History()
        self._seen = 0
        self.redraw()
        self.readout.clear()

    @Slot(bool)
    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self.overlays.set_log(on)
        self._ranges = None
        self.redraw()

    def _on_mouse_moved(self, widget, pos) -> None:
        h = self.history
        vb = widget.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            return
        epoch = vb.mapSceneToView(pos).x()
        if not len(h):
            return
        i = int(np.clip(np.searchsorted(h.epochs, epoch), 0, len(h) - 1))
        e = h.epochs[i]
        for line in self._cursor_lines:
            line.setPos(e)
            line.show()
        self.readout.setText(
            f"epoch {int(e)}: loss {h['train_loss'][i]:.4f} / {h['val_loss'][i]:.4f}, "
            f"{self.score_name} {h['train_accuracy'][i]:.3f} / {h['val_accuracy'][i]:.3f} "
            "(training / validation)")
