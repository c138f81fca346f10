"""The command line: `playground`, `playground train`, `playground predict`.

Exit status: 0 done; 2 bad usage or bad input (one line on stderr saying what
and where, no traceback); 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from playground.commands.errors import UsageError
from playground.core.errors import PlaygroundError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(f"{message} (see {self.prog} --help)")


def _add_training_options(p: argparse.ArgumentParser) -> None:
    from playground.core.training.config import DEVICES, OPTIMIZERS, TrainingConfig

    d = TrainingConfig()
    p.add_argument("--hidden", default="8", metavar="UNITS",
                   help='units per hidden layer, e.g. "10,10"; "" for none (default: 8)')
    p.add_argument("--activation", default="relu",
                   help="relu|tanh|sigmoid|leaky_relu|gelu|linear, one for all or one per layer")
    p.add_argument("--dropout", default="0", help="dropout, one for all or one per layer")
    p.add_argument("--inputs", default="", metavar="KINDS",
                   help="engineered input neurons: square,product,sin (x², x1·x2 of the "
                        "first two numeric features, sin x); \"\" for none (default)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=d.optimizer)
    p.add_argument("--lr", type=float, default=d.learning_rate, help="learning rate")
    p.add_argument("--batch-size", type=int, default=d.batch_size,
                   help="rows per batch; 0 = the whole training set (default)")
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--patience", type=int, default=d.patience, metavar="EPOCHS",
                   help="early stopping: stop when the validation loss has not improved for "
                        "this many epochs and keep the best epoch's weights (default: 0, off)")
    p.add_argument("--weight-decay", type=float, default=d.weight_decay,
                   help="L2 penalty that shrinks the weights (default: 0)")
    p.add_argument("--l1", type=float, default=d.l1, metavar="STRENGTH",
                   help="L1 penalty: adds STRENGTH × the sum of |weight| to the loss, which "
                        "drives unneeded weights to 0 (default: 0, off)")
    p.add_argument("--val-fraction", type=float, default=d.val_fraction)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--device", choices=DEVICES, default=d.device)
    p.add_argument("--data", metavar="FILE.csv", help="your own data (default: penguins)")
    p.add_argument("--toy", choices=("blobs", "circles", "xor", "spirals", "surface"),
                   help="a generated two-feature set instead of the penguins "
                        "(surface: regression)")
    p.add_argument("--noise", type=float, default=0.1,
                   help="with --toy: jitter, 0–1 of the set's spread (default: 0.1)")
    p.add_argument("--label", metavar="COLUMN", help="the column to predict (with --data)")
    p.add_argument("--features", metavar="A,B,C", nargs="+",
                   help="feature columns, comma- or space-separated (with --data; default: "
                        "every other usable column: numbers, and text one-hot encoded; "
                        "IDs and constant columns are left out)")
    p.add_argument("--missing", choices=("drop", "fill"), default="drop",
                   help="with --data: drop rows with a missing value (default), or fill "
                        "gaps with the column's mean (numbers) or most common value (text)")
    p.add_argument("--vary", action="append", metavar="NAME=VALUES",
                   help="train variants together: seed, lr, weight_decay, l1 or dropout, "
                        "e.g. lr=0.001,0.01,0.1 or seed=0..4; twice for a grid of two "
                        "(at most 64 variants)")
    p.add_argument("--out", metavar="FILE", help="write a project file")
    p.add_argument("--json", action="store_true", help="print the final metrics as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="playground",
                     description="Neural Network Playground: design a network, watch it "
                                 "learn, classify penguins.")
    parser.add_argument("--project", metavar="FILE", help="open this project in the window")
    # Hidden: open the window, print "painted <time>" at its first paint and quit.
    # The packaging smoke check and start-up timing of the bundled application use it.
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__import__('playground').__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    train = sub.add_parser("train", help="train without a window")
    _add_training_options(train)
    predict = sub.add_parser("predict", help="classify one sample with a trained project")
    predict.add_argument("--model", required=True, metavar="FILE", help="a project file")
    predict.add_argument("values", nargs="+", metavar="V",
                         help="feature values in the data set's order; a text feature "
                              "takes its category by name")
    predict.add_argument("--json", action="store_true")
    bench = sub.add_parser("bench", help="measure speed and responsiveness")
    bench.add_argument("--quick", action="store_true", help="a reduced run of seconds")
    bench.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    bench.add_argument("--headless", action="store_true",
                       help="only what needs no window: playground train against the bare "
                            "loop, the scale rows on every device, CPU against CUDA")
    export = sub.add_parser("export", help="export a trained project (ONNX, weights, script)")
    export.add_argument("--model", required=True, metavar="FILE", help="a project file")
    export.add_argument("--format", required=True, choices=("onnx", "safetensors", "script"),
                        help="onnx: a model file for any ONNX runtime (raw inputs, "
                             "probabilities out); safetensors: the weights plus a JSON "
                             "description; script: a folder with train.py and its data")
    export.add_argument("--out", required=True, metavar="PATH",
                        help="the file to write (a folder for --format script)")
    desktop = sub.add_parser("install-desktop",
                             help="add this installation to the desktop menu (with icons)")
    desktop.add_argument("--remove", action="store_true",
                         help="remove the menu entry and icons instead")
    return parser


COMMANDS = ("train", "predict", "bench", "export", "install-desktop")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        argv = ["--project", *argv]  # `playground FILE` opens that project
    try:
        args = build_parser().parse_args(argv)
        if args.command == "train":
            from playground.commands.train import run_train

            return run_train(args)
        if args.command == "bench":
            from playground.commands.bench import run_bench

            return run_bench(args)
        if args.command == "predict":
            from playground.commands.predict import run_predict

            return run_predict(args)
        if args.command == "export":
            from playground.commands.export import run_export

            return run_export(args)
        if args.command == "install-desktop":
            from playground.commands.install_desktop import run_install_desktop

            return run_install_desktop(args)
        return _open_window(args)
    except PlaygroundError as e:
        print(f"playground: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("playground: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug, not a user's mistake
        if os.environ.get("PLAYGROUND_DEBUG"):
            traceback.print_exc()
        print(f"playground: internal error: {type(e).__name__}: {e} "
              "(set PLAYGROUND_DEBUG=1 for the traceback)", file=sys.stderr)
        return 1


def _open_window(args) -> int:
    from pathlib import Path

    if args.project is not None and not Path(args.project).is_file():
        raise UsageError(f"{args.project}: no such project file")
    from playground.ui.app import run_app

    return run_app(args.project, smoke_test=args.smoke_test)
