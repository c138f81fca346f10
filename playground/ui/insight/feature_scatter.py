"""Any two features of the data set against each other, coloured by species (or, for a
regression data set, by the target's value on a colour map), with the prediction panel's
penguin marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.core.data.dataset import Dataset
from playground.core.network.neuron_maps import PAD, plane_range
from playground.ui import theme
from playground.ui.plots.value_colours import ValueColours, value_range


class FeatureScatter(QWidget):
    """Emits `rowChosen(data-set row)` when a point is clicked."""

    rowChosen = Signal(int)

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("featureScatter")
        self.dataset = dataset
        self._marked = np.full(dataset.n_features, np.nan)

        self.x_choice, self.y_choice = QComboBox(objectName="scatterX"), \
            QComboBox(objectName="scatterY")
        for combo, axis in ((self.x_choice, "horizontal"), (self.y_choice, "vertical")):
            combo.addItems([f.label for f in dataset.features])
            combo.setToolTip(f"The feature on the {axis} axis")
        self.y_choice.setCurrentIndex(min(1, dataset.n_features - 1))
        self.x_choice.currentIndexChanged.connect(self._on_axes_changed)
        self.y_choice.currentIndexChanged.connect(self._on_axes_changed)

        self.plot = pg.PlotWidget(background=theme.window_background(), objectName="scatterPlot")
        row, label = dataset.nouns
        coloured_by = f"its {label}" if dataset.is_regression else f"its true {label}"
        self.plot.setToolTip(f"Each dot is a {row}, coloured by {coloured_by}; the star is "
                             f"the {row} in the prediction panel. Click a dot to load it.")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=True, alpha=0.15)
        legend = item.addLegend(offset=(-6, 6), labelTextColor=theme.text())
        veil = theme.window_background()
        veil.setAlpha(210)  # the legend stays readable over the dots behind it
        legend.setBrush(pg.mkBrush(veil))
        # One item per class (its legend entry names it); regression: one item, a colour
        # per dot from the value's colour map, explained by the colour bar beside the plot.
        self.species: list[pg.ScatterPlotItem] = []
        self.value_colours: ValueColours | None = None
        self.colour_bar: pg.ColorBarItem | None = None
        if dataset.is_regression:
            self.value_colours = ValueColours(*value_range(dataset.y))
            self._class_rows = [np.arange(len(dataset))]
            groups = [(None, None)]
            self.colour_bar = self.value_colours.colour_bar(dataset.label)
            item.layout.addItem(self.colour_bar, 2, 5)  # right of the plot, as pyqtgraph does
            item.layout.setColumnFixedWidth(4, 5)
        else:
            self._class_rows = [np.flatnonzero(dataset.y == k)
                                for k in range(dataset.n_classes)]
            groups = zip(dataset.class_names, theme.class_colours(dataset.n_classes),
                         strict=True)
        # A grey ring shows a dot on either end of the colour map (and on the map itself).
        ring = pg.mkPen(150, 150, 150, width=1) if dataset.is_regression else \
            pg.mkPen(theme.window_background(), width=0.5)
        for name, colour in groups:
            dots = pg.ScatterPlotItem(size=7, pen=ring,
                                      name=name, hoverable=True, tip=self._tip,
                                      **({"brush": pg.mkBrush(colour)} if colour else {}))
            dots.sigClicked.connect(self._on_clicked)
            item.addItem(dots)
            self.species.append(dots)
        if self.value_colours is not None:
            self._brushes = self.value_colours.brushes(dataset.y)
        self.marker = pg.ScatterPlotItem(symbol="star", size=20, pen=pg.mkPen(
            theme.window_background(), width=1.5), brush=pg.mkBrush(theme.text()))
        self.marker.setZValue(10)
        item.addItem(self.marker)
        legend.addItem(self.marker, f"this {dataset.nouns[0]}")

        axes = QHBoxLayout()
        axes.addWidget(QLabel("x:"))
        axes.addWidget(self.x_choice, 1)
        axes.addWidget(QLabel("y:"))
        axes.addWidget(self.y_choice, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(axes)
        box.addWidget(self.plot, 1)
        self._on_axes_changed()

    def axes(self) -> tuple[int, int]:
        return self.x_choice.currentIndex(), self.y_choice.currentIndex()

    def marked_point(self) -> tuple[float, float] | None:
        """Where the star is (None before the first penguin is shown)."""
        x, y = self.marker.getData()
        return (float(x[0]), float(y[0])) if len(x) else None

    def show_input(self, raw: np.ndarray) -> None:
        """Move the star to the prediction panel's penguin (only if it moved)."""
        if np.array_equal(raw, self._marked):
            return
        self._marked = np.array(raw, dtype=np.float64)
        self._place_marker()

    @Slot()
    def _on_axes_changed(self) -> None:
        jx, jy = self.axes()
        x = self.dataset.x
        for dots, rows in zip(self.species, self._class_rows, strict=True):
            dots.setData(x=x[rows, jx], y=x[rows, jy], data=rows)  # rows: for clicks
            if self.value_colours is not None:
                dots.setBrush(self._brushes)
        item = self.plot.getPlotItem()
        item.setLabel("bottom", self.dataset.features[jx].label)
        item.setLabel("left", self.dataset.features[jy].label)
        # A fixed view of the data: auto-ranging would re-lay out the plot on every move
        # of the star (milliseconds of Python on the GUI thread, taken from training).
        # The neuron maps span the same plane (core/neuron_maps.py).
        low, high = plane_range(x, (jx, jy), PAD)
        item.getViewBox().setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]),
                                   padding=0)
        self._place_marker()

    def _place_marker(self) -> None:
        if np.isnan(self._marked).any():
            return
        jx, jy = self.axes()
        px, py = self._marked[jx], self._marked[jy]
        self.marker.setData(x=[px], y=[py])
        view = self.plot.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = view.viewRange()
        if not (x0 <= px <= x1 and y0 <= py <= y1):  # keep the star in sight
            view.setRange(xRange=(min(x0, px), max(x1, px)), yRange=(min(y0, py), max(y1, py)))

    def _tip(self, x: float, y: float, data) -> str:
        row, d = int(data), self.dataset
        label = f"{d.label} {d.y[row]:.4g}" if d.is_regression else \
            d.class_names[int(d.y[row])]
        return (f"#{row + 1}: {label}\n"
                f"{self.dataset.features[self.axes()[0]].label}: {x:g}\n"
                f"{self.dataset.features[self.axes()[1]].label}: {y:g}")

    @Slot(object, object, object)
    def _on_clicked(self, _item, points, _event) -> None:
        if len(points):
            self.rowChosen.emit(int(points[0].data()))
