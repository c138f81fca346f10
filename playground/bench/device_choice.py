"""CPU against CUDA for networks from tiny to large: where does the GPU start to pay?

A GPU runs each operation fast but pays a fixed launch cost for it (microseconds),
and a penguin network's batch is only ~15k multiply-adds — far too little work to
hide that cost. This measures the crossover that `devices.auto_device` relies on.
Each case is timed with the textbook loop (baseline.py), so the figures are the
devices' own.
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig


@dataclass(frozen=True)
class Case:
    name: str
    rows: int  # 0: the penguins
    hidden: tuple[int, ...]
    batch: int  # 0: full batch
    epochs: int


CASES = (
    Case("penguins 4-8-3, full batch", 0, (8,), 0, 300),
    Case("penguins 4-8-3, batch 16", 0, (8,), 16, 30),
    Case("20k×32, 2×64, batch 256", 20_000, (64, 64), 256, 3),
    Case("100k×32, 2×256, batch 1024", 100_000, (256, 256), 1024, 3),
    Case("1M×32, 3×256, batch 4096", 1_000_000, (256, 256, 256), 4096, 2),
)
QUICK_CASES = (CASES[0], Case("5k×32, 2×64, batch 256", 5_000, (64, 64), 256, 2))


def case_setup(case: Case, device: str):
    from playground.bench.scale import synthetic_dataset
    from playground.core.data.data_loaders import load_penguins
    from playground.core.data.split import prepare

    dataset = load_penguins() if case.rows == 0 else synthetic_dataset(case.rows)
    spec = NetworkSpec(dataset.n_features, dataset.n_classes,
                       tuple(LayerSpec(w) for w in case.hidden))
    lr = 0.03 if case.rows == 0 else 1e-3
    config = TrainingConfig(learning_rate=lr, batch_size=case.batch, epochs=case.epochs,
                            seed=0, device=device)
    return prepare(dataset, config.val_fraction, config.seed), spec, config


def compare(quick: bool, log=print) -> list[dict]:
    """One row per case: work per batch, epochs/s on each device, the faster one."""
    import torch

    from playground.bench.throughput import best_bare_loop
    from playground.core.training.devices import work_per_batch

    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = []
    for case in QUICK_CASES if quick else CASES:
        row = {"case": case.name}
        for dev in devices:
            data, spec, config = case_setup(case, dev)
            n = len(data.train_y)
            row["work_per_batch"] = work_per_batch(spec, min(case.batch or n, n))
            row[f"{dev}_epochs_per_second"] = best_bare_loop(data, spec, config, case.epochs)
            row[f"{dev}_samples_per_second"] = row[f"{dev}_epochs_per_second"] * n
        rates = {d: row[f"{d}_epochs_per_second"] for d in devices}
        row["faster"] = max(rates, key=rates.get)
        log(f"  {case.name}: " + ", ".join(f"{d} {r:,.1f} ep/s" for d, r in rates.items()))
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    lines = [f"{'case':<30}{'mult-adds/batch':>16}{'CPU ep/s':>12}{'CUDA ep/s':>12}  faster",
             "-" * 80]
    for r in rows:
        cuda = r.get("cuda_epochs_per_second")
        lines.append(f"{r['case']:<30}{r['work_per_batch']:>16,}"
                     f"{r['cpu_epochs_per_second']:>12,.1f}"
                     f"{'—' if cuda is None else f'{cuda:,.1f}':>12}  {r['faster'].upper()}")
    return "\n".join(lines)
