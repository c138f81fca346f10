"""Predicted versus actual: the regression counterpart of the confusion matrix.

Each validation row is a dot at (its true value, the value the network predicts
for it), both in the data's units. A perfect network puts every dot on the
diagonal y = x; the vertical distance from it is that row's error. Beside the plot:
R² and the mean absolute error of the same predictions. Clicking a dot loads that
row into the prediction panel.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.core.data.dataset import Dataset
from playground.core.training.metrics import regression_scores
from playground.ui import theme
from playground.ui.insight.insight_views import ModelState

PAD = 0.06  # margin around the dots, as a share of the span


class PredictedActualView(QWidget):
    """Emits `rowChosen(data-set row)` when a dot is clicked."""

    rowChosen = Signal(int)

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("predictedActualView")
        self.dataset = dataset
        self.rows: np.ndarray | None = None  # the validation rows, as plotted
        self.truth: np.ndarray | None = None
        self.predicted: np.ndarray | None = None
        self.scores: tuple[float, float] | None = None  # (R², mean absolute error)
        self._snapshot = self._split = None  # what the shown numbers were computed from
        self._range: tuple[float, float] | None = None
        noun, label = dataset.nouns
        self._noun, self._label = noun, label

        self.plot = pg.PlotWidget(background=theme.window_background(),
                                  objectName="predictedActualPlot")
        self.plot.setMinimumSize(260, 240)
        self.plot.setToolTip(
            f"Each dot is a validation {noun}: across, its true {label}; up, the {label} the "
            "network predicts. On the dashed diagonal the prediction is exact; the height "
            "above or below it is the error. Click a dot to load it into the prediction "
            "panel.")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)  # follows training; a drag would freeze it
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.08)  # the diagonal is the reference
        item.setLabel("bottom", f"true {label}")
        item.setLabel("left", f"predicted {label}")
        item.getViewBox().setAspectLocked(True)  # the diagonal at 45°
        # No legend: in a narrow dock it would hide dots; the side text has the key.
        self.diagonal = pg.PlotDataItem(
            pen=pg.mkPen(theme.muted_text(), width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine))
        item.addItem(self.diagonal)
        dot = theme.positive()
        self.dots = pg.ScatterPlotItem(size=7, pen=pg.mkPen(theme.window_background(),
                                                            width=0.5),
                                       brush=pg.mkBrush(dot.red(), dot.green(), dot.blue(),
                                                        200),
                                       hoverable=True, tip=self._tip)
        self.dots.sigClicked.connect(self._on_clicked)
        item.addItem(self.dots)
        self.marker = pg.ScatterPlotItem(symbol="star", size=20, pen=pg.mkPen(
            theme.window_background(), width=1.5), brush=pg.mkBrush(theme.text()))
        self.marker.setZValue(10)
        item.addItem(self.marker)

        self.summary = QLabel("The network is being built…", objectName="predictedActualScores")
        self.summary.setWordWrap(True)
        self.summary.setMinimumWidth(170)
        self.summary.setMaximumWidth(230)
        side = QVBoxLayout()
        side.addWidget(self.summary)
        side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.plot, 1)
        row.addLayout(side)

    # --- from InsightViews -------------------------------------------------------------
    def show_state(self, state: ModelState) -> None:
        if state.snapshot is not self._snapshot or state.split is not self._split:
            self._snapshot, self._split = state.snapshot, state.split
            self._show_points(state)
        self._show_marker(state)

    def _show_points(self, state: ModelState) -> None:
        rows = state.split.val_index
        predicted = state.values(state.dataset.x[rows])
        if predicted is None or not len(rows):
            self.rows = self.truth = self.predicted = self.scores = None
            self.dots.setData(x=[], y=[])
            self.summary.setText("The network is being built…" if predicted is None else
                                 "No validation rows: set a validation share above 0.")
            return
        truth = np.asarray(state.dataset.y[rows], dtype=np.float64)
        self.rows, self.truth, self.predicted = rows, truth, predicted
        self.scores = regression_scores(truth, predicted)
        self.dots.setData(x=truth, y=predicted, data=rows)
        self._fit_range(truth, predicted)
        r2, mae = self.scores
        label = html.escape(self._label)
        muted = theme.muted_text().name()
        self.summary.setText(
            f"<b>Validation set</b>, epoch {state.epoch:,}: {len(rows)} {self._noun}s"
            f"<p style='font-size:large'>R² = <b>{r2:.3f}</b></p>"
            f"<p style='color:{muted}'>1 is a perfect fit; 0 is no better than always "
            "answering the mean.</p>"
            f"<p style='font-size:large'>mean absolute error = <b>{mae:.4g}</b></p>"
            f"<p style='color:{muted}'>the average distance between the predicted and the "
            f"true {label}, in its own units.</p>"
            f"<p style='color:{muted}'>Dashed: predicted = true. ★ the {self._noun} in the "
            "prediction panel.</p>")

    def _fit_range(self, truth: np.ndarray, predicted: np.ndarray) -> None:
        """Show the true values' range, widened for predictions outside it (a fresh
        network's can be far off); set only when it changes, as it costs a re-layout."""
        finite = predicted[np.isfinite(predicted)]
        low = float(min(truth.min(), finite.min() if len(finite) else truth.min()))
        high = float(max(truth.max(), finite.max() if len(finite) else truth.max()))
        pad = PAD * max(high - low, 1e-9)
        wanted = (low - pad, high + pad)
        if self._range is not None and np.allclose(wanted, self._range,
                                                   atol=0.02 * (high - low)):
            return
        self._range = wanted
        self.diagonal.setData(x=list(wanted), y=list(wanted))
        self.plot.getPlotItem().getViewBox().setRange(xRange=wanted, yRange=wanted, padding=0)

    def _show_marker(self, state: ModelState) -> None:
        """The star: the prediction panel's sample, when it is a row with a known value."""
        truth = state.true_value
        value = None if truth is None else state.values(state.raw_input)
        if value is None:
            self.marker.setData(x=[], y=[])
        else:
            self.marker.setData(x=[truth], y=[float(np.ravel(value)[0])])

    # --- reading and clicking ----------------------------------------------------------
    def _tip(self, x: float, y: float, data) -> str:
        return (f"#{int(data) + 1}: true {self._label} {x:.4g}, predicted {y:.4g}\n"
                f"error {y - x:+.4g}")

    @Slot(object, object, object)
    def _on_clicked(self, _item, points, _event) -> None:
        if len(points):
            self.rowChosen.emit(int(points[0].data()))
