"""Check a project's tensors against its spec before they touch a model."""

from __future__ import annotations

import numpy as np

from playground.core.errors import ProjectError
from playground.core.network.spec import NetworkSpec
from playground.core.training.history import METRICS

MAX_TENSORS = 1024
MAX_HISTORY = 200_000_000
# The per-parameter state each optimizer keeps once it has taken a step.
OPTIMIZER_STATE_KEYS = {
    "sgd": {"momentum_buffer"},
    "momentum": {"momentum_buffer"},
    "adam": {"step", "exp_avg", "exp_avg_sq"},
    "adamw": {"step", "exp_avg", "exp_avg_sq"},
    "rmsprop": {"step", "square_avg"},
}


def expected_parameter_shapes(spec: NetworkSpec) -> list[tuple[str, tuple[int, ...]]]:
    """(name, shape) of every parameter, in the order the optimizer sees them."""
    w = spec.widths
    out = []
    for i, (n_in, n_out) in enumerate(zip(w, w[1:], strict=False)):
        out += [(f"layers.{i}.weight", (n_out, n_in)), (f"layers.{i}.bias", (n_out,))]
    return out


def check_arrays(arrays: dict, spec: NetworkSpec, optimizer: dict, kind: str, path) -> None:
    if len(arrays) > MAX_TENSORS:
        raise ProjectError(f"{path}: {len(arrays)} tensors is more than a project holds")
    params = expected_parameter_shapes(spec)
    for name, shape in params:
        a = arrays.get(name)
        if a is None:
            raise ProjectError(f"{path}: tensor {name} is missing")
        if a.shape != shape or a.dtype != np.float32:
            raise ProjectError(f"{path}: tensor {name} is {a.dtype}{list(a.shape)} but the "
                               f"network needs float32{list(shape)}")
        if not np.isfinite(a).all():
            raise ProjectError(f"{path}: tensor {name} holds NaN or infinite weights")
    _check_optimizer(arrays, optimizer, params, kind, path)
    rng = arrays.get("rng.generator")
    if rng is None or rng.dtype != np.uint8 or rng.ndim != 1:
        raise ProjectError(f"{path}: the random generator state is missing or malformed")
    lengths = set()
    for key in ("epochs", *METRICS):
        a = arrays.get(f"history.{key}")
        if a is None or a.ndim != 1 or a.dtype.kind != "f":
            raise ProjectError(f"{path}: history.{key} is missing or malformed")
        lengths.add(len(a))
    if len(lengths) != 1 or lengths.pop() > MAX_HISTORY:
        raise ProjectError(f"{path}: the history curves have different lengths")
    known = {n for n, _ in params} | {"rng.generator"} | {f"history.{k}" for k in
                                                          ("epochs", *METRICS)}
    extra = [k for k in arrays if k not in known and not k.startswith("optim.")]
    if extra:
        raise ProjectError(f"{path}: unexpected tensor {extra[0]!r}")


def _check_optimizer(arrays: dict, optimizer: dict, params: list, kind: str, path) -> None:
    if not isinstance(optimizer, dict) or not isinstance(optimizer.get("state"), dict) \
            or not isinstance(optimizer.get("param_groups"), list):
        raise ProjectError(f"{path}: the optimizer state is malformed")
    groups = optimizer["param_groups"]
    if len(groups) != 1 or not isinstance(groups[0], dict) \
            or groups[0].get("params") != list(range(len(params))):
        raise ProjectError(f"{path}: the optimizer's parameter groups do not fit the network")
    described = set()
    for index, entries in optimizer["state"].items():
        if not str(index).isdigit() or int(index) >= len(params) or not isinstance(entries,
                                                                                  dict):
            raise ProjectError(f"{path}: optimizer state for unknown parameter {index!r}")
        shape = params[int(index)][1]
        if set(entries) != OPTIMIZER_STATE_KEYS[kind]:
            raise ProjectError(f"{path}: the optimizer state does not belong to {kind}")
        for key, how in entries.items():
            if not isinstance(how, dict):
                raise ProjectError(f"{path}: optimizer state {index}.{key} is malformed")
            if how.get("tensor"):
                name = f"optim.{index}.{key}"
                a = arrays.get(name)
                described.add(name)
                # "step" is a scalar count; every other entry is shaped like its parameter.
                # (Allowing either shape for any entry let swapped tensors through, to
                # crash torch's step later.)
                want = () if key == "step" else shape
                if a is None or a.dtype.kind != "f" or a.shape != want:
                    raise ProjectError(f"{path}: optimizer tensor {name} does not fit the "
                                       "network")
                if key == "step" and not (np.isfinite(a) and a >= 0):
                    raise ProjectError(f"{path}: optimizer step count {name} is {a!r}")
            elif how.get("value") is not None or key != "momentum_buffer":
                # Only a momentum buffer may be absent (None: no step taken yet); a number
                # in place of a moment tensor would crash the optimizer's next step.
                raise ProjectError(f"{path}: optimizer state {index}.{key} is malformed")
    stray = [k for k in arrays if k.startswith("optim.") and k not in described]
    if stray:
        raise ProjectError(f"{path}: unexpected optimizer tensor {stray[0]!r}")
