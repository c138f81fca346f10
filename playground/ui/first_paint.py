"""The first painted frame of a window: when the window builds its first network
(after_first_paint), and `playground --smoke-test`, which opens the window,
reports its first paint and quits.

The packaging smoke check and start-up timings use the smoke test on the bundled
application, where `python -c` (as `playground bench` uses) does not exist.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer


class _FirstExpose(QObject):
    """Qt paints the whole first frame while it handles the native window's first
    Expose event, so a zero timer started then fires once that frame is painted."""

    def __init__(self, handle, callback) -> None:
        super().__init__(handle)
        self._callback = callback

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Expose and obj.isExposed():
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_first_paint(widget, callback) -> None:
    """Call `callback` once the first frame of the shown top-level `widget` is painted.

    The filter sits on the native window alone and removes itself then: a Python
    paintEvent override on the main window would run for every repaint of its
    background (about three a frame while training), each an entry into Python that
    takes the GIL from the training thread."""
    widget.windowHandle().installEventFilter(_FirstExpose(widget.windowHandle(), callback))


def report_and_quit() -> None:
    """The smoke test's end: say when the first frame was painted, then close normally."""
    # The wall clock, so the launching process can subtract its own start time.
    print(f"painted {time.time():.6f}", file=sys.stdout, flush=True)
    app = QCoreApplication.instance()
    for window in app.topLevelWidgets():
        window.close()  # the normal close path: training thread stopped, settings saved
    app.quit()
