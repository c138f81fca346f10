"""Epochs per second: the window's training path and `playground train` vs the textbook
loop (baseline.py)."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import torch

from playground.bench import own_work
from playground.bench.baseline import BareLoop
from playground.bench.harness import prepare_run, train_to_limit

PROBE_EPOCHS = 500  # at most, to choose the textbook loop's thread count


class BareRun:
    """The textbook loop from a fresh start, with the faster of torch's default thread
    count and one thread (chosen on a short probe, no longer than the `epochs` it is
    for): the best that loop can do."""

    def __init__(self, data, spec, config, epochs: int) -> None:
        probe = max(1, min(epochs, PROBE_EPOCHS))
        rates = {}
        for threads in sorted({os.cpu_count() or 1, 1}, reverse=True):
            torch.set_num_threads(threads)
            loop = BareLoop(data, spec, config)
            rates[threads] = probe / loop(probe)
        self.threads = max(rates, key=rates.get)
        self.loop = BareLoop(data, spec, config)

    def __call__(self, epochs: int) -> float:
        torch.set_num_threads(self.threads)  # the application's trainer sets its own
        return self.loop(epochs)


def best_bare_loop(data, spec, config, epochs: int) -> float:
    """Epochs per second of a `BareRun` over `epochs` epochs."""
    return epochs / BareRun(data, spec, config, epochs)(epochs)


class HeadlessRun:
    """The `playground train` path: its trainer, in the chunks it reports between
    (core/chunked.py). Its progress bar is left out: it draws only on a terminal, and at
    most ten times a second."""

    def __init__(self, data, spec, config) -> None:
        from playground.core.training.trainer import Trainer

        self.trainer = Trainer(data, spec, config)

    def __call__(self, epochs: int) -> float:
        from playground.core.training.chunked import train_in_chunks

        target = self.trainer.epoch + epochs
        start = time.perf_counter()
        train_in_chunks(self.trainer, target, threading.Event().is_set)
        seconds = time.perf_counter() - start
        if self.trainer.epoch != target:  # diverged or stopped early: the rate would lie
            raise RuntimeError(f"playground train stopped at epoch {self.trainer.epoch} "
                               f"of {target}")
        return seconds


class WindowRun:
    """Training flat out in the window from a fresh network. Each call raises the epoch
    limit by `epochs`, as a person would, presses Train and waits for the limit; it
    returns the wall seconds, starting and stopping included."""

    def __init__(self, app, window, spec, config) -> None:
        prepare_run(app, window, spec, config)
        self.app, self.window = app, window
        self.seconds, self.frames = 0.0, 0

    def __call__(self, epochs: int) -> float:
        window = self.window
        window.controls.epochs.setValue(window.epoch + epochs)
        frames = window.frames
        seconds = train_to_limit(self.app, window)
        self.frames += window.frames - frames
        self.seconds += seconds
        return seconds

    def updates_per_second(self) -> float:
        return self.frames / self.seconds


VIEWS_SETTLE_S = 3.0  # every open view refreshed at least once (one per tick, 4 a second)


def timer_lateness(app, seconds: float) -> dict:
    """How late a 5 ms GUI timer fires over `seconds` of the event loop, whatever runs
    meanwhile (p50, p99, max in ms)."""
    from PySide6.QtCore import Qt, QTimer

    from playground.bench.harness import wait_until

    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    end = time.perf_counter() + seconds
    wait_until(app, lambda: time.perf_counter() > end, seconds + 30)
    timer.stop()
    return lateness_summary(own_work.lateness(ticks, 0.005))


def lateness_summary(late_ms) -> dict:
    """p50, p99 and max of a timer's lateness (ms, one per tick)."""
    late = np.asarray(late_ms, dtype=np.float64)
    return {"lateness_p50_ms": float(np.percentile(late, 50)),
            "lateness_p99_ms": float(np.percentile(late, 99)),
            "lateness_max_ms": float(late.max())}


def responsiveness(app, window, spec, config, seconds: float) -> dict:
    """Lateness of a 5 ms GUI timer while training runs flat out (p50, p99, max in ms)."""
    from playground.bench.harness import wait_until

    prepare_run(app, window, spec, config)
    window.toggle_training()
    wait_until(app, lambda: window.controller.running, 30, window)
    lateness = timer_lateness(app, seconds)
    window.toggle_training()
    wait_until(app, lambda: not window.controller.running, 30, window)
    return lateness


def responsiveness_with_views(app, window, spec, config, seconds: float) -> dict:
    """`responsiveness` with every see-inside view open. The views are opened, and given
    time to build (each is made when first shown: a one-off, like opening a dialog),
    before training starts; they are closed again afterwards."""
    from playground.bench.harness import wait_until

    docks = [window.docks[name] for name in window.insights.docks]
    for dock in docks:
        dock.show()
    settle = time.perf_counter() + VIEWS_SETTLE_S
    wait_until(app, lambda: time.perf_counter() > settle, VIEWS_SETTLE_S + 30)
    try:
        return responsiveness(app, window, spec, config, seconds)
    finally:
        for dock in docks:
            dock.hide()


def time_to_learn(app, window, spec, config, target: float = 0.97) -> float | None:
    """Wall seconds from pressing Train to validation accuracy ≥ target (default run)."""
    prepare_run(app, window, spec, config)
    reached: list[float] = []

    def on_update(update) -> None:
        acc = update.metrics["val_accuracy"]
        if not reached and len(acc) and (acc >= target).any():
            reached.append(time.perf_counter())

    start = time.perf_counter()
    train_to_limit(app, window, on_update)
    return reached[0] - start if reached else None


def memory_growth(app, window, spec, config, warmup: int) -> float:
    """Resident memory growth in MB from after `warmup` epochs to the epoch limit."""
    from playground.bench.harness import wait_until

    prepare_run(app, window, spec, config)
    window.toggle_training()
    wait_until(app, lambda: window.epoch >= warmup, 600, window)
    before = resident_mb()
    wait_until(app, lambda: window.epoch >= config.epochs and not window.controller.running,
               3600, window)
    return resident_mb() - before


def resident_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak is the best the standard library offers
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
