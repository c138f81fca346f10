"""Export a project to ONNX: raw measurements in, class probabilities out.

The graph takes inputs in the data set's own units (millimetres, grams), so a
user of the file need not know the standardization: it is folded in as
float32 constants, (x − mean) / scale, ahead of the layers, and so are a network's
engineered inputs (x², x₁·x₂, sin x of the standardized features). Dropout is left
out (it only acts in training) and the output is the softmax over the classes.
The batch axis is dynamic: one row or a million.

Input "features": float32 [batch, n_features] in the project's feature order.
Output "probabilities": float32 [batch, n_classes] in the project's class order.
Both orders are also stored in the model's metadata.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from playground import __version__
from playground.core.errors import ProjectError
from playground.core.files.atomic_write import write_atomically
from playground.core.network.model import build_model, linear_layers

INPUT_NAME = "features"
OUTPUT_NAME = "probabilities"
VALUE_NAME = "value"  # a regression network's output: the predicted value, in data units


class RawInputClassifier(nn.Module):
    """Standardize raw inputs, run the layers, return softmax probabilities (or, for
    regression, the predicted value in the data's units)."""

    def __init__(self, project) -> None:
        super().__init__()
        spec = project.spec
        std = project.standardizer
        self.register_buffer("mean", torch.as_tensor(np.asarray(std.mean, np.float32)))
        self.register_buffer("scale", torch.as_tensor(np.asarray(std.scale, np.float32)))
        self.regression = project.is_regression
        if self.regression:
            target = project.target
            self.register_buffer("target_mean", torch.tensor(float(target.mean[0])))
            self.register_buffer("target_scale", torch.tensor(float(target.scale[0])))
        # The same layers and activations as the trainer builds, without dropout modules.
        # Engineered inputs (x², x₁·x₂, sin x) are computed inside, from the standardized
        # features: the graph still takes the raw measurements alone.
        plain = replace(spec, hidden=tuple(replace(h, dropout=0.0) for h in spec.hidden))
        self.layers = build_model(plain, seed=0)
        with torch.no_grad():
            for i, linear in enumerate(linear_layers(self.layers)):
                for name in ("weight", "bias"):
                    value = np.asarray(project.arrays[f"layers.{i}.{name}"], np.float32)
                    target = getattr(linear, name)
                    if tuple(value.shape) != tuple(target.shape):
                        raise ProjectError(f"layers.{i}.{name} has shape {value.shape}; the "
                                           f"network needs {tuple(target.shape)}")
                    target.copy_(torch.from_numpy(value))
        self.eval()

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        out = self.layers((features - self.mean) / self.scale)
        if self.regression:
            return out * self.target_scale + self.target_mean
        return torch.softmax(out, dim=1)


def _check_exporter_installed() -> None:
    missing = [m for m in ("onnx", "onnxscript") if importlib.util.find_spec(m) is None]
    if missing:
        raise ProjectError(f"ONNX export needs the package(s) {', '.join(missing)}; "
                           f"install them with: pip install {' '.join(missing)}")


@contextlib.contextmanager
def _quiet_exporter():
    """The exporter logs a warning per optional torchvision op it skips; not our news."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logger.setLevel(level)


def onnx_bytes(project) -> bytes:
    """The serialized ONNX model of a project (see the module's docstring)."""
    _check_exporter_installed()
    module = RawInputClassifier(project)
    output = VALUE_NAME if project.is_regression else OUTPUT_NAME
    what = "the predicted value" if project.is_regression else "the class probabilities"
    # Export traces with a batch of 2: a batch of 1 could be specialized to a constant.
    example = torch.as_tensor(np.asarray(project.standardizer.mean, np.float32)).repeat(2, 1)
    batch = torch.export.Dim("batch")
    try:
        with _quiet_exporter(), torch.no_grad():
            program = torch.onnx.export(
                module, (example,), input_names=[INPUT_NAME], output_names=[output],
                dynamic_shapes={INPUT_NAME: {0: batch}}, dynamo=True, verbose=False)
        model = program.model_proto
    except Exception as e:  # the exporter's failures come in many types; one message here
        raise ProjectError(f"could not convert the network to ONNX ({type(e).__name__}: "
                           f"{str(e).splitlines()[0] if str(e) else 'no details'})") from None
    model.doc_string = (f"Neural Network Playground {__version__}: input {INPUT_NAME!r} holds "
                        "raw feature values (standardization is inside); output "
                        f"{output!r} holds {what}.")
    metadata = {
        "playground.features": json.dumps([f.column for f in project.features]),
        "playground.units": json.dumps([f.unit for f in project.features]),
        "playground.classes": json.dumps(list(project.class_names)),
        "playground.epoch": str(project.epoch),
    }
    del model.metadata_props[:]
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    try:
        return model.SerializeToString()
    except ValueError as e:  # protobuf refuses messages over 2 GiB
        raise ProjectError(f"the network is too large for one ONNX file ({e})") from None


def export_onnx(project, path: str | Path) -> Path:
    """Write the project's network as an ONNX file, atomically; return the path."""
    return write_atomically(path, onnx_bytes(project))
