"""Start-up: process start to first painted main window, against a minimal Qt window.

Both are fresh processes. Each child prints the wall clock at its window's
first paint; the parent subtracts the time it launched the child.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

# Installed on the main window's native window (windowHandle): handling its first
# Expose event paints the whole first frame; the zero timer fires once that is done.
# (A filter on the whole application, as before, ran for each of the ~5,000 events that
# building the playground's window sends, against ~400 for the minimal window.)
_FIRST_PAINT = """
import sys, time
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
class Watch(QObject):
    done = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed() and not self.done:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False
    def report(self):
        print("painted", time.time(), flush=True)
        QCoreApplication.instance().quit()
"""

APP = _FIRST_PAINT + """
from PySide6.QtWidgets import QApplication
from playground.ui import app as playground_app
playground_app.FIRST_PAINT_WATCH = Watch()
sys.exit(playground_app.run_app())
"""

MINIMAL = _FIRST_PAINT + """
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1360, 860)
watch = Watch()
window.show()
window.windowHandle().installEventFilter(watch)
sys.exit(app.exec())
"""


def _time_to_paint(code: str, env: dict) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("painted"):
            return float(line.split()[1]) - start
    raise RuntimeError(f"the window never painted: {out.stderr[-400:]}")


def startup_ratio(repeats: int = 3) -> dict:
    import tempfile

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="playground-bench-"),
           "XDG_DATA_HOME": tempfile.mkdtemp(prefix="playground-bench-")}
    # Interleaved, and the fastest of each: on a shared machine a start can only be slowed
    # by others, never sped up, so the minimum is the best estimate of its own cost.
    # As installed for a person, Python caches compiled modules (.pyc). Some machines set
    # PYTHONDONTWRITEBYTECODE, which makes every start recompile the playground's ~60
    # modules (site-packages were compiled at install): not what a person waits for.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    _time_to_paint(APP, env)  # writes the cache; not counted
    apps, minimals = [], []
    for _ in range(repeats):
        apps.append(_time_to_paint(APP, env))
        minimals.append(_time_to_paint(MINIMAL, env))
    app, minimal = min(apps), min(minimals)
    return {"startup_seconds": app, "startup_minimal_seconds": minimal,
            "startup_ratio": app / minimal}
