"""Time to redraw the loss plot holding 10^4, 10^5 and 10^6 epochs of history."""

from __future__ import annotations

import time

import numpy as np

from playground.core.training.history import METRICS, History


def redraw_ms(app, plots, n: int, repeats: int = 5) -> float:
    """Median milliseconds for one frame: setData on every curve, then a paint."""
    epochs = np.arange(1, n + 1, dtype=np.float64)
    decay = np.exp(-epochs / (n / 10))
    rng = np.random.default_rng(0)
    curves = {m: (decay + 0.02 * rng.random(n)).astype(np.float32) for m in METRICS}
    saved = plots.history
    first = n - repeats - 1
    plots.history = History.from_arrays({"epochs": epochs[:first],
                                         **{m: c[:first] for m, c in curves.items()}})
    plots.redraw()  # the history arrives (a project opened): not a live frame
    times = []
    for i in range(first, n):
        # A new epoch each frame, as in a live run.
        plots.history.extend(epochs[i:i + 1], **{m: curves[m][i:i + 1] for m in METRICS})
        start = time.perf_counter()
        plots.redraw()
        plots.loss_plot.repaint()
        plots.accuracy_plot.repaint()
        times.append(time.perf_counter() - start)
    plots.history = saved
    plots.redraw()
    app.processEvents()
    return 1000 * float(np.median(times))
