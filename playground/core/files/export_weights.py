"""Export a project's weights as safetensors, described by a JSON file beside it.

`model.safetensors` holds float32 tensors only (no pickle; any language with
a safetensors reader can load it): `layers.<i>.weight` (out × in) and
`layers.<i>.bias` for each fully connected layer, and `standardization.mean`
and `standardization.scale`. `model.json` says what they mean: the features
with their units and training ranges, the classes, each layer's size and
activation, and how to apply them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from safetensors.numpy import save as st_save

from playground import __version__
from playground.core.errors import ProjectError
from playground.core.files.atomic_write import write_atomically

FORMAT = "neural-network-playground-weights"
FORMAT_VERSION = 1

ACTIVATION_FORMULAS = {
    "relu": "max(z, 0)",
    "tanh": "tanh(z)",
    "sigmoid": "1 / (1 + exp(-z))",
    "leaky_relu": "z if z > 0 else 0.01 * z",
    "gelu": "0.5 * z * (1 + erf(z / sqrt(2)))  (exact GELU, not the tanh approximation)",
    "linear": "z",
    "softmax": "exp(z - max(z)) / sum(exp(z - max(z)))  over the classes",
}


def weight_tensors(project) -> dict[str, np.ndarray]:
    """The tensors of the export, all float32 and C-contiguous."""
    tensors = {}
    for i in range(len(project.spec.hidden) + 1):
        for name in ("weight", "bias"):
            key = f"layers.{i}.{name}"
            if key not in project.arrays:
                raise ProjectError(f"the project has no {key}")
            tensors[key] = np.ascontiguousarray(project.arrays[key], dtype=np.float32)
    tensors["standardization.mean"] = np.asarray(project.standardizer.mean, np.float32)
    tensors["standardization.scale"] = np.asarray(project.standardizer.scale, np.float32)
    return tensors


def describe(project, tensors: dict[str, np.ndarray], weights_file: str) -> dict:
    """The JSON description: enough to use the weights without this application."""
    spec = project.spec
    activations = [h.activation for h in spec.hidden] + ["softmax"]
    layers = []
    for i, activation in enumerate(activations):
        out_f, in_f = tensors[f"layers.{i}.weight"].shape
        layer = {"weight": f"layers.{i}.weight", "bias": f"layers.{i}.bias",
                 "inputs": int(in_f), "outputs": int(out_f), "activation": activation}
        if i < len(spec.hidden):
            layer["dropout_in_training"] = spec.hidden[i].dropout
        layers.append(layer)
    history = project.history()
    last = {k: _number(v[-1]) for k, v in history.items() if k != "epochs" and len(v)}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "weights_file": weights_file,
        "how_to_apply": [
            "x = the raw feature values, in the order and units of 'features'",
            "x = (x - standardization.mean) / standardization.scale",
            *_engineered_steps(spec),
            "for each layer in order: x = activation(weight @ x + bias); weight is "
            "(outputs × inputs)",
            "the last layer's activation is softmax: x is then the probability of each "
            "class, in the order of 'classes'",
            "dropout is for training only: leave it out when predicting",
        ],
        "features": [{"column": f.column, "name": f.display or f.column, "unit": f.unit,
                      "training_low": _number(f.low), "training_high": _number(f.high)}
                     for f in project.features],
        "classes": list(project.class_names),
        "standardization": {"mean": "standardization.mean", "scale": "standardization.scale"},
        **({"engineered_inputs": [list(t) for t in spec.engineered]} if spec.engineered
           else {}),
        "layer_sizes": spec.widths,
        "layers": layers,
        "activations": {a: ACTIVATION_FORMULAS[a] for a in dict.fromkeys(activations)},
        "training": {"epochs": project.epoch, "config": project.config.to_dict(),
                     "dataset": project.dataset.get("name", ""), "final": last},
    }


def _engineered_steps(spec) -> list[str]:
    """The step that appends engineered inputs (x², x₁·x₂, sin x), if the network has any;
    indices count from 0 in the order of 'features'."""
    if not spec.engineered:
        return []
    parts = [f"x[{t[1]}]**2" if t[0] == "square" else f"x[{t[1]}]*x[{t[2]}]"
             if t[0] == "product" else f"sin(x[{t[1]}])" for t in spec.engineered]
    return [f"append the engineered inputs, in this order: x = concat(x, [{', '.join(parts)}])"]


def export_weights(project, path: str | Path) -> tuple[Path, Path]:
    """Write `path` (safetensors) and the description beside it (same stem, .json)."""
    path = Path(path)
    description_path = path.with_suffix(".json")
    if description_path == path:
        raise ProjectError(f"{path}: the weights need a file name other than *.json "
                           "(the description goes beside them with that suffix)")
    tensors = weight_tensors(project)
    text = json.dumps(describe(project, tensors, path.name), indent=2, allow_nan=False)
    blob = st_save(tensors, metadata={"format": FORMAT, "description": description_path.name})
    write_atomically(path, blob)
    write_atomically(description_path, (text + "\n").encode("utf-8"))
    return path, description_path


def _number(value) -> float | None:
    """A float for JSON; null where it is not finite (strict JSON has no NaN)."""
    value = float(value)
    return value if math.isfinite(value) else None
