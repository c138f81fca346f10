"""Variants: K networks trained together against K bare loops run one after another,
and the window's timer lateness while variants train.

The bare loop (baseline.py) is the textbook one: torch.optim, model(x),
cross-entropy, backward, step and a validation pass, each network on its own.
Both sides train the same K networks (seeds 0 … K−1: the same work as any other
varied setting) and take turns (turns.py), so they share the machine's phases.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import torch

from playground.bench.baseline import BareLoop
from playground.bench.throughput import BareRun
from playground.bench.turns import median_round, take_turns

COUNTS = (16, 64)
TARGET_K16 = 4.0  # network-epochs per second, together / one after another


class _Together:
    def __init__(self, data, config, variants) -> None:
        from playground.core.training.variant_trainer import VariantTrainer

        self.trainer = VariantTrainer(data, config, variants)

    def __call__(self, epochs: int) -> float:
        return self.trainer.run(epochs).seconds


class _OneAfterAnother:
    """K bare loops, each trained `epochs` epochs in turn, with the bare loop's own best
    thread count."""

    def __init__(self, data, spec, variants, epochs: int) -> None:
        self.threads = BareRun(data, spec, variants[0].config, epochs).threads
        self.loops = [BareLoop(data, v.spec, v.config) for v in variants]

    def __call__(self, epochs: int) -> float:
        torch.set_num_threads(self.threads)
        return sum(loop(epochs) for loop in self.loops)


def throughput(data, spec, base, epochs: int, rounds: int, turns: int, log) -> dict:
    """For each K in COUNTS: network-epochs per second together and one after another."""
    from playground.core.training.variants import make_variants, parse_axis

    results = {}
    config = replace(base, epochs=epochs)
    for k in COUNTS:
        variants = make_variants(spec, config, [parse_axis(f"seed=0..{k - 1}")])
        together, alone = [], []
        for r in range(rounds):
            log(f"Variants, K={k} (round {r + 1} of {rounds}): together and one after "
                f"another, {epochs} epochs in {turns} turns each…")
            runs = {"alone": _OneAfterAnother(data, spec, variants, epochs),
                    "together": _Together(data, config, variants)}
            rates = take_turns(runs, epochs, turns, reverse=r % 2 == 1)
            alone.append(rates["alone"] * k)
            together.append(rates["together"] * k)
        bare, app, ratios = median_round(alone, together)
        results.update({f"variants_k{k}_network_epochs_per_second": app,
                        f"variants_k{k}_bare_network_epochs_per_second": bare,
                        f"variants_k{k}_ratio": app / bare,
                        f"variants_k{k}_ratios": ratios})
        log(f"  together {app:,.0f} network-epochs/s, one after another {bare:,.0f} "
            f"({app / bare:.1f}×)")
    return results


def lateness(app, window, k_lr: int, k_seed: int, seconds: float) -> dict:
    """Lateness of a 5 ms GUI timer while K = k_lr × k_seed variants train flat out in
    the variants window (p50, p99, max in ms), and their network-epochs per second."""
    from playground.bench.harness import wait_until
    from playground.bench.throughput import timer_lateness
    from playground.ui.variants.variants_window import open_variants

    window.controls.epochs.setValue(100_000_000)
    dialog = open_variants(window)
    rates = np.geomspace(0.003, 0.1, k_lr)
    dialog.names[0].setCurrentIndex(dialog.names[0].findData("lr"))
    dialog.values[0].setText(", ".join(f"{v:.3g}" for v in rates))
    dialog.names[1].setCurrentIndex(dialog.names[1].findData("seed"))
    dialog.values[1].setText(f"0..{k_seed - 1}")
    updates = []
    dialog._worker.updated.connect(updates.append)
    dialog.train_button.click()
    wait_until(app, lambda: len(updates) >= 2, 60)
    first = updates[-1].epoch, time.perf_counter()
    late = timer_lateness(app, seconds)
    last = updates[-1].epoch, time.perf_counter()
    dialog.train_button.click()  # stop
    wait_until(app, lambda: not dialog.running, 30)
    dialog._worker.updated.disconnect(updates.append)
    dialog.close()
    k = k_lr * k_seed
    return {"variants_lateness_k": k, **{f"variants_{key}": v for key, v in late.items()},
            "variants_window_network_epochs_per_second":
                (last[0] - first[0]) * k / (last[1] - first[1])}


def rows(r: dict, row) -> list[str]:
    """The table's rows (`row` formats one: name, value, target, met)."""
    lines = []
    for k in COUNTS:
        ratio = r.get(f"variants_k{k}_ratio")
        if ratio is None:
            continue
        target = TARGET_K16 if k == 16 else None
        lines.append(row(f"variants K={k} together / one after another",
                         f"{ratio:.1f}× ({r[f'variants_k{k}_network_epochs_per_second']:,.0f}/"
                         f"{r[f'variants_k{k}_bare_network_epochs_per_second']:,.0f} net-ep/s)",
                         f"≥ {target:g}×" if target else "",
                         None if target is None else ratio >= target))
    if "variants_lateness_p99_ms" in r:
        lines.append(row(f"  GUI timer lateness, {r['variants_lateness_k']} variants training",
                         f"{r['variants_lateness_p50_ms']:.1f} / "
                         f"{r['variants_lateness_p99_ms']:.1f} / "
                         f"{r['variants_lateness_max_ms']:.1f} ms", "p99 < 16 ms",
                         r["variants_lateness_p99_ms"] < 16))
    return lines
