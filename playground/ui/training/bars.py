"""Setting a QProgressBar without a synchronous repaint."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar


def set_bar(bar: QProgressBar, value: int, text: str) -> None:
    """Show `value` and `text`; skip the bar entirely when neither changed.

    QProgressBar.setValue repaints at once, inside the call, whenever its text
    changes: a paint made while our Python holds the GIL, so the training
    thread waits for it (measured: a third of the window's per-frame Python).
    With updates off during the change the bar is painted later with the rest
    of the frame, in one pass, from C++ without the GIL.
    """
    if bar.value() == value and bar.format() == text:
        return
    bar.setUpdatesEnabled(False)
    bar.setValue(value)
    bar.setFormat(text)
    bar.setUpdatesEnabled(True)  # schedules the one repaint
