"""Project files: one zip holding `project.json` and `weights.safetensors`.

`project.json` holds what a person can read (format version, data set identity,
network, settings, standardization, classes, features, epoch, the session's
runs); the tensors — weights, optimizer state, RNG state, the training history
and the other runs' curves — go to
safetensors, because a million epochs of curves do not belong in JSON.
Nothing is ever unpickled. Saves are atomic. Any damaged, foreign or
inconsistent file raises one ProjectError and changes nothing.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from playground import __version__
from playground.core.data.dataset import Feature
from playground.core.data.split import Standardizer
from playground.core.errors import PlaygroundError, ProjectError
from playground.core.files.atomic_write import write_atomically
from playground.core.files.project_check import check_arrays
from playground.core.files.run_file import read_runs, split_run_arrays
from playground.core.network.forward import WeightSnapshot
from playground.core.network.predictor import Predictor
from playground.core.network.spec import NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.history import METRICS
from playground.core.training.runs import SavedRun

FORMAT = "neural-network-playground"
FORMAT_VERSION = 2
PROJECT_JSON = "project.json"
WEIGHTS = "weights.safetensors"
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_WEIGHTS_BYTES = 4 * 1024**3
MAX_MEMBERS = 16


def _add_runs(meta: dict) -> dict:
    """Format 2 keeps the session's runs; a format 1 file had none."""
    return {**meta, "runs": []}


# Each entry turns the JSON of version v into that of v + 1. Format 1 is the first
# released one; when the format changes, add its step here so old files still open.
MIGRATIONS: dict[int, callable] = {1: _add_runs}


@dataclass(eq=False)
class Project:
    """Everything needed to continue training, or just to predict."""

    spec: NetworkSpec
    config: TrainingConfig
    dataset: dict  # identity: name, builtin, path, size, sha256, label
    features: tuple[Feature, ...]  # low/high are the training ranges
    class_names: tuple[str, ...]
    standardizer: Standardizer
    epoch: int
    arrays: dict[str, np.ndarray]
    optimizer: dict  # the JSON half of the optimizer state (see state_io.py)
    extras: dict = field(default_factory=dict)  # e.g. the prediction panel's input
    runs: tuple[SavedRun, ...] = ()  # the session's run list (core/runs.py)
    target: Standardizer | None = None  # regression: the target's standardization

    @property
    def is_regression(self) -> bool:
        return self.target is not None

    def snapshot(self) -> WeightSnapshot:
        n = len(self.spec.hidden) + 1
        return WeightSnapshot(tuple(self.arrays[f"layers.{i}.weight"] for i in range(n)),
                              tuple(self.arrays[f"layers.{i}.bias"] for i in range(n)),
                              tuple(h.activation for h in self.spec.hidden), self.epoch,
                              engineered=self.spec.engineered)

    def predictor(self) -> Predictor:
        return Predictor(self.features, self.class_names, self.standardizer, self.snapshot(),
                         self.target)

    def history(self) -> dict[str, np.ndarray]:
        return {k: self.arrays[f"history.{k}"] for k in ("epochs", *METRICS)}

    def to_json(self) -> dict:
        d = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
             "dataset": self.dataset, "features": [f.to_dict() for f in self.features],
             "class_names": list(self.class_names), "network": self.spec.to_dict(),
             "config": self.config.to_dict(), "standardization": self.standardizer.to_dict(),
             "epoch": self.epoch, "optimizer": self.optimizer, "extras": self.extras,
             "runs": [_run_json(r) for r in self.runs]}
        if self.target is not None:
            d["target_standardization"] = self.target.to_dict()
        return d


def _run_json(run: SavedRun) -> dict:
    return {"number": run.number, "name": run.name, "network": run.spec.to_dict(),
            "config": run.config.to_dict(), "current": run.current}


def project_from_trainer(trainer, dataset, extras: dict | None = None) -> Project:
    """Capture a trainer's whole state (and where its data came from)."""
    arrays, meta = trainer.state_arrays()
    data = trainer.data
    features = tuple(f.with_range(lo, hi)
                     for f, lo, hi in zip(dataset.features, data.train_low, data.train_high,
                                          strict=True))
    identity = {**dataset.identity, "label": dataset.label, "rows": len(dataset)}
    return Project(trainer.spec, trainer.config, identity, features, dataset.class_names,
                   data.standardizer, meta["epoch"], arrays, meta["optimizer"], extras or {},
                   target=data.target)


