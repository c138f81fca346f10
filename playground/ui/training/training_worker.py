"""The training thread: a worker QObject that owns the trainers, on its own QThread.

The worker never blocks its event loop for long: each `_tick` trains one chunk
of epochs (sized to ~50 ms by core/chunked.py, or to the chosen speed) and then
schedules the next tick, so requests from the window (activate, step, start) are
handled in between. Pausing is a `threading.Event` the trainer checks between
batches, because a queued "pause" call would wait behind a slow epoch. Settings
that apply live (learning rate, batch size, ...) arrive through lock-guarded
setters. Updates go out at most ~30 times a second, each carrying every epoch
since the previous one; the window computes its prediction from their weights.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.core.network.forward import WeightSnapshot
from playground.core.training.chunked import MIN_EPOCH_SECONDS, ChunkSizes
from playground.core.training.history import METRICS

UPDATE_INTERVAL = 1 / 30  # seconds between updates to the window, until it asks otherwise
CHUNK_SECONDS = 0.05  # training time per tick at full speed (a stop is checked every batch)
MAX_CACHED_TRAINERS = 32  # trainers kept for undo, newest last


@dataclass(frozen=True, eq=False)
class Activation:
    """Make `generation` the current trainer: reuse it if cached, else build it."""

    generation: int
    spec: object
    config: object
    dataset: object
    project: object | None = None  # a Project to continue from (weights, optimizer, curves)


@dataclass(frozen=True, eq=False)
class StepRequest:
    """Compute (or with `apply`, take) one training step on one example: its raw input
    and target (a class index, or for regression a value in the data's units)."""

    generation: int
    raw: np.ndarray
    target: int | float
    apply: bool = False


@dataclass(frozen=True, eq=False)
class StepReply:
    request: StepRequest
    step: object | None  # a core.training_step.TrainingStep, or None with `error`
    error: str | None = None


@dataclass(frozen=True, eq=False)
class TrainingUpdate:
    """What the window needs after a chunk of epochs (or a switch of trainer)."""

    generation: int
    epoch: int
    epochs: np.ndarray
    metrics: dict[str, np.ndarray]
    snapshot: WeightSnapshot
    epochs_per_second: float
    running: bool
    device: str
    replace_history: bool = False  # the arrays are the whole history (after a switch)
    message: str | None = None  # e.g. divergence or the epoch limit
    diverged: bool = False


@dataclass
class _Live:
    """Settings the window changes while training runs (guarded by a lock)."""

    values: dict = field(default_factory=dict)
    speed: float = math.inf  # epochs per second; inf = as fast as the machine goes
    update_interval: float = UPDATE_INTERVAL  # the window's frame budget (frame_budget.py)


class TrainingWorker(QObject):
    updated = Signal(object)  # TrainingUpdate
    failed = Signal(str)  # a human-readable message; the thread goes on
    runningChanged = Signal(bool)
    stepReady = Signal(object)  # StepReply

    def __init__(self) -> None:
        super().__init__()
        self.pause_event = threading.Event()
        self._lock = threading.Lock()
        self._live = _Live()
        self._trainers: OrderedDict[int, object] = OrderedDict()
        self._cached: frozenset[int] = frozenset()  # their generations, for the GUI thread
        self._trainer = None
        self._generation = -1
        self._running = False
        self._chunks = ChunkSizes(CHUNK_SECONDS)
        self._pending: list = []
        self._last_emit = 0.0
        self._rate_epochs = 0
        self._rate_since = time.perf_counter()
        self._rate = 0.0
        self._speed = math.inf
        self._pace_start = 0.0
        self._paced = 0

    # --- called from the GUI thread (thread-safe) ---------------------------------
    def set_live(self, **values) -> None:
        """learning_rate, weight_decay, l1, batch_size, optimizer, epochs (the limit),
        patience."""
        with self._lock:
            self._live.values.update(values)

    def set_update_interval(self, seconds: float) -> None:
        """How often the window can afford to redraw: updates are sent no more often."""
        with self._lock:
            self._live.update_interval = seconds

    def set_speed(self, epochs_per_second: float) -> None:
        with self._lock:
            self._live.speed = epochs_per_second

    def has_trainer(self, generation: int) -> bool:
        """Whether `generation`'s trained network is still kept (for restoring a run)."""
        with self._lock:
            return generation in self._cached

    # --- slots, run in the worker thread -------------------------------------------
    @Slot(object)
    def activate(self, request: Activation) -> None:
        self._set_running(False)
        try:
            trainer = self._trainers.pop(request.generation, None)
            if trainer is None:
                trainer = self._build(request)
            self._trainers[request.generation] = trainer
            while len(self._trainers) > MAX_CACHED_TRAINERS:
                self._trainers.popitem(last=False)
            with self._lock:
                self._cached = frozenset(self._trainers)
            self._trainer, self._generation = trainer, request.generation
            self._apply_live()
            self._pending.clear()
            self._emit(replace_history=True)
        except Exception as e:  # noqa: BLE001 — reported to the person, the thread survives
            self.failed.emit(failure_message(e))

    def _build(self, request: Activation):
        from playground.core.data.split import prepare
        from playground.core.training.trainer import Trainer

        if request.project is not None:
            from playground.core.files.project import trainer_from_project

            return trainer_from_project(request.project, request.dataset)
        config = request.config
        return Trainer(prepare(request.dataset, config.val_fraction, config.seed),
                       request.spec, config)

    @Slot(object)
    def export_project(self, reply: list) -> None:
        """Capture the current trainer as a Project (called blocking from the GUI)."""
        from playground.core.errors import PlaygroundError
        from playground.core.files.project import project_from_trainer

        try:
            dataset, extras = reply
            if self._trainer is None:
                raise PlaygroundError("the network is still being built; try again in a moment")
            self._apply_live()  # settings changed since the last chunk belong in the file
            reply[:] = [project_from_trainer(self._trainer, dataset, extras)]
        except Exception as e:  # noqa: BLE001 — the GUI shows it
            reply[:] = [e]

    @Slot()
    def start(self) -> None:
        if self._trainer is None or self._running:
            return
        self._apply_live()  # e.g. an epoch limit raised a moment ago
        if self._trainer.epoch >= self._trainer.config.epochs:
            self._emit(message=f"Reached the epoch limit ({self._trainer.config.epochs}). "
                               "Raise it to train further.")
            return
        self.pause_event.clear()
        self._set_running(True)
        self._pace_start, self._paced = time.perf_counter(), 0
        self._rate_since, self._rate_epochs = time.perf_counter(), 0
        QTimer.singleShot(0, self._tick)

    @Slot()
    def step(self) -> None:
        """Exactly one epoch, when paused."""
        if self._trainer is None or self._running:
            return
        self.pause_event.clear()
        self._train(1)
        self._emit()

    @Slot(object)
    def training_step(self, request: StepRequest) -> None:
        """One training step on one example, shown or taken (core/training_step.py). It
        runs between chunks of epochs, like every request; taking it is not an epoch."""
        from playground.core.errors import PlaygroundError
        from playground.core.training.training_step import apply_step, propose_step

        try:
            if self._trainer is None or request.generation != self._generation:
                raise PlaygroundError("the network is still being built; try again in a moment")
            if request.apply and self._running:
                raise PlaygroundError("pause training first: a step by hand is taken while "
                                      "training is paused")
            self._apply_live()  # the learning rate, optimizer, … the window shows now
            take = apply_step if request.apply else propose_step
            step = take(self._trainer, request.raw, request.target)
        except Exception as e:  # noqa: BLE001 — shown in the view, the thread survives
            self.stepReady.emit(StepReply(request, None, failure_message(e)))
            return
        self.stepReady.emit(StepReply(request, step))
        if request.apply:
            self._emit()  # the window draws the new weights (no epoch: the curves stay)

    @Slot()
    def _tick(self) -> None:
        if not self._running:
            return
        if self.pause_event.is_set():
            self._stop_with_update()
            return
        trainer = self._trainer
        with self._lock:
            speed = self._live.speed
        if speed != self._speed:  # a new pace counts from now
            self._speed, self._pace_start, self._paced = speed, time.perf_counter(), 0
        room = trainer.config.epochs - trainer.epoch
        if math.isfinite(speed):
            due = int((time.perf_counter() - self._pace_start) * speed) + 1 - self._paced
            if due <= 0:
                wait_ms = max(1, int(1000 * (self._paced / speed -
                                             (time.perf_counter() - self._pace_start))))
                QTimer.singleShot(wait_ms, self._tick)
                return
            room = min(room, due)
        try:  # a chunk of about CHUNK_SECONDS, ending where the next update is due
            stats = self._train(min(room, self._epochs_until_update()), self._chunks)
        except Exception as e:  # noqa: BLE001
            self._set_running(False)
            self.failed.emit(failure_message(e))
            return
        self._paced += len(stats)
        message = stats.diverged or stats.stopped_early
        limit = trainer.epoch >= trainer.config.epochs
        if limit and not message:
            message = f"Reached the epoch limit ({trainer.config.epochs})."
        if message or limit or self.pause_event.is_set():
            self._stop_with_update(message=message, diverged=bool(stats.diverged))
            return
        with self._lock:
            interval = self._live.update_interval
        if time.perf_counter() - self._last_emit >= interval:
            self._emit()
        QTimer.singleShot(0, self._tick)

    # --- helpers -------------------------------------------------------------------
    def _epochs_until_update(self) -> int:
        """Epochs that fit before the next window update is due: a chunk ends there, so
        updates keep their interval instead of waiting for the end of a chunk."""
        per_epoch = self._chunks.per_epoch
        if per_epoch is None:
            return 1
        with self._lock:
            interval = self._live.update_interval
        due_in = self._last_emit + interval - time.perf_counter()
        return max(1, math.ceil(due_in / max(per_epoch, MIN_EPOCH_SECONDS)))

    def _train(self, n: int, chunks: ChunkSizes | None = None):
        """`n` epochs, or with `chunks` the next chunk of them, at most `n`."""
        self._apply_live()
        pause = self.pause_event.is_set
        stats = chunks.run(self._trainer, n, pause) if chunks else self._trainer.run(n, pause)
        if len(stats):
            self._pending.append(stats)
        self._rate_epochs += len(stats)
        return stats

    def _apply_live(self) -> None:
        """Bring the current trainer to the window's latest settings. The settings are
        kept (not consumed), so a trainer switched in later — a new network, or one
        brought back by undo — gets them too."""
        with self._lock:
            values = dict(self._live.values)
        t = self._trainer
        for name, setter in (("learning_rate", t.set_learning_rate),
                             ("weight_decay", t.set_weight_decay),
                             ("l1", t.set_l1),
                             ("batch_size", t.set_batch_size),
                             ("epochs", t.set_epoch_limit),
                             ("patience", t.set_patience)):
            if name in values and values[name] != getattr(t.config, name):
                setter(values[name])
        if "optimizer" in values and values["optimizer"] != t.config.optimizer:
            t.set_optimizer(values["optimizer"])

    def _stop_with_update(self, message: str | None = None, diverged: bool = False) -> None:
        """Stop, sending the last epochs before saying so: whoever reacts to "paused"
        (autosave, tests, the Train button) then already has the final numbers."""
        was_running, self._running = self._running, False
        self._emit(message=message, diverged=diverged)
        if was_running:
            self.runningChanged.emit(False)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)

    def _emit(self, replace_history: bool = False, message: str | None = None,
              diverged: bool = False) -> None:
        from playground.core.training.devices import describe_device

        t = self._trainer
        now = time.perf_counter()
        if now - self._rate_since >= 0.5:
            self._rate = self._rate_epochs / (now - self._rate_since)
            self._rate_since, self._rate_epochs = now, 0
        if replace_history:
            h = t.history
            epochs, metrics = h.epochs.copy(), {m: h[m].copy() for m in METRICS}
        elif self._pending:
            epochs = np.concatenate([s.epochs for s in self._pending])
            metrics = {m: np.concatenate([getattr(s, m) for s in self._pending])
                       for m in METRICS}
        else:
            epochs, metrics = np.zeros(0), {m: np.zeros(0, np.float32) for m in METRICS}
        self._pending.clear()
        self._last_emit = now
        self.updated.emit(TrainingUpdate(
            self._generation, t.epoch, epochs, metrics, t.snapshot(),
            self._rate if self._running else 0.0, self._running, describe_device(t.device),
            replace_history, message, diverged))


def failure_message(error: Exception) -> str:
    """What to tell a person when training (or building the trainer) failed."""
    from playground.core.errors import PlaygroundError

    if isinstance(error, PlaygroundError):
        return str(error)
    if isinstance(error, MemoryError):
        return "Out of memory: try a smaller network or batch size."
    text = str(error)
    if "out of memory" in text.lower():
        return "The device ran out of memory: try a smaller network or batch size."
    return f"Training failed: {type(error).__name__}: {text}"
