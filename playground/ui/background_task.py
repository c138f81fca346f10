"""Run a slow, Qt-free job (re-reading a large data file) on a thread of its own while
a progress dialog keeps the window painting and offers Cancel.

For jobs whose caller needs the result before it can go on (opening a project needs
its data set), so the call looks synchronous: a local event loop runs until the job
ends. The job gets `progress(share)` and `cancelled()` to report and to stop early.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 400  # a job that ends sooner shows no dialog at all


def run_with_progress(parent: QWidget, label: str,
                      job: Callable[[Callable[[float], None], Callable[[], bool]], object]):
    """`job(progress, cancelled)`'s result; its exception is raised here, in the caller."""
    stop = threading.Event()
    outcome: queue.Queue = queue.Queue()
    shares: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            outcome.put((True, job(shares.put, stop.is_set)))
        except BaseException as e:  # noqa: BLE001 — handed to the caller's thread
            outcome.put((False, e))

    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(stop.set)
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(30)

    def check() -> None:
        share = None
        while not shares.empty():
            share = shares.get()
        if share is not None:
            dialog.setValue(int(1000 * min(max(share, 0.0), 1.0)))
        if not outcome.empty():
            loop.quit()

    poll.timeout.connect(check)
    thread = threading.Thread(target=work, name="background-task", daemon=True)
    thread.start()
    poll.start()
    loop.exec()
    poll.stop()
    thread.join()
    dialog.close()
    dialog.deleteLater()
    ok, value = outcome.get()
    if not ok:
        raise value
    return value
