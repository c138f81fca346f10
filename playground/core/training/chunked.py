"""Training in chunks of epochs: short enough to report progress (or, in the window,
to handle a request) between them, long enough that doing so costs next to nothing.

A chunk starts at one epoch and doubles after each one, up to as many epochs as fit
in a time budget at the last chunk's pace: the first report comes at once, and a
fast network is not slowed by a report after every epoch.

Works with any trainer whose `run(n, should_stop)` returns statistics with `seconds`,
a length (the epochs trained) and `diverged` (a message once training cannot go on):
`Trainer` and `VariantTrainer`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

REPORT_SECONDS = 0.1  # the command line reports about ten times a second
# The shortest epoch the sizing believes in: a chunk of zero measured seconds would
# otherwise ask for an unbounded number of epochs.
MIN_EPOCH_SECONDS = 1e-7


class ChunkSizes:
    """The size of the next chunk, learned from the pace of the chunks before it."""

    def __init__(self, budget: float) -> None:
        self.budget = budget  # seconds a chunk may take
        self.size = 1
        self.per_epoch: float | None = None  # seconds, from the last chunk

    def run(self, trainer, limit: int, should_stop: Callable[[], bool] | None):
        """Train the next chunk, at most `limit` epochs, and size the one after it."""
        stats = trainer.run(min(self.size, limit), should_stop)
        if len(stats):
            self.per_epoch = stats.seconds / len(stats)
            fits = int(self.budget / max(self.per_epoch, MIN_EPOCH_SECONDS))
            self.size = max(1, min(self.size * 2, fits))
        return stats


@dataclass(frozen=True)
class ChunkedRun:
    """How `train_in_chunks` went: the seconds spent in epochs, and why training ended
    before the limit, if it did."""

    seconds: float
    diverged: str | None = None
    stopped_early: str | None = None


def train_in_chunks(trainer, epochs: int, should_stop: Callable[[], bool],
                    on_chunk: Callable[[object], None] | None = None,
                    budget: float = REPORT_SECONDS) -> ChunkedRun:
    """Train up to epoch `epochs` in growing chunks, until `should_stop()` (also checked
    before every batch), divergence or early stopping. `on_chunk(stats)` is called after
    every chunk that trained at least one epoch and lets training go on."""
    chunks = ChunkSizes(budget)
    spent = 0.0
    while trainer.epoch < epochs and not should_stop():
        stats = chunks.run(trainer, epochs - trainer.epoch, should_stop)
        spent += stats.seconds
        stopped_early = getattr(stats, "stopped_early", None)  # variants have none
        if stats.diverged or stopped_early:
            return ChunkedRun(spent, stats.diverged, stopped_early)
        if len(stats) and on_chunk is not None:
            on_chunk(stats)
    return ChunkedRun(spent)
