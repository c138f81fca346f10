"""A curve as a plain C++ QGraphicsPathItem that can also stand in a pyqtgraph legend.

pyqtgraph's legend sample reads `item.opts["pen"]` and, when clicked, toggles
`item.setVisible`: giving it the drawn item itself makes a click on the legend
hide or show that curve. (A separate never-drawn PlotDataItem as the sample
costs 2 ms each to build at start-up, and its click toggled nothing visible.)
"""

from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from pyqtgraph.icons import invisibleEye
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
)


class CurveItem(QGraphicsPathItem):
    def __init__(self, pen: QPen, tooltip: str = "") -> None:
        super().__init__()
        self.setPen(pen)
        self.opts = {"pen": pen}  # what the legend sample draws
        if tooltip:
            self.setToolTip(tooltip)


def add_curve(plot: pg.PlotItem, pen: QPen, name: str, tooltip: str = "") -> CurveItem:
    """A curve in `plot`'s view box (outside its auto-range: callers set the axes) with
    a legend entry `name`."""
    item = CurveItem(pen, tooltip)
    plot.vb.addItem(item, ignoreBounds=True)
    plot.legend.addItem(CurveSample(item), name)
    sample, label = plot.legend.items[-1]
    sample.setToolTip(f"Click to hide or show the {name} curve")
    paints_nothing(label)  # its text is a child item (C++)
    return item


class CurveSample(ItemSample):
    """A legend sample shown by C++ child items: the curve's line, or pyqtgraph's
    crossed-out eye while the curve is hidden. pyqtgraph's sample paints in Python,
    and Qt calls its Python boundingRect at every paint of the plot (about 12 calls
    a frame), each taking the GIL from training. It shows the curve's visibility as
    its own clicks set it (nothing else hides the live curves)."""

    def __init__(self, curve: CurveItem) -> None:
        super().__init__(curve)
        paints_nothing(self)
        self._line = QGraphicsLineItem(0, 11, 20, 11, self)
        self._line.setPen(curve.opts["pen"])
        self._eye: QGraphicsPixmapItem | None = None  # made when first needed: an SVG
        self.show_state()

    def mouseClickEvent(self, event) -> None:  # noqa: N802 (pyqtgraph's name)
        super().mouseClickEvent(event)  # shows or hides the curve
        self.show_state()

    def show_state(self) -> None:
        shown = self.item.isVisible()
        self._line.setVisible(shown)
        if not shown and self._eye is None:  # rendering it at start-up cost ~ms a sample
            self._eye = QGraphicsPixmapItem(invisibleEye.qicon.pixmap(18, 18), self)
            self._eye.setPos(1, 1)
        if self._eye is not None:
            self._eye.setVisible(not shown)


def keep_painted(*items) -> None:
    """Keep pyqtgraph items that rarely change (the axes) as pixmaps until they do: a
    curve's new points then repaint them from the pixmap, without calling their Python
    paint methods (each such call is GIL time taken from training)."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def paints_nothing(*items) -> None:
    """Mark pyqtgraph containers that draw nothing themselves (a plot item, its view box
    without a border, a legend without a frame, a label whose text is a child item).
    Qt then skips them when painting: it would call their Python boundingRect for each
    paint (about 40 calls a frame over both plots), taking the GIL from training."""
    for item in items:
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
