"""Colours that read well in light and dark system themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# One colour per class, shared by every view: the Okabe–Ito palette, whose colours stay
# distinct for the common colour-vision deficiencies and read on light and dark
# backgrounds. The first three follow the penguin pictures people know (Adelie orange,
# Gentoo teal, Chinstrap purple) and keep clear of the blue/orange of weight signs.
CLASS_COLOURS = ["#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#0072b2",
                 "#f0e442", "#999999"]


def palette() -> QPalette:
    return QApplication.palette()


def is_dark() -> bool:
    return palette().color(QPalette.ColorRole.Window).lightness() < 128


def positive() -> QColor:
    return QColor("#5aa9f0") if is_dark() else QColor("#1f6fc0")


def negative() -> QColor:
    return QColor("#ffa04d") if is_dark() else QColor("#e0701a")


def text() -> QColor:
    return palette().color(QPalette.ColorRole.WindowText)


def muted_text() -> QColor:
    c = text()
    c.setAlphaF(0.65)
    return c


def background() -> QColor:
    return palette().color(QPalette.ColorRole.Base)


def window_background() -> QColor:
    return palette().color(QPalette.ColorRole.Window)


def warning() -> QColor:
    return QColor("#ffb74d") if is_dark() else QColor("#b35c00")


def class_colour(i: int) -> QColor:
    return QColor(CLASS_COLOURS[i % len(CLASS_COLOURS)])


def class_colours(n: int) -> list[QColor]:
    """The colours of classes 0 … n−1 (they repeat after eight)."""
    return [class_colour(i) for i in range(n)]


def readable_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on `fill`."""
    luminance = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF()
    return QColor("black") if luminance > 0.55 else QColor("white")


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """a·(1−t) + b·t, t clipped to [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t, 1.0)
