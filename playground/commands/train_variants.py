"""`playground train --vary NAME=VALUES …`: K variants of one network, trained together."""

from __future__ import annotations

import math

from playground.commands.errors import UsageError
from playground.commands.output import print_json
from playground.commands.progress import train_with_progress
from playground.commands.training_args import config_from_args, engineered_inputs, load_data


def run_variants(args) -> int:
    from playground.core.data.split import prepare
    from playground.core.network.spec import NetworkSpec, parse_hidden
    from playground.core.training.devices import describe_device
    from playground.core.training.runs import summarize
    from playground.core.training.variant_trainer import VariantTrainer
    from playground.core.training.variants import make_variants, parse_axis

    if args.out:
        raise UsageError("--out saves one network; train the variants, then train the one "
                         "you choose without --vary")
    if args.patience:
        raise UsageError("--patience does not apply to --vary: every variant trains "
                         "--epochs epochs")
    config = config_from_args(args)
    axes = [parse_axis(text) for text in args.vary]
    dataset = load_data(args)
    spec = NetworkSpec(dataset.n_features, dataset.n_outputs,
                       parse_hidden(args.hidden, args.activation, args.dropout),
                       engineered_inputs(args.inputs, dataset))
    variants = make_variants(spec, config, axes)
    trainer = VariantTrainer(prepare(dataset, config.val_fraction, config.seed), config,
                             variants)

    run, interrupted = train_with_progress(trainer, config.epochs,
                                           lambda stats: f"{trainer.k} variants")
    seconds = run.seconds

    device = describe_device(trainer.device)
    score = "r2" if trainer.regression else "accuracy"
    rows = []
    for variant, history, diverged in zip(variants, trainer.histories, trainer.diverged,
                                          strict=True):
        s = summarize(history)
        rows.append({"values": variant.values, "label": variant.label, "epochs": s.epochs,
                     "train_loss": _number(history.last("train_loss")),
                     "val_loss": _number(s.final_val_loss),
                     "best_val_loss": _number(s.best_val_loss),
                     f"val_{score}": _number(s.final_val_accuracy),
                     f"best_val_{score}": _number(s.best_val_accuracy),
                     "diverged": diverged})
    rate = trainer.k * trainer.epoch / seconds if seconds > 0 else math.inf
    if interrupted:
        print("Stopped early (Ctrl+C).")
    print(f"Trained {trainer.k} variants × {trainer.epoch} epochs together on {device} in "
          f"{seconds:.3f} s ({rate:,.0f} network-epochs/s); {len(trainer.data.train_y)} "
          f"training and {len(trainer.data.val_y)} validation rows, the split of seed "
          f"{config.seed}")
    _print_table(rows, score)
    if args.json:
        print_json({"epochs": trainer.epoch, "device": device, "seconds": round(seconds, 6),
                    "network_epochs_per_second": round(rate, 1), "variants": rows})
    return 0


def _number(value: float) -> float | None:
    """JSON has no NaN: a variant that diverged before its first epoch has none."""
    return value if math.isfinite(value) else None


def _print_table(rows: list[dict], score: str) -> None:
    name = "R²" if score == "r2" else "acc"
    width = max(8, *(len(r["label"]) + 2 for r in rows))
    print()
    print(f"{'variant':{width}}{'val loss':>10}{'best':>10}{'val ' + name:>10}{'best':>10}")

    def cell(value, digits):
        return f"{'—':>10}" if value is None else f"{value:>10.{digits}f}"
    for r in rows:
        line = (f"{r['label']:{width}}{cell(r['val_loss'], 4)}{cell(r['best_val_loss'], 4)}"
                f"{cell(r[f'val_{score}'], 3)}{cell(r[f'best_val_{score}'], 3)}")
        print(line + (f"  ({r['diverged']})" if r["diverged"] else ""))
    finite = [r for r in rows if r["best_val_loss"] is not None]
    if finite:
        best = min(finite, key=lambda r: r["best_val_loss"])
        print(f"\nLowest validation loss: {best['label']} ({best['best_val_loss']:.4f})")