def save_project(project: Project, path: str | Path) -> None:
    """Write atomically (see atomic_write.py): the old file stays intact on any failure."""
    text = json.dumps(project.to_json(), indent=2, allow_nan=True).encode("utf-8")
    # (np.ascontiguousarray would turn the 0-d "step" counters into 1-d arrays)
    arrays = dict(project.arrays)
    for i, run in enumerate(project.runs):
        arrays.update({f"runs.{i}.{k}": v for k, v in (run.curves or {}).items()})
    tensors = {k: v if v.flags.c_contiguous else v.copy(order="C") for k, v in arrays.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(PROJECT_JSON, text, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(WEIGHTS, st_save(tensors), compress_type=zipfile.ZIP_STORED)
    write_atomically(path, buffer.getvalue())


def _read_member(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise ProjectError(f"{path} is not a playground project (no {name} inside)") from None
    if info.file_size > limit:
        raise ProjectError(f"{path}: {name} is {info.file_size} bytes, more than the "
                           f"{limit} this version accepts")
    with zf.open(info) as f:
        data = f.read(limit + 1)  # never trust the header's size: a zip bomb lies
    if len(data) > limit:
        raise ProjectError(f"{path}: {name} unpacks to more than {limit} bytes")
    return data


def load_project(path: str | Path) -> Project:
    """Open a project file; every failure is one ProjectError naming the problem."""
    path = Path(path)
    try:
        return _load(path)
    except PlaygroundError as e:
        if isinstance(e, ProjectError):
            raise
        raise ProjectError(f"{path}: {e}") from None
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ProjectError(f"{path} is a folder, not a project file") from None
    except PermissionError:
        raise ProjectError(f"{path}: permission denied") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise ProjectError(f"{path} is damaged or not a project file (not a valid zip)"
                           ) from None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            OverflowError, SafetensorError, RuntimeError, NotImplementedError,
            zlib.error) as e:  # zlib.error is none of the others: a damaged deflate stream
        # zlib errors, bad CRCs, malformed values deep in the JSON: the file is damaged
        raise ProjectError(f"{path} is damaged ({type(e).__name__}: {e})") from None


def _load(path: Path) -> Project:
    with open(path, "rb") as f:
        blob = f.read(MAX_WEIGHTS_BYTES + MAX_JSON_BYTES + 1)
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        names = zf.namelist()
        if len(names) > MAX_MEMBERS:
            raise ProjectError(f"{path} holds {len(names)} files; a project holds 2")
        unsafe = [n for n in names if n.startswith(("/", "\\")) or ".." in n.split("/")]
        if unsafe:
            raise ProjectError(f"{path} contains a file with an unsafe name ({unsafe[0]!r})")
        text = _read_member(zf, PROJECT_JSON, MAX_JSON_BYTES, path)
        meta = _parse_json(text, path)
        weights = _read_member(zf, WEIGHTS, MAX_WEIGHTS_BYTES, path)
    try:
        arrays = st_load(weights)
    except (SafetensorError, ValueError, TypeError) as e:
        raise ProjectError(f"{path}: {WEIGHTS} is not a valid safetensors file ({e})") from None

    spec = NetworkSpec.from_dict(meta["network"])
    config = TrainingConfig.from_dict(meta["config"])
    features = tuple(Feature.from_dict(f) for f in _list(meta, "features", path))
    classes = tuple(str(c) for c in _list(meta, "class_names", path))
    if len(features) != spec.n_inputs:
        raise ProjectError(f"{path}: {len(features)} features but the network has "
                           f"{spec.n_inputs} inputs")
    target = None
    if "target_standardization" in meta:  # regression: one output and no classes
        target = _target_standardizer(meta["target_standardization"], path)
        if classes or spec.n_outputs != 1:
            raise ProjectError(f"{path}: a regression network has one output and no "
                               f"classes, not {spec.n_outputs} outputs and {len(classes)} "
                               "classes")
    elif len(classes) != spec.n_outputs:
        raise ProjectError(f"{path}: {len(classes)} classes but the network has "
                           f"{spec.n_outputs} outputs")
    if len(set(classes)) != len(classes):  # a prediction would silently lose a class
        raise ProjectError(f"{path}: the class names are not all different")
    std = Standardizer.from_dict(meta["standardization"])
    if std.mean.shape != (spec.n_inputs,) or std.scale.shape != (spec.n_inputs,) \
            or not (np.isfinite(std.mean).all() and (np.abs(std.scale) > 0).all()
                    and np.isfinite(std.scale).all()):
        raise ProjectError(f"{path}: the standardization does not fit the network's inputs")
    epoch = meta["epoch"]
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise ProjectError(f"{path}: epoch must be a whole number ≥ 0, not {epoch!r}")
    optimizer = meta["optimizer"]
    run_arrays = split_run_arrays(arrays)
    check_arrays(arrays, spec, optimizer, config.optimizer, path)
    runs = read_runs(meta.get("runs"), run_arrays, spec, len(arrays["history.epochs"]), path)
    dataset = meta.get("dataset", {})
    extras = meta.get("extras", {})
    if not isinstance(dataset, dict) or not isinstance(extras, dict):
        raise ProjectError(f"{path}: dataset and extras must be mappings")
    return Project(spec, config, dataset, features, classes, std, epoch, arrays, optimizer,
                   extras, runs, target)


def _target_standardizer(d, path: Path) -> Standardizer:
    try:
        target = Standardizer.from_dict(d)
    except (TypeError, KeyError, ValueError):
        target = None
    if target is None or target.mean.shape != (1,) or target.scale.shape != (1,) \
            or not (np.isfinite(target.mean).all() and np.isfinite(target.scale).all()
                    and (target.scale != 0).all()):
        raise ProjectError(f"{path}: the target's standardization is malformed")
    return target


def _list(meta: dict, key: str, path: Path) -> list:
    value = meta[key]
    if not isinstance(value, list):
        raise ProjectError(f"{path}: {key} must be a list")
    return value


def _parse_json(text: bytes, path: Path) -> dict:
    try:
        meta = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ProjectError(f"{path}: {PROJECT_JSON} is not valid JSON ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ProjectError(f"{path} is not a playground project (foreign {PROJECT_JSON})")
    version = meta.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(f"{path}: format_version {version!r} is not valid")
    if version > FORMAT_VERSION:
        raise ProjectError(f"{path} was written by a newer version of the playground "
                           f"(format {version}; this version reads up to {FORMAT_VERSION}). "
                           "Please update the playground to open it.")
    while version < FORMAT_VERSION:
        meta = MIGRATIONS[version](meta)
        version += 1
        meta["format_version"] = version
    return meta


def check_dataset_fits(project: Project, dataset) -> None:
    """Refuse to pair weights with a data set whose columns or classes differ."""
    want = [f.column for f in project.features]
    have = [f.column for f in dataset.features]
    if want != have:
        raise ProjectError(f"the project was trained on columns {', '.join(want)}; the data "
                           f"set {dataset.name!r} has {', '.join(have)}")
    if project.is_regression != dataset.is_regression:
        kinds = {True: "regression", False: "classification"}
        raise ProjectError(f"the project does {kinds[project.is_regression]}; the data set "
                           f"{dataset.name!r} is for {kinds[dataset.is_regression]}")
    if tuple(project.class_names) != tuple(dataset.class_names):
        raise ProjectError(f"the project's classes ({', '.join(project.class_names)}) differ "
                           f"from the data set's ({', '.join(dataset.class_names)})")


def trainer_from_project(project: Project, dataset):
    """A trainer that continues exactly where the saved one stopped."""
    from dataclasses import replace

    from playground.core.data.split import prepare
    from playground.core.files.state_io import optimizer_to_arrays
    from playground.core.training.devices import available_devices
    from playground.core.training.trainer import Trainer

    check_dataset_fits(project, dataset)
    config = project.config
    if config.device not in ("auto", *available_devices()):
        # Saved on a machine with a GPU, opened on one without: carry on where we can.
        config = replace(config, device="auto")
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed), project.spec, config)
    # Only the per-parameter state (moments, momentum) comes from the file. The group
    # hyperparameters (betas, eps, momentum, amsgrad, capturable, ...) follow from the
    # validated config, as in a fresh optimizer: a damaged value there would only crash
    # inside torch at the next step, and a torch release that adds a setting must not
    # make older files unreadable.
    optimizer = {"state": project.optimizer["state"],
                 "param_groups": optimizer_to_arrays(trainer.optimizer)[1]["param_groups"]}
    try:
        trainer.load_state_arrays(project.arrays, {"epoch": project.epoch,
                                                   "optimizer": optimizer})
    except (ValueError, KeyError, TypeError, RuntimeError) as e:
        raise ProjectError(f"the saved state does not fit the network ({e})") from None
    # The JSON's copy of lr and weight decay must not override the validated config.
    trainer.set_learning_rate(project.config.learning_rate)
    trainer.set_weight_decay(project.config.weight_decay)
    return trainer
