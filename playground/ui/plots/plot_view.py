"""A pyqtgraph plot that Qt paints without entering Python.

pyqtgraph's GraphicsView overrides paintEvent in Python, so every paint of a
plot entered Python, and the whole paint, the curves drawn in C++ included,
then ran holding the GIL: about 0.6 ms twice a frame while training, taken
from the training thread. PlotView uses Qt's own paintEvent instead. That
override had one job, to let each view box apply a new range to its transform
just before painting (pyqtgraph defers it until then); EagerViewBox applies it
when the range or size changes, which is rare here: the axes grow in nice steps.
The same signal also serves auto-ranging and pg.TextItem: the plots use neither
(their ranges are set by TrainingPlots), and must not start to.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsView


class EagerViewBox(pg.ViewBox):
    """A view box that brings its transform up to date as soon as pyqtgraph marks it
    out of date (a new range, size or axis direction), not at the next paint."""

    @property
    def _matrixNeedsUpdate(self) -> bool:  # noqa: N802 (pyqtgraph's attribute)
        return self.__dict__.get("_matrix_out_of_date", True)

    @_matrixNeedsUpdate.setter
    def _matrixNeedsUpdate(self, out_of_date: bool) -> None:  # noqa: N802
        self.__dict__["_matrix_out_of_date"] = out_of_date
        # Not while being built, nor before the layout gives it a size (a resize then
        # marks it out of date again); updateMatrix sets the flag back to False.
        if out_of_date and "childGroup" in self.__dict__ and not self.rect().isEmpty():
            self.updateMatrix()


class PlotView(pg.PlotWidget):
    """A PlotWidget painted by Qt alone, and without pyqtgraph's context menu: its
    range, transform and "Plot Options" entries would fight the ranges and log axis
    the plots set, and building it costs 3 ms a plot at start-up."""

    # Qt's C++ method: PySide then sees no Python override and never takes the GIL.
    paintEvent = QGraphicsView.paintEvent  # noqa: N815 (Qt's name)

    def __init__(self) -> None:
        super().__init__(enableMenu=False, viewBox=EagerViewBox(enableMenu=False))
