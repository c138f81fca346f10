"""A one-line progress bar on a terminal's stderr (nothing when not a terminal), and
training under it."""

from __future__ import annotations

import signal
import sys
import threading
import time


class ProgressBar:
    def __init__(self, total: int, stream=None, width: int = 30) -> None:
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def update(self, done: int, text: str = "", force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.1):
            return
        self._last = now
        filled = int(self.width * done / self.total)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{bar} {done}/{self.total} {text}\033[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def train_with_progress(trainer, epochs: int, text):
    """Train to epoch `epochs` in chunks (core.training.chunked) under a progress bar
    that shows `text(stats)`; the first Ctrl+C ends training early, and the caller
    still reports. Returns the ChunkedRun, and whether Ctrl+C ended it."""
    from playground.core.training.chunked import train_in_chunks

    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = ProgressBar(epochs)
    try:
        run = train_in_chunks(trainer, epochs, stop.is_set,
                              lambda stats: bar.update(trainer.epoch, text(stats)))
        return run, stop.is_set()
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
