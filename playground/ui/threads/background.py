"""Long work off the GUI thread: exports, data imports, re-reading a project's data.

Every long task runs the same way, superqt's: a worker QObject moved to a QThread of
its own (no parent), `started → run`, the worker's `finished → quit`, and
`deleteLater` on the thread. Stopping is a flag the work checks between blocks;
progress, the result and the error come back to the GUI thread as queued signals,
delivered by slots of a GUI-thread object (not lambdas, which have no thread affinity).
The window never waits on a task, except when it closes (`wait`), so that a file being
written is finished.

A worker is never destroyed in its own thread: it goes back to the GUI thread as its
work ends (ThreadWorker.finish; the training thread's workers, as that thread ends:
home_when_finished) and is freed there. ~QObject tells each sender of a connection it
receives (`disconnectNotify`, a virtual that PySide checks for a Python override, which
needs the GIL) while holding Qt's connection locks; the GUI thread, holding the GIL,
may be waiting for one of those locks (any connect, or a widget's setParent): a
deadlock, seen as a window frozen while opening a project.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

SHOW_AFTER_MS = 400  # a task that ends sooner shows no progress dialog at all


def _to_gui_thread(worker: QObject) -> None:
    """Called in the worker's thread as its work there ends: the worker goes back to the
    GUI thread, where Python frees it (see above)."""
    app = QCoreApplication.instance()
    if app is not None and isValid(worker) and worker.thread() is not app.thread():
        worker.moveToThread(app.thread())


def home_when_finished(worker: QObject, thread: QThread) -> None:
    """For a worker that lives in `thread` until the thread ends (the training thread's
    workers): it goes back to the GUI thread then, never deleted in its thread. Python
    keeps it (whoever made it holds it) and frees it on the GUI thread."""
    thread.finished.connect(lambda: _to_gui_thread(worker), Qt.ConnectionType.DirectConnection)


class ThreadWorker(QObject):
    """A worker for Background.start: `run()` ends with `finish()`."""

    finished = Signal()

    def finish(self) -> None:
        """The last call of `run()`, in the worker's thread: back to the GUI thread (to be
        freed there, see above), then `finished`, which ends the thread."""
        _to_gui_thread(self)
        self.finished.emit()


class Task(ThreadWorker):
    """The worker for a plain function `fn(progress, cancelled)`."""

    progressed = Signal(float)  # share done, 0–1
    done = Signal(object, object)  # result, error (one of them None)

    def __init__(self, fn: Callable[[Callable[[float], None], Callable[[], bool]], object]):
        super().__init__()
        self._fn = fn
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Thread-safe: the function sees `cancelled()` become true."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            result, error = self._fn(self.progressed.emit, self._stop.is_set), None
        except Exception as e:  # noqa: BLE001 — handed to the GUI, which explains it
            result, error = None, e
        self.done.emit(result, error)
        self.finish()


class _Relay(QObject):
    """Lives in the GUI thread: a task's signals reach its callbacks through its slots."""

    def __init__(self, parent: QObject, on_done, on_progress, pending: set) -> None:
        super().__init__(parent)
        self._on_done, self._on_progress = on_done, on_progress
        self._pending = pending  # its Background's: busy until the outcome is handed over
        pending.add(self)

    @Slot(object, object)
    def deliver(self, result, error) -> None:
        try:
            self._on_done(result, error)
        finally:
            self._pending.discard(self)

    @Slot(float)
    def progress(self, share: float) -> None:
        if self._on_progress is not None:
            self._on_progress(share)


class _Threads(QObject):
    """Every task's thread, worker and relay, kept until the thread has finished: Python
    owns a parentless QObject, and freeing a QThread while it runs would crash, even when
    whatever started it has gone."""

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.running: dict[QThread, tuple[QObject, QObject | None]] = {}

    def keep(self, thread: QThread, worker: QObject, relay: QObject | None) -> None:
        self.running[thread] = (worker, relay)
        thread.finished.connect(self._on_finished)  # after thread.deleteLater is posted

    @Slot()
    def _on_finished(self) -> None:
        for thread in [t for t in self.running if _ended(t)]:
            if isValid(thread):
                thread.wait()  # `finished` comes just before the thread has ended
            _, relay = self.running.pop(thread)  # the worker is freed here, on this thread
            if relay is not None and isValid(relay):
                relay.deleteLater()  # after the result it carries has been delivered


