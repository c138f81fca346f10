"""`playground train`: train without a window, print a report, optionally save."""

from __future__ import annotations

import signal
import threading

import numpy as np

from playground.cli import UsageError, print_json
from playground.commands.progress import ProgressBar
from playground.core.history import METRICS


def load_data(args):
    from playground.core.dataset import load_csv, load_penguins

    if args.toy:
        if args.data:
            raise UsageError("--toy and --data are alternatives: choose one")
        from playground.core.toy_data import make_toy

        return make_toy(args.toy, args.noise, args.seed)
    if args.data is None:
        if args.label or args.features:
            raise UsageError("--label and --features need --data FILE.csv")
        return load_penguins()
    if not args.label:
        raise UsageError("--data needs --label COLUMN (the column to predict)")
    features = [f.strip() for arg in args.features for f in arg.split(",") if f.strip()] \
        if args.features else None
    return load_csv(args.data, args.label, features, missing=args.missing)


def engineered_inputs(text: str, dataset) -> tuple:
    """--inputs square,product,sin: the terms over the data's numeric features."""
    from playground.core.engineered import make_terms, numeric_features, parse_kinds

    return make_terms(parse_kinds(text), numeric_features(dataset.features))


def config_from_args(args):
    from playground.core.config import TrainingConfig

    return TrainingConfig(optimizer=args.optimizer, learning_rate=args.lr,
                          batch_size=args.batch_size, epochs=args.epochs,
                          weight_decay=args.weight_decay, val_fraction=args.val_fraction,
                          seed=args.seed, device=args.device, patience=args.patience,
                          l1=args.l1)


def run_train(args) -> int:
    from playground.core.devices import describe_device
    from playground.core.spec import NetworkSpec, parse_hidden
    from playground.core.split import prepare
    from playground.core.trainer import Trainer

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

    stop = threading.Event()  # the first Ctrl+C ends training early and still reports
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        seconds, diverged, stopped_early = _train(trainer, config.epochs, stop)
    finally:
        signal.signal(signal.SIGINT, previous)

    report = _report(trainer, dataset, seconds)
    device = describe_device(trainer.device)
    _print_table(report, dataset, trainer, device, seconds, diverged, stop.is_set())
    if stopped_early:
        print(stopped_early)
    if args.out:
        from playground.core.project import project_from_trainer, save_project

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


def _train(trainer, epochs: int, stop: threading.Event) -> tuple[float, str | None, str | None]:
    """Run in chunks sized to report about ten times a second; return the seconds, and
    why training ended before the limit (divergence, early stopping), if it did."""
    bar = ProgressBar(epochs)
    chunk, spent, diverged, stopped_early = 1, 0.0, None, None
    while trainer.epoch < epochs and not stop.is_set():
        stats = trainer.run(min(chunk, epochs - trainer.epoch), stop.is_set)
        spent += stats.seconds
        if stats.diverged:
            diverged = stats.diverged
            break
        if stats.stopped_early:
            stopped_early = stats.stopped_early
            break
        if len(stats):
            per_epoch = stats.seconds / len(stats)
            chunk = max(1, min(chunk * 2, int(0.1 / max(per_epoch, 1e-9))))
            score = "val R²" if trainer.regression else "val acc"
            bar.update(trainer.epoch, f"{score} {stats.val_accuracy[-1]:.3f}")
    bar.close()
    return spent, diverged, stopped_early


def _report(trainer, dataset, seconds) -> dict:
    from playground.core.metrics import confusion_matrix, regression_scores

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
    from playground.core.metrics import per_class_recall

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
