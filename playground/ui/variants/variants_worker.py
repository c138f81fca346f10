"""Variants on the training thread: a worker beside the TrainingWorker, on its QThread.

It trains in chunks of ~50 ms like the TrainingWorker (a stop is a
`threading.Event`, checked between batches), and sends the window each
variant's new epochs at most ten times a second: K curves to redraw cost more
than one. "Continue with this one" turns a variant into a Project (weights,
optimizer state, generator and curves) that the window switches to.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.core.training.chunked import ChunkSizes
from playground.core.training.history import METRICS
from playground.ui.training.training_worker import CHUNK_SECONDS, failure_message

UPDATE_INTERVAL = 0.1  # seconds between updates to the variants window


@dataclass(frozen=True, eq=False)
class VariantsRequest:
    dataset: object
    config: object  # the base settings; config.epochs is how far every variant trains
    variants: list


@dataclass(frozen=True, eq=False)
class VariantsUpdate:
    epoch: int
    curves: list  # per variant: (epochs, {metric: values}) new since the last update
    diverged: list  # per variant: None, or "diverged at epoch N"
    network_epochs_per_second: float
    running: bool
    message: str | None = None


class VariantsWorker(QObject):
    updated = Signal(object)  # VariantsUpdate
    failed = Signal(str)
    continued = Signal(object, str)  # (Project, the variant's label)

    def __init__(self) -> None:
        super().__init__()
        self.stop_event = threading.Event()
        self._trainer = None
        self._dataset = None
        self._sent: list[int] = []
        self._running = False
        self._chunks = ChunkSizes(CHUNK_SECONDS)
        self._last_emit = 0.0
        self._rate = (0, time.perf_counter())

    @Slot(object)
    def start(self, request: VariantsRequest) -> None:
        from playground.core.data.split import prepare
        from playground.core.training.variant_trainer import VariantTrainer

        self._running = False
        try:
            config = request.config
            self._trainer = VariantTrainer(prepare(request.dataset, config.val_fraction,
                                                   config.seed), config, request.variants)
        except Exception as e:  # noqa: BLE001 — reported to the person, the thread survives
            self._trainer = None
            self.failed.emit(failure_message(e))
            return
        self._dataset, self._limit = request.dataset, config.epochs
        self._sent = [0] * self._trainer.k
        self._chunks, self._running = ChunkSizes(CHUNK_SECONDS), True
        self._rate = (0, time.perf_counter())
        self._emit()
        QTimer.singleShot(0, self._tick)

    @Slot()
    def _tick(self) -> None:
        t = self._trainer
        if not self._running or t is None:
            return
        if self.stop_event.is_set():
            self._finish("Stopped.")
            return
        try:
            self._chunks.run(t, self._limit - t.epoch, self.stop_event.is_set)
        except Exception as e:  # noqa: BLE001
            self._running = False
            self.failed.emit(failure_message(e))
            return
        if t.epoch >= self._limit:
            self._finish(f"Trained {t.k} variants to epoch {t.epoch}.")
        elif all(t.diverged):
            self._finish("Every variant diverged.")
        elif self.stop_event.is_set():
            self._finish("Stopped.")
        else:
            if time.perf_counter() - self._last_emit >= UPDATE_INTERVAL:
                self._emit()
            QTimer.singleShot(0, self._tick)

    def _finish(self, message: str) -> None:
        self._running = False
        self._emit(message)

    def _emit(self, message: str | None = None) -> None:
        t = self._trainer
        curves = []
        for j, history in enumerate(t.histories):
            start, end = self._sent[j], len(history)
            curves.append((history.epochs[start:end].copy(),
                           {m: history[m][start:end].copy() for m in METRICS}))
            self._sent[j] = end
        now = time.perf_counter()
        done, since = self._rate
        rate = (t.epoch - done) * t.k / (now - since) if now > since else 0.0
        if now - since >= 0.5:
            self._rate = (t.epoch, now)
        self._last_emit = now
        self.updated.emit(VariantsUpdate(t.epoch, curves, list(t.diverged),
                                         rate if self._running else 0.0, self._running,
                                         message))

    @Slot(int)
    def continue_with(self, j: int) -> None:
        """Variant `j` as a Project the window can switch to (sent by `continued`)."""
        from playground.core.files.project import project_from_trainer

        try:
            if self._trainer is None:
                raise ValueError("no variants have trained yet")
            trainer = self._trainer.to_trainer(j)
            self.continued.emit(project_from_trainer(trainer, self._dataset),
                                self._trainer.variants[j].label)
        except Exception as e:  # noqa: BLE001
            self.failed.emit(failure_message(e))

    def is_running(self) -> bool:
        return self._running