_threads: _Threads | None = None


def _ended(thread: QThread) -> bool:
    """Its `deleteLater` may come first: a deleted QThread had waited for its end."""
    return not isValid(thread) or thread.isFinished()


def _kept() -> _Threads:
    global _threads
    if _threads is None or not isValid(_threads):
        _threads = _Threads()
    return _threads


class Background(QObject):
    """Starts tasks, each on a thread of its own; says which of them still run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._started: list[QThread] = []
        # Relays whose outcome has not reached the GUI thread yet: a task's thread can
        # end before its queued result is delivered.
        self._pending: set[_Relay] = set()

    def start(self, worker: ThreadWorker, relay: QObject | None = None) -> QThread:
        """Run `worker.run()` on a new thread; it must end with `worker.finish()`, and
        `worker.cancel()` must be thread-safe."""
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and the thread must end even while the GUI
        # thread waits for it (closing the window).
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(thread.deleteLater)
        _kept().keep(thread, worker, relay)
        self._started = [*self.threads(), thread]
        thread.start()
        return thread

    def run(self, fn: Callable[[], object], on_done: Callable[[object, object], None]) -> Task:
        """Call fn() on a thread; then on_done(result, error) on the GUI thread."""
        return self.run_job(lambda _progress, _cancelled: fn(), on_done)

    def run_job(self, job, on_done: Callable[[object, object], None],
                on_progress: Callable[[float], None] | None = None) -> Task:
        """Call job(progress, cancelled) on a thread; its progress goes to on_progress
        and its outcome to on_done(result, error), both on the GUI thread (unless this
        Background has gone by then)."""
        task = Task(job)
        relay = _Relay(self, on_done, on_progress, self._pending)
        task.done.connect(relay.deliver)
        task.progressed.connect(relay.progress)
        self.start(task, relay)
        return task

    def threads(self) -> list[QThread]:
        """The threads of the tasks started here and not yet seen to finish."""
        running = _kept().running
        return [t for t in self._started if t in running and not _ended(t)]

    def busy(self) -> bool:
        """A task still runs, or its outcome is still on its way to the GUI thread."""
        return bool(self.threads()) or bool(self._pending)

    def wait(self, ms: int = 30_000) -> bool:
        """Block until every task has ended; False on a timeout."""
        return all(thread.wait(ms) for thread in self.threads())

    def stop(self, ms: int = 30_000) -> bool:
        """The window is closing: ask every task to stop (an import stops between blocks;
        an export ignores it and finishes writing its file), then wait for them."""
        running = _kept().running
        for thread in self.threads():
            running[thread][0].cancel()
        return self.wait(ms)


def run_with_progress(background: Background, parent: QWidget, label: str, job):
    """`job(progress, cancelled)`'s result, for a caller that needs it before it can go
    on (opening a project needs its data set); its exception is raised here. The job runs
    on its own thread while a progress dialog keeps the window painting and offers
    Cancel; a local event loop waits for the task's signals (nothing polls)."""
    outcome: list = []
    loop = QEventLoop()

    def done(result, error) -> None:
        outcome.append((result, error))
        loop.quit()

    dialog = QProgressDialog(label, "Cancel", 0, 1000, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = background.run_job(
        job, done, lambda share: dialog.setValue(int(1000 * min(max(share, 0.0), 1.0))))
    dialog.canceled.connect(task.cancel, Qt.ConnectionType.DirectConnection)
    if not outcome:
        loop.exec()
    dialog.close()
    dialog.deleteLater()
    result, error = outcome[0]
    if error is not None:
        raise error
    return result
