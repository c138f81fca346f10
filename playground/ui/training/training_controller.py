"""The window's handle on the training thread: starts it, talks to it, stops it cleanly."""

from __future__ import annotations

import atexit
import weakref

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from playground.ui.threads.background import home_when_finished
from playground.ui.training.training_worker import Activation, TrainingWorker


@atexit.register
def _stop_all_threads() -> None:
    """A QThread destroyed while running aborts the interpreter: stop any left running."""
    for controller in list(TrainingController.instances):
        controller.shutdown()


class TrainingController(QObject):
    """Owns the QThread and its worker (both parentless; Python keeps the references)."""

    updated = Signal(object)
    failed = Signal(str)
    runningChanged = Signal(bool)
    stepReady = Signal(object)  # a StepReply (see training_worker.py)

    # Requests to the worker: queued, so they run in the worker thread, in order.
    _activate = Signal(object)
    _start = Signal()
    _step = Signal()
    _export = Signal(object)
    _training_step = Signal(object)

    # Every controller made, so tests can fail one that leaves its thread running.
    instances: weakref.WeakSet = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        TrainingController.instances.add(self)
        self.running = False
        self._thread = QThread()
        self._thread.setObjectName("trainingThread")
        self._worker = TrainingWorker()
        self._worker.moveToThread(self._thread)
        home_when_finished(self._worker, self._thread)
        self._activate.connect(self._worker.activate)
        self._start.connect(self._worker.start)
        self._step.connect(self._worker.step)
        self._training_step.connect(self._worker.training_step)
        # Blocking: the GUI waits for the worker to finish its current chunk (~20 ms).
        self._export.connect(self._worker.export_project,
                             Qt.ConnectionType.BlockingQueuedConnection)
        self._worker.updated.connect(self.updated)
        self._worker.failed.connect(self.failed)
        self._worker.stepReady.connect(self.stepReady)
        self._worker.runningChanged.connect(self._on_running_changed)
        self._thread.start()

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.running = running
        self.runningChanged.emit(running)

    def activate(self, generation: int, spec, config, dataset, project=None) -> None:
        self.pause()
        self._activate.emit(Activation(generation, spec, config, dataset, project))

    def export_project(self, dataset, extras: dict):
        """The current network, settings, weights and curves as a Project."""
        from playground.core.errors import PlaygroundError

        if not self._thread.isRunning():
            raise PlaygroundError("the training thread has stopped")
        reply = [dataset, extras]
        self._export.emit(reply)
        result = reply[0]
        if isinstance(result, Exception):
            raise result
        if result is dataset:  # the worker never ran the request
            raise PlaygroundError("the network is not ready yet; try again in a moment")
        return result

    def start(self) -> None:
        self._start.emit()

    def pause(self) -> None:
        self._worker.pause_event.set()  # seen between batches, even mid-epoch

    def step(self) -> None:
        self._step.emit()

    def training_step(self, request) -> None:
        """A StepRequest; the answer comes back as `stepReady` (never blocks the GUI)."""
        self._training_step.emit(request)

    def set_live(self, **values) -> None:
        self._worker.set_live(**values)

    def set_update_interval(self, seconds: float) -> None:
        self._worker.set_update_interval(seconds)

    def set_speed(self, epochs_per_second: float) -> None:
        self._worker.set_speed(epochs_per_second)

    def has_trainer(self, generation: int) -> bool:
        return self._worker.has_trainer(generation)

    def training_thread(self) -> QThread:
        """The thread that trains: other workers (variants) are moved to it."""
        return self._thread

    def is_alive(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop training and the thread; never terminate(). True if it stopped in time."""
        if not self._thread.isRunning():
            return True
        self.pause()
        self._thread.quit()
        return self._thread.wait(timeout_ms)
