"""`playground train`: train without a window, print a report, optionally save."""

from __future__ import annotations

import numpy as np

from playground.commands.errors import UsageError
from playground.commands.output import print_json
from playground.commands.progress import train_with_progress
from playground.commands.training_args import config_from_args, engineered_inputs, load_data
from playground.core.training.history import METRICS


def run_train(args) -> int:
    from playground.core.data.split import prepare
    from playground.core.network.spec import NetworkSpec, parse_hidden
    from playground.core.training.devices import describe_device
    from playground.core.training.trainer import Trainer

    if args.vary:
        from playground.commands.train_variants import run_variants

        return run_variants(args)
    config = config_from_args(args)
    dataset = load_data(args)
    spec = NetworkSpec(dataset.n_features, dataset.n_outputs,
                       parse_hidden(args.hidden, args.activation, args.dropout),
                       engineered_inputs(args.inputs, dataset))
    if args.out:
        _check_writable(args.out)
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed), spec, config)

    score = "val R²" if trainer.regression else "val acc"
    run, interrupted = train_with_progress(
        trainer, config.epochs, lambda stats: f"{score} {stats.val_accuracy[-1]:.3f}")
    seconds, diverged, stopped_early = run.seconds, run.diverged, run.stopped_early

    report = _report(trainer, dataset, seconds)
    device = describe_device(trainer.device)
    _print_table(report, dataset, trainer, device, seconds, diverged, interrupted)
    if stopped_early:
        print(stopped_early)
    if args.out:
        from playground.core.files.project import project_from_trainer, save_project

        save_project(project_from_trainer(trainer, dataset), args.out)
        print(f"Saved the project to {args.out}")
    if args.json:
        scores = ({"val_r2": report["val_r2"], "val_mae": report["val_mae"]}
                  if trainer.regression else
                  {"train_accuracy": report["train_accuracy"],
                   "val_accuracy": report["val_accuracy"]})
        print_json({"epochs": trainer.epoch, "train_loss": report["train_loss"],
                    "val_loss": report["val_loss"], **scores, "device": device,
                    "seconds": round(seconds, 6), "diverged": diverged,
                    "stopped_early": stopped_early})
    return 0


def _check_writable(path: str) -> None:
    import os
    from pathlib import Path

    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise UsageError(f"--out {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"--out {path}: the folder {folder} is not writable")


def _report(trainer, dataset, seconds) -> dict:
    from playground.core.training.metrics import confusion_matrix, regression_scores

    h = trainer.history
    # After early stopping the model holds its best epoch's weights: report that epoch.
    row = (trainer.restored_epoch or trainer.epoch) - 1
    values = {m: float(h[m][row]) if row >= 0 else float("nan") for m in METRICS}
    data = trainer.data
    if trainer.regression:
        truth = data.target_values(data.val_y)
        r2, mae = regression_scores(truth, trainer.predict_values(data.val_x))
        return values | {"val_r2": r2, "val_mae": mae}
    probs = trainer.predict_proba(data.val_x)
    matrix = confusion_matrix(data.val_y, probs.argmax(1), dataset.n_classes)
    return values | {"confusion": matrix}


def _print_table(r, dataset, trainer, device, seconds, diverged, interrupted) -> None:
    from playground.core.training.metrics import per_class_recall

    if diverged:
        print(f"Warning: {diverged}")
    if interrupted:
        print("Stopped early (Ctrl+C).")
    rate = trainer.epoch / seconds if seconds > 0 else float("inf")
    print(f"Trained {trainer.epoch} epochs on {device} in {seconds:.3f} s "
          f"({rate:,.0f} epochs/s); {len(trainer.data.train_y)} training and "
          f"{len(trainer.data.val_y)} validation rows")
    print()
    score = "R²" if trainer.regression else "accuracy"
    print(f"{'':12}{'loss':>10}{score:>10}")
    print(f"{'training':12}{r['train_loss']:>10.4f}{r['train_accuracy']:>10.3f}")
    print(f"{'validation':12}{r['val_loss']:>10.4f}{r['val_accuracy']:>10.3f}")
    print()
    if trainer.regression:
        print(f"Validation: R² {r['val_r2']:.3f}, mean absolute error {r['val_mae']:.4g} "
              f"(in the units of {dataset.label}); the loss is the mean squared error of "
              "the standardized target")
        return
    names = dataset.class_names
    w = max(12, *(len(n) + 2 for n in names))
    m = r["confusion"]
    recall = per_class_recall(m)
    print("Validation per class (rows: true species, columns: predicted)")
    print(f"{'':{w}}" + "".join(f"{n:>{w}}" for n in names) + f"{'accuracy':>10}")
    for i, name in enumerate(names):
        acc = "—" if np.isnan(recall[i]) else f"{recall[i]:.3f}"
        print(f"{name:{w}}" + "".join(f"{v:>{w}}" for v in m[i]) + f"{acc:>10}")
