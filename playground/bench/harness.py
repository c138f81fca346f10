"""Driving the real window from the benchmark: build it offscreen, train, wait."""

from __future__ import annotations

import math
import os
import time

import torch

from playground.core.network.spec import NetworkSpec
from playground.core.training.config import TrainingConfig


def qt_app():
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The benchmark's windows autosave and remember layouts: keep that out of the user's
    # folders (Qt reads these once, when the application starts).
    sandbox = tempfile.mkdtemp(prefix="playground-bench-")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(sandbox, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(sandbox, "data")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("NeuralNetworkPlaygroundBench")
    QCoreApplication.setApplicationName("playground-bench")
    return QApplication.instance() or QApplication(["playground-bench"])


WINDOW_SIZE = (1400, 900)


def open_window(dataset=None):
    """The main window, shown offscreen, with settings kept out of the user's."""
    import tempfile

    from PySide6.QtCore import QSettings

    from playground.ui.main_window import MainWindow

    app = qt_app()
    folder = tempfile.mkdtemp(prefix="playground-bench-")
    window = MainWindow(dataset, QSettings(os.path.join(folder, "s.ini"),
                                           QSettings.Format.IniFormat))
    window.show()
    # The size the window is shown and photographed at, not the offscreen screen's (800
    # × 800, which fits a smaller window: an editor a third the size, maps half as wide).
    window.resize(*WINDOW_SIZE)
    wait_until(app, lambda: window.snapshot is not None, 120, window)
    return app, window


def close_window(window) -> None:
    """Close without the unsaved-changes question: the benchmark's work is not the user's."""
    window.project_file.mark_clean()
    window.close()


POLL_S = 0.1  # the fallback check; a window's own reports end a wait at once


def wait_until(app, predicate, timeout: float, window=None) -> None:
    """Run the event loop until `predicate()` holds: checked whenever `window`'s training
    thread reports (an update, training starting or stopping), and every 100 ms.

    The GUI thread sits in Qt's event loop in between, as in the application. What the
    benchmark runs on the GUI thread takes the GIL from the training thread, as the
    window's own work does, so it must not poll fast: a 10 ms poll was 100 entries into
    Python a second (processEvents in a loop would be thousands)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(int(POLL_S * 1000))
    timed_out = []

    def check(*_) -> None:
        if predicate():
            loop.quit()
        elif time.perf_counter() > deadline:
            timed_out.append(True)
            loop.quit()

    signals = () if window is None else (window.controller.updated,
                                         window.controller.runningChanged)
    for signal in signals:
        signal.connect(check)
    timer.timeout.connect(check)
    timer.start()
    try:
        loop.exec()
    finally:
        timer.stop()
        for signal in signals:
            signal.disconnect(check)
    if timed_out:
        raise TimeoutError("the window did not get there in time")


def prepare_run(app, window, spec: NetworkSpec, config: TrainingConfig,
                speed: float = math.inf) -> None:
    """A fresh network with these settings, paused at epoch 0, at this speed."""
    from playground.ui.training.toolbar import SPEEDS

    c = window.controls
    c.set_config(config)
    c.mark_applied()
    index = len(SPEEDS) - 1 if math.isinf(speed) else SPEEDS.index(speed)
    window.toolbar.speed.setValue(index)
    window.controller.set_speed(SPEEDS[index])
    window.spec = spec
    window.reset_training()
    wait_until(app, lambda: window.snapshot is not None and window.epoch == 0
               and not window.controller.running, 60, window)


def train_to_limit(app, window, on_update=None) -> float:
    """Press Train, wait for the epoch limit; return the wall seconds."""
    limit = window.controls.epochs.value()
    if on_update is not None:
        window.controller.updated.connect(on_update)
    start = time.perf_counter()
    window.toggle_training()
    wait_until(app, lambda: window.epoch >= limit and not window.controller.running, 3600,
               window)
    seconds = time.perf_counter() - start
    if on_update is not None:
        window.controller.updated.disconnect(on_update)
    return seconds


def sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()
