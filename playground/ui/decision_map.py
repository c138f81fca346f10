"""The decision map: which class the network predicts over a plane of two features.

Every other feature is held at the prediction panel's value, so the map is a
slice through the input space at the current penguin. Colour shows the
predicted class, lighter where the network is less sure; the data points on
top are coloured by their true class; a star marks the current penguin.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.ui import theme

GRID = 96  # cells per axis: 9,216 forward passes, about a millisecond of numpy


def plane_grid(low: np.ndarray, high: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres along two axes spanning [low, high] (each of length n)."""
    step = (high - low) / n
    return (low[0] + step[0] * (np.arange(n) + 0.5), low[1] + step[1] * (np.arange(n) + 0.5))


class DecisionMap(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionMap")
        self.x_feature = QComboBox(objectName="mapXInput")
        self.y_feature = QComboBox(objectName="mapYInput")
        for combo, axis in ((self.x_feature, "horizontal"), (self.y_feature, "vertical")):
            combo.setToolTip(f"The feature on the {axis} axis; every other feature is held "
                             "at the prediction panel's value")
            combo.currentIndexChanged.connect(self._on_axes_changed)
        self.plot = pg.PlotWidget(objectName="decisionPlot")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumSize(260, 220)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.points = pg.ScatterPlotItem(size=6, pen=pg.mkPen(theme.text(), width=0.5))
        self.plot.addItem(self.points)
        self.marker = pg.ScatterPlotItem(size=18, symbol="star",
                                         pen=pg.mkPen(theme.text(), width=1.5))
        self.plot.addItem(self.marker)
        self.legend = QLabel(objectName="mapLegend")
        self.legend.setWordWrap(True)
        self.held = QLabel(objectName="mapHeldLabel")
        self.held.setWordWrap(True)

        form = QFormLayout()
        axes = QHBoxLayout()
        axes.addWidget(self.x_feature, 1)
        axes.addWidget(QLabel("against"))
        axes.addWidget(self.y_feature, 1)
        form.addRow("Axes", axes)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.plot, 1)
        box.addWidget(self.legend)
        box.addWidget(self.held)

        self.state = None
        self.classes: np.ndarray | None = None  # predicted class per cell (GRID × GRID)
        self.confidence: np.ndarray | None = None
        self.axes_values: tuple[np.ndarray, np.ndarray] | None = None  # cell centres
        self._dataset = None

    # --- from InsightViews -------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        if state.dataset is not self._dataset:
            self._set_dataset(state.dataset)
        self._draw()

    def _set_dataset(self, dataset) -> None:
        self._dataset = dataset
        names = [f.label for f in dataset.features]
        for combo, default in ((self.x_feature, 0), (self.y_feature, 1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(min(default, len(names) - 1))
            combo.blockSignals(False)
        colours = [theme.class_colour(i) for i in range(dataset.n_classes)]
        self.legend.setText("  ".join(
            f'<span style="color:{c.name()}">■</span> {name}'
            for c, name in zip(colours, dataset.class_names, strict=True)))
        self._place_points()

    @Slot()
    def _on_axes_changed(self) -> None:
        if self.state is not None:
            self._place_points()
            self._draw()

    def _axes(self) -> tuple[int, int]:
        return self.x_feature.currentIndex(), self.y_feature.currentIndex()

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The plane: the data's range on both axes, with a margin."""
        ix, iy = self._axes()
        x = self._dataset.x[:, [ix, iy]]
        low, high = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        pad = np.maximum((high - low) * 0.08, 1e-6)
        return low - pad, high + pad

    def _place_points(self) -> None:
        ix, iy = self._axes()
        d = self._dataset
        brushes = [pg.mkBrush(theme.class_colour(int(c))) for c in d.y]
        self.points.setData(d.x[:, ix], d.x[:, iy], brush=brushes)
        low, high = self._bounds()
        self.plot.setXRange(low[0], high[0], padding=0)
        self.plot.setYRange(low[1], high[1], padding=0)
        self.plot.setLabel("bottom", self.x_feature.currentText())
        self.plot.setLabel("left", self.y_feature.currentText())

    # --- the map -------------------------------------------------------------------------
    def _draw(self) -> None:
        state = self.state
        ix, iy = self._axes()
        raw = np.asarray(state.raw_input, dtype=np.float64)
        self.marker.setData([raw[ix]], [raw[iy]],
                            brush=pg.mkBrush(theme.window_background()))
        features = self._dataset.features
        held = [f"{(f.display or f.column).lower()} {raw[i]:g} {f.unit}".strip()
                for i, f in enumerate(features) if i not in (ix, iy)]
        self.held.setText("Held at the prediction panel's values: " + ", ".join(held)
                          if held else "")
        low, high = self._bounds()
        gx, gy = plane_grid(low, high, GRID)
        self.axes_values = (gx, gy)
        rows = np.repeat(raw[None, :], GRID * GRID, axis=0)
        rows[:, ix] = np.tile(gx, GRID)  # row-major: y changes slowest
        rows[:, iy] = np.repeat(gy, GRID)
        probs = state.probabilities(rows)
        if probs is None:
            self.image.clear()
            self.classes = self.confidence = None
            return
        self.classes = probs.argmax(1).reshape(GRID, GRID)
        self.confidence = probs.max(1).reshape(GRID, GRID)
        self.image.setImage(self._colours(self.classes, self.confidence, probs.shape[1]),
                            autoLevels=False, levels=(0, 255))
        self.image.setRect(QRectF(low[0], low[1], high[0] - low[0], high[1] - low[1]))

    @staticmethod
    def _colours(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
        """RGB per cell: the class colour, blended toward the background when unsure
        (confidence 1/n → background, 1 → 60 % class colour, so points stay visible)."""
        palette = np.array([theme.class_colour(i).getRgb()[:3] for i in range(n_classes)],
                           dtype=np.float64)
        back = np.array(theme.background().getRgb()[:3], dtype=np.float64)
        sure = np.clip((confidence - 1 / n_classes) / (1 - 1 / n_classes), 0, 1)[..., None]
        rgb = back + (palette[classes] - back) * (0.15 + 0.45 * sure)
        return rgb.astype(np.uint8)

    def class_at(self, x: float, y: float) -> int | None:
        """The predicted class of the cell holding (x, y), as drawn."""
        if self.classes is None:
            return None
        gx, gy = self.axes_values
        return int(self.classes[int(np.abs(gy - y).argmin()), int(np.abs(gx - x).argmin())])
