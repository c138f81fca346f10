"""`playground --smoke-test`: open the window, report its first paint, and quit.

The packaging smoke check and start-up timings use it on the bundled
application, where `python -c` (as `playground bench` uses) does not exist.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer


class QuitAfterFirstPaint(QObject):
    """An application event filter: the first Paint event of any widget starts the
    first frame; the zero timer fires once that frame's paint events are all handled."""

    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        # The wall clock, so the launching process can subtract its own start time.
        print(f"painted {time.time():.6f}", file=sys.stdout, flush=True)
        app = QCoreApplication.instance()
        for window in app.topLevelWidgets():
            window.close()  # the normal close path: training thread stopped, settings saved
        app.quit()
