"""Run a slow function (an ONNX export takes seconds) off the GUI thread.

The result or the error comes back to the GUI thread as a queued signal; the
window stays responsive meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives in the GUI thread; its slot makes the pool thread's signal a queued call."""

    done = Signal(object, object)  # result, error

    def __init__(self, owner: Background, on_done) -> None:
        super().__init__(owner)
        self._owner, self._on_done = owner, on_done
        self.done.connect(self._deliver)  # a slot of a GUI-thread object, not a lambda

    @Slot(object, object)
    def _deliver(self, result, error) -> None:
        self._owner._relays.discard(self)
        self._on_done(result, error)


class _Job(QRunnable):
    def __init__(self, fn, relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result, error = self.fn(), None
        except Exception as e:  # noqa: BLE001 — handed to the GUI, which explains it
            result, error = None, e
        self.relay.done.emit(result, error)


class Background(QObject):
    """Owns the relays of running jobs, so they live until their answer arrives."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._relays: set[_Relay] = set()

    def run(self, fn, on_done) -> None:
        """Call fn() on a pool thread; then on_done(result, error) on the GUI thread."""
        relay = _Relay(self, on_done)
        self._relays.add(relay)
        QThreadPool.globalInstance().start(_Job(fn, relay))

    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, ms: int = 30_000) -> bool:
        return QThreadPool.globalInstance().waitForDone(ms)
