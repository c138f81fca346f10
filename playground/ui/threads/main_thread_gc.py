"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate
when a threshold is crossed: often the training thread or a background export.
If it then frees a Qt object's Python wrapper, the C++ object is destroyed in
that thread, and its destructor takes Qt locks and then waits for the GIL,
while the GUI thread holds the GIL and waits for those locks: a deadlock. Seen
here: an ONNX export in a thread-pool thread collected an old window's menu.
So automatic collection is off, and a timer on the GUI thread does the same
work (the same thresholds and generations) a few times a second.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250

_installed: MainThreadGC | None = None


class MainThreadGC(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose thresholds were crossed (as gc would have)."""
        counts, limits = gc.get_count(), self._thresholds
        if counts[0] <= limits[0]:
            return -1
        generation = 2 if counts[2] > limits[2] else 1 if counts[1] > limits[1] else 0
        gc.collect(generation)
        return generation


def install() -> MainThreadGC:
    """Once per application, from the GUI thread (idempotent)."""
    global _installed
    app = QCoreApplication.instance()
    try:
        current = _installed is not None and _installed.parent() is app
    except RuntimeError:  # an earlier application, since deleted
        current = False
    if not current:
        _installed = MainThreadGC(app)
    return _installed
