"""The runs in a project file: their entries in project.json and their curves as
"runs.<i>.<curve>" tensors, checked as strictly as the rest of the file.

A damaged or hostile entry refuses the whole file (one ProjectError naming
it): a run list that silently lost a run would be worse than a clear message.
"""

from __future__ import annotations

import numpy as np

from playground.core.errors import PlaygroundError, ProjectError
from playground.core.network.spec import NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.runs import CURVES, SavedRun

MAX_RUNS = 1000
MAX_CURVE = 200_000_000  # epochs per run, as for the project's own history
MAX_NAME = 200
ENTRY_KEYS = {"number", "name", "network", "config", "current"}


def split_run_arrays(arrays: dict) -> dict:
    """Take the "runs.*" tensors out of `arrays` (which then holds the trainer's only)."""
    return {k: arrays.pop(k) for k in [k for k in arrays if k.startswith("runs.")]}


def read_runs(entries, arrays: dict, spec: NetworkSpec, history_length: int,
              path) -> tuple[SavedRun, ...]:
    if not isinstance(entries, list):
        raise ProjectError(f"{path}: runs must be a list")
    if len(entries) > MAX_RUNS:
        raise ProjectError(f"{path}: {len(entries)} runs is more than a project holds")
    runs, numbers, used = [], set(), set()
    for i, entry in enumerate(entries):
        run = _read_entry(i, entry, spec, path)
        if run.number in numbers:
            raise ProjectError(f"{path}: two runs are numbered {run.number}")
        numbers.add(run.number)
        if run.current:
            if any(r.current for r in runs):
                raise ProjectError(f"{path}: more than one run is marked current")
            if history_length == 0:
                raise ProjectError(f"{path}: run {run.number} is marked current but the "
                                   "project has no training curves")
        else:
            keys = [f"runs.{i}.{k}" for k in CURVES]
            used.update(keys)
            run = SavedRun(run.number, run.name, run.spec, run.config, False,
                           _read_curves(run.number, keys, arrays, path))
        runs.append(run)
    stray = sorted(set(arrays) - used)
    if stray:
        raise ProjectError(f"{path}: unexpected tensor {stray[0]!r}")
    return tuple(runs)


def _read_entry(i: int, entry, spec: NetworkSpec, path) -> SavedRun:
    where = f"{path}: run entry {i}"
    if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
        raise ProjectError(f"{where} must hold exactly {', '.join(sorted(ENTRY_KEYS))}")
    number, name, current = entry["number"], entry["name"], entry["current"]
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number < 2**31:
        raise ProjectError(f"{where}: number must be a whole number ≥ 1, not {number!r}")
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME or "\n" in name:
        raise ProjectError(f"{where}: the name must be one line of at most {MAX_NAME} "
                           "characters")
    if not isinstance(current, bool):
        raise ProjectError(f"{where}: current must be true or false")
    try:
        run_spec = NetworkSpec.from_dict(entry["network"])
        config = TrainingConfig.from_dict(entry["config"])
    except PlaygroundError as e:
        raise ProjectError(f"{where}: {e}") from None
    # A run is restorable only on the data the project's network fits.
    if (run_spec.n_inputs, run_spec.n_outputs) != (spec.n_inputs, spec.n_outputs):
        raise ProjectError(f"{where}: its network has {run_spec.n_inputs} inputs and "
                           f"{run_spec.n_outputs} outputs; the project's has "
                           f"{spec.n_inputs} and {spec.n_outputs}")
    return SavedRun(number, name, run_spec, config, current, None)


def _read_curves(number: int, keys: list[str], arrays: dict, path) -> dict:
    curves, lengths = {}, set()
    for key in keys:
        a = arrays.get(key)
        if a is None:
            raise ProjectError(f"{path}: run {number}'s curve {key} is missing")
        if a.ndim != 1 or a.dtype.kind != "f" or a.dtype.itemsize < 4:
            raise ProjectError(f"{path}: run {number}'s curve {key} is {a.dtype}"
                               f"{list(a.shape)}, not a list of float32 or float64 values")
        lengths.add(len(a))
        curves[key.rsplit(".", 1)[1]] = a
    length = lengths.pop()
    if lengths or not 1 <= length <= MAX_CURVE:
        raise ProjectError(f"{path}: run {number}'s curves have different or impossible "
                           "lengths")
    epochs = curves["epochs"]
    if not np.isfinite(epochs).all() or (np.diff(epochs) <= 0).any():
        raise ProjectError(f"{path}: run {number}'s epoch numbers are not increasing "
                           "finite numbers")
    return curves
