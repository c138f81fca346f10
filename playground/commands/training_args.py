"""What `playground train` and `playground train --vary` read from their options: the
data, the engineered inputs and the training settings."""

from __future__ import annotations

from playground.commands.errors import UsageError


def load_data(args):
    """The data set the options name: --toy, --data with --label, or the penguins."""
    from playground.core.data.data_loaders import load_csv, load_penguins

    if args.toy:
        if args.data:
            raise UsageError("--toy and --data are alternatives: choose one")
        from playground.core.data.toy_data import make_toy

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
    from playground.core.network.engineered import make_terms, numeric_features, parse_kinds

    return make_terms(parse_kinds(text), numeric_features(dataset.features))


def config_from_args(args):
    from playground.core.training.config import TrainingConfig

    return TrainingConfig(optimizer=args.optimizer, learning_rate=args.lr,
                          batch_size=args.batch_size, epochs=args.epochs,
                          weight_decay=args.weight_decay, val_fraction=args.val_fraction,
                          seed=args.seed, device=args.device, patience=args.patience,
                          l1=args.l1)
