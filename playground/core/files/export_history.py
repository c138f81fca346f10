"""The training history as a CSV file: one row per epoch."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from playground.core.files.atomic_write import write_atomically
from playground.core.training.history import METRICS


def history_csv(epochs: np.ndarray, metrics: dict[str, np.ndarray]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch", *METRICS])
    for i, epoch in enumerate(epochs):
        writer.writerow([int(epoch), *(f"{float(metrics[m][i]):.7g}" for m in METRICS)])
    return out.getvalue()


def export_history(epochs: np.ndarray, metrics: dict[str, np.ndarray], path: str | Path) -> Path:
    return write_atomically(path, history_csv(epochs, metrics).encode("utf-8"))
