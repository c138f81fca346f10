"""The window's size and dock layout, kept between runs in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

SETTINGS_VERSION = 1  # bump when the dock layout changes incompatibly


def restore_layout(window: QMainWindow, settings: QSettings) -> None:
    """The layout saved last time, unless it was saved for another dock layout."""
    if settings.value("window/version", 0, int) != SETTINGS_VERSION:
        return
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restoreState(state, SETTINGS_VERSION)


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/version", SETTINGS_VERSION)
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(SETTINGS_VERSION))
    settings.sync()
