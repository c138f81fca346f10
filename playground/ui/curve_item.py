"""A curve as a plain C++ QGraphicsPathItem that can also stand in a pyqtgraph legend.

pyqtgraph's legend sample reads `item.opts["pen"]` and, when clicked, toggles
`item.setVisible`: giving it the drawn item itself makes a click on the legend
hide or show that curve. (A separate never-drawn PlotDataItem as the sample
costs 2 ms each to build at start-up, and its click toggled nothing visible.)
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem


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
    plot.legend.addItem(item, name)
    sample, label = plot.legend.items[-1]
    sample.setToolTip(f"Click to hide or show the {name} curve")
    keep_painted(sample, label)
    return item


def keep_painted(*items) -> None:
    """Keep pyqtgraph items that rarely change (axes, legend, title) as pixmaps until
    they do: a curve's new points then repaint them from the pixmap, without calling
    their Python paint methods (each such call is GIL time taken from training)."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
