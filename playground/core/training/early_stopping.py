"""Early stopping on the validation loss, with a patience.

The trainer reads each chunk's losses from the device once, at its end, so the
decision is made on the host over a whole chunk at a time: where was the best
epoch so far, and is there an epoch at which `patience` epochs have passed
without improvement? The best epoch's weights are kept on the device by the
trainer itself (see Trainer._track_best), so nothing is copied to the host.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass
class BestSoFar:
    loss: float = math.inf
    epoch: int = 0  # the epoch the loss belongs to (0: none yet)


def scan(val_losses: np.ndarray, first_epoch: int, best: BestSoFar,
         patience: int) -> tuple[int | None, BestSoFar]:
    """Walk a chunk of validation losses (epochs first_epoch, first_epoch + 1, …).

    Returns (the index in the chunk of the epoch where training must stop, or None;
    the best loss and epoch up to that epoch, or to the chunk's end). An epoch
    improves when its loss is strictly below the best so far.
    """
    n = len(val_losses)
    if n == 0:
        return None, best
    epochs = first_epoch + np.arange(n)
    before = np.minimum.accumulate(np.concatenate([[best.loss], val_losses]))[:-1]
    improved = val_losses < before
    last_best = np.maximum.accumulate(np.where(improved, epochs, best.epoch))
    due = np.flatnonzero(epochs - last_best >= patience)
    stop = int(due[0]) if len(due) else None
    end = n - 1 if stop is None else stop
    best_at_end = min(float(best.loss), float(val_losses[:end + 1].min()))
    return stop, BestSoFar(best_at_end, int(last_best[end]))
