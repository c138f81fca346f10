"""The decision map: which class the network predicts over a plane of two features.

Every other feature is held at the prediction panel's value, so the map is a
slice through the input space at the current penguin. It is the data
explorer's feature scatter (points by true class, a star at the current
penguin) with the predicted class painted behind it: the class colour,
lighter where the network is less sure.

A neuron of the network can take the prediction's place (hovered or pinned
in the editor, see neuron_maps.py): the plane is then painted with that
neuron's output, blue positive and orange negative, under the same points.

For a regression data set the plane is painted with the predicted value on a
continuous colour map (its colour bar beside the plot), and the points with their
true value on the same map: a point that stands out from the ground around it is
one the network gets wrong.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem, QLabel, QVBoxLayout, QWidget

from playground.core.data.dataset import Dataset
from playground.core.network.neuron_maps import neuron_maps, plane_grid, plane_rows
from playground.ui import theme
from playground.ui.editor.neuron_map_items import diverging_rgb
from playground.ui.insight.feature_scatter import FeatureScatter

GRID = 64  # cells per axis: 4,096 forward passes; finer costs more than it shows


class DecisionMap(QWidget):
    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionMap")
        self.dataset = dataset
        self.scatter = FeatureScatter(dataset)
        self.scatter.setObjectName("decisionScatter")
        self.scatter.plot.setObjectName("decisionPlot")
        # Names of their own: the data explorer holds a scatter with the same widgets.
        self.scatter.x_choice.setObjectName("mapXInput")
        self.scatter.y_choice.setObjectName("mapYInput")
        for combo in (self.scatter.x_choice, self.scatter.y_choice):
            combo.setToolTip(combo.toolTip() + "; every other feature is held at the "
                             "prediction panel's value")
            combo.currentIndexChanged.connect(self._on_axes_changed)
        self.scatter.plot.setMinimumSize(260, 220)
        # A plain C++ pixmap item: pyqtgraph's ImageItem converts and paints in Python,
        # which the training thread pays for through the GIL.
        self.image = QGraphicsPixmapItem()
        self.image.setZValue(-10)  # under the points and the star
        self.image.setTransformationMode(Qt.TransformationMode.FastTransformation)
        self.scatter.plot.addItem(self.image)
        self.scatter.plot.getPlotItem().showGrid(x=False, y=False)  # the map is the grid
        self.rgb: np.ndarray | None = None  # the colours shown, row 0 at the bottom
        self.held = QLabel(objectName="mapHeldLabel")
        self.held.setWordWrap(True)
        self.title = QLabel(objectName="mapTitle")  # which neuron, when one is shown
        self.title.setWordWrap(True)
        self.title.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.title)
        box.addWidget(self.scatter, 1)
        box.addWidget(self.held)

        if dataset.is_regression:
            self.scatter.plot.setToolTip(
                f"The colour of the plane is the {dataset.label} the network predicts there; "
                f"the dots are samples, coloured by their true {dataset.label} on the same "
                "scale; the star is the sample in the prediction panel. Click a dot to load "
                "it.")

        self.state = None
        self.classes: np.ndarray | None = None  # predicted class per cell (GRID × GRID)
        self.values: np.ndarray | None = None  # regression: predicted value per cell
        self.axes_values: tuple[np.ndarray, np.ndarray] | None = None  # cell centres
        self.neuron: tuple[int, int] | None = None  # (column, index) shown instead
        self.neuron_values: np.ndarray | None = None  # its output per cell, as drawn

    def show_neuron(self, neuron: tuple[int, int] | None, title: str = "") -> None:
        """Paint one neuron's output (editor column, index) instead of the prediction;
        None: the prediction again."""
        self.neuron = neuron
        self.title.setText(title)
        self.title.setVisible(neuron is not None)
        if self.scatter.colour_bar is not None:  # the target's scale: not the neuron's
            self.scatter.colour_bar.setVisible(neuron is None)
        if self.state is not None:
            self._draw()

    # --- from InsightViews -------------------------------------------------------------
    def show_state(self, state) -> None:
        self.state = state
        self._draw()

    def _on_axes_changed(self) -> None:
        if self.state is not None:
            self._draw()

    # --- the map -------------------------------------------------------------------------
    def _draw(self) -> None:
        state = self.state
        ix, iy = self.scatter.axes()
        raw = np.asarray(state.raw_input, dtype=np.float64)
        self.scatter.show_input(raw)
        held = [f"{(f.display or f.column).lower()} {raw[i]:g} {f.unit}".strip()
                for i, f in enumerate(self.dataset.features) if i not in (ix, iy)]
        self.held.setText("Held at the prediction panel's values: " + ", ".join(held)
                          if held else "")
        (x0, x1), (y0, y1) = self.scatter.plot.getPlotItem().getViewBox().viewRange()
        low, high = np.array([x0, y0]), np.array([x1, y1])
        gx, gy = plane_grid(low, high, GRID)
        self.axes_values = (gx, gy)
        self.neuron_values = None
        rows = plane_rows(raw, (ix, iy), gx, gy) if self.neuron is None else None
        if self.neuron is not None:
            self.classes = self.values = None
            rgb = self._neuron_colours(raw, (ix, iy), low, high)
        elif self.dataset.is_regression:
            values = state.values(rows)
            self.values = None if values is None else values.reshape(GRID, GRID)
            rgb = None if values is None else self.scatter.value_colours.rgb(self.values)
        else:
            probs = state.probabilities(rows)
            self.classes = None if probs is None else probs.argmax(1).reshape(GRID, GRID)
            rgb = None if probs is None else self._colours(
                self.classes, probs.max(1).reshape(GRID, GRID), probs.shape[1])
        if rgb is None:
            self.image.setPixmap(QPixmap())
            self.classes = self.values = self.rgb = None
            return
        self.rgb = np.ascontiguousarray(rgb)
        image = QImage(self.rgb.data, GRID, GRID, 3 * GRID, QImage.Format.Format_RGB888)
        self.image.setPixmap(QPixmap.fromImage(image))  # copies: rgb may change later
        # Pixel row 0 is the lowest y: the view box's y axis points up.
        self.image.setTransform(QTransform.fromScale((x1 - x0) / GRID, (y1 - y0) / GRID))
        self.image.setPos(x0, y0)

    def _neuron_colours(self, raw, pair, low, high) -> np.ndarray | None:
        """The shown neuron's output over the plane, as the editor's small maps colour
        it (one forward pass gives every neuron; this one is kept)."""
        state = self.state
        column, index = self.neuron
        if not state.fits() or not 0 < column <= len(state.snapshot.weights) or \
                index >= state.snapshot.weights[column - 1].shape[0]:
            return None
        maps = neuron_maps(state.snapshot, state.split.standardizer, raw, pair, low, high,
                           GRID)
        self.neuron_values = maps.raw[column - 1][index]
        return diverging_rgb(maps.layers[column - 1][index])

    @staticmethod
    def _colours(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
        """RGB per cell: the class colour, blended toward the background when unsure
        (confidence 1/n → background, 1 → 60 % class colour, so points stay visible)."""
        palette = np.array([c.getRgb()[:3] for c in theme.class_colours(n_classes)],
                           dtype=np.float64)
        back = np.array(theme.background().getRgb()[:3], dtype=np.float64)
        sure = np.clip((confidence - 1 / n_classes) / (1 - 1 / n_classes), 0, 1)[..., None]
        rgb = back + (palette[classes] - back) * (0.15 + 0.45 * sure)
        return rgb.astype(np.uint8)

    def _cell(self, x: float, y: float) -> tuple[int, int]:
        gx, gy = self.axes_values
        return int(np.abs(gy - y).argmin()), int(np.abs(gx - x).argmin())

    def class_at(self, x: float, y: float) -> int | None:
        """The predicted class of the cell holding (x, y), as drawn."""
        if self.classes is None:
            return None
        return int(self.classes[self._cell(x, y)])

    def value_at(self, x: float, y: float) -> float | None:
        """Regression: the predicted value of the cell holding (x, y), as drawn."""
        if self.values is None:
            return None
        return float(self.values[self._cell(x, y)])
