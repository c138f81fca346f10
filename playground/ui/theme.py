"""Colours that read well in light and dark system themes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Positive weights and activations in blue, negative in orange (as in the classic
# web playground); both stay distinguishable for the common colour-vision deficiencies.
CLASS_COLOURS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
                 "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"]


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


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """a·(1−t) + b·t, t clipped to [0, 1]."""
    t = min(max(t, 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t, 1.0)
