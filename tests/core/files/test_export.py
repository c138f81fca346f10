"""Exports: ONNX (checked in onnxruntime), safetensors + JSON, and the training script
(run as `python train.py` and under `torchrun` with two processes)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load as st_load

from playground.cli import main
from playground.core.data.data_loaders import load_csv
from playground.core.data.split import prepare
from playground.core.errors import ProjectError
from playground.core.files.export_onnx import export_onnx
from playground.core.files.export_script import export_script, render_script, script_config
from playground.core.files.export_weights import export_weights
from playground.core.files.project import load_project, project_from_trainer, save_project
from playground.core.network.engineered import make_terms
from playground.core.network.forward import activate, softmax
from playground.core.network.spec import ACTIVATIONS, LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer

ort = pytest.importorskip("onnxruntime")

# A network with dropout, trained in mini-batches: what the script must rebuild.
SPEC = NetworkSpec(4, 3, (LayerSpec(10, "relu", 0.1), LayerSpec(6, "gelu")))
CONFIG = TrainingConfig(optimizer="adam", learning_rate=0.01, batch_size=32, epochs=60,
                        seed=3, device="cpu")
SCRIPT_TIMEOUT = 120


def train(dataset, spec, config, epochs):
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed), spec, config)
    trainer.run(epochs)
    return trainer


@pytest.fixture(scope="module")
def saved(penguins, tmp_path_factory):
    """A project trained 30 epochs, saved and opened again (as a user's file would be)."""
    trainer = train(penguins, SPEC, CONFIG, 30)
    path = tmp_path_factory.mktemp("project") / "penguins.pgproj"
    save_project(project_from_trainer(trainer, penguins), path)
    return path, load_project(path), trainer


def raw_rows(dataset, n=20):
    return dataset.x[:n].astype(np.float32)


def reference_probabilities(project, raw):
    predictor = project.predictor()
    return np.stack([predictor.probabilities(row) for row in raw])


def onnx_session(path):
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


# --- ONNX ---------------------------------------------------------------------------

def test_onnx_takes_raw_inputs_and_matches_pytorch(saved, penguins, tmp_path):
    _, project, trainer = saved
    path = export_onnx(project, tmp_path / "model.onnx")
    session = onnx_session(path)
    (inp,), (out,) = session.get_inputs(), session.get_outputs()
    assert (inp.name, out.name) == ("features", "probabilities")
    assert isinstance(inp.shape[0], str) and inp.shape[1] == 4  # a named, dynamic batch axis
    assert out.shape[1] == 3

    raw = raw_rows(penguins, 20)
    got = session.run(None, {"features": raw})[0]
    assert got.shape == (20, 3)
    np.testing.assert_allclose(got, reference_probabilities(project, raw), atol=1e-5, rtol=0)
    # ... and the live PyTorch model, given the same rows standardized
    torch_probs = trainer.predict_proba(project.standardizer.transform(raw))
    np.testing.assert_allclose(got, torch_probs, atol=1e-5, rtol=0)
    assert got.argmax(1).tolist() == torch_probs.argmax(1).tolist()

    one = session.run(None, {"features": raw[5:6]})[0]
    assert one.shape == (1, 3)
    np.testing.assert_allclose(one[0], got[5], atol=1e-6)

    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["playground.classes"]) == list(project.class_names)
    assert json.loads(meta["playground.features"]) == [f.column for f in project.features]


def test_onnx_every_activation(penguins, tmp_path):
    spec = NetworkSpec(4, 3, tuple(LayerSpec(5, a, 0.2 if i % 2 else 0.0)
                                   for i, a in enumerate(ACTIVATIONS)))
    trainer = train(penguins, spec, CONFIG, 3)
    project = project_from_trainer(trainer, penguins)
    session = onnx_session(export_onnx(project, tmp_path / "deep.onnx"))
    # real rows and values outside the training range, in raw units
    raw = np.concatenate([raw_rows(penguins, 40), raw_rows(penguins, 10) * 1.7])
    got = session.run(None, {"features": raw})[0]
    np.testing.assert_allclose(got, reference_probabilities(project, raw), atol=1e-5, rtol=0)


# Every kind of engineered input, over all four features (x², x₁·x₂, sin x).
ENGINEERED = make_terms(("square", "product", "sin"), [0, 1, 2, 3])


def test_onnx_with_engineered_inputs_takes_raw_measurements(penguins, tmp_path):
    spec = NetworkSpec(4, 3, (LayerSpec(6, "tanh", 0.1),), ENGINEERED)
    trainer = train(penguins, spec, CONFIG, 10)
    project = project_from_trainer(trainer, penguins)
    session = onnx_session(export_onnx(project, tmp_path / "eng.onnx"))
    assert session.get_inputs()[0].shape[1] == 4  # the features alone: the rest is inside
    raw = np.concatenate([raw_rows(penguins, 40), raw_rows(penguins, 10) * 1.3])
    got = session.run(None, {"features": raw})[0]
    np.testing.assert_allclose(got, trainer.predict_proba(project.standardizer.transform(raw)),
                               atol=1e-5, rtol=0)
    np.testing.assert_allclose(got, reference_probabilities(project, raw), atol=1e-5, rtol=0)


def test_onnx_without_the_exporter_is_a_clear_error(saved, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "onnxscript" else real(name, *a))
    with pytest.raises(ProjectError, match="pip install onnxscript"):
        export_onnx(saved[1], tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


# --- safetensors + JSON --------------------------------------------------------------

def test_weights_round_trip_and_description(saved, penguins, tmp_path):
    _, project, _ = saved
    weights, description = export_weights(project, tmp_path / "model.safetensors")
    assert description == tmp_path / "model.json"
    tensors = st_load(weights.read_bytes())
    assert set(tensors) == {"layers.0.weight", "layers.0.bias", "layers.1.weight",
                            "layers.1.bias", "layers.2.weight", "layers.2.bias",
                            "standardization.mean", "standardization.scale"}
    assert all(t.dtype == np.float32 for t in tensors.values())
    for i in range(3):
        for name in ("weight", "bias"):
            key = f"layers.{i}.{name}"
            np.testing.assert_array_equal(tensors[key], project.arrays[key])
    np.testing.assert_array_equal(tensors["standardization.mean"],
                                  project.standardizer.mean.astype(np.float32))
    np.testing.assert_array_equal(tensors["standardization.scale"],
                                  project.standardizer.scale.astype(np.float32))
    with safe_open(weights, "np") as f:
        assert f.metadata()["description"] == "model.json"

    info = json.loads(description.read_text())
    assert info["weights_file"] == "model.safetensors"
    assert info["layer_sizes"] == [4, 10, 6, 3]
    assert [layer["activation"] for layer in info["layers"]] == ["relu", "gelu", "softmax"]
    assert info["classes"] == ["Adelie", "Gentoo", "Chinstrap"]
    assert [f["column"] for f in info["features"]] == [f.column for f in project.features]
    assert info["features"][3]["unit"] == "g"
    assert info["features"][0]["training_low"] == project.features[0].low

    # Following the description by hand gives the application's probabilities.
    raw = raw_rows(penguins, 20).astype(np.float64)
    x = (raw - tensors[info["standardization"]["mean"]]) / tensors["standardization.scale"]
    for layer in info["layers"]:
        z = x @ tensors[layer["weight"]].T + tensors[layer["bias"]]
        x = softmax(z) if layer["activation"] == "softmax" else activate(layer["activation"], z)
    np.testing.assert_allclose(x, reference_probabilities(project, raw), atol=1e-5, rtol=0)


def test_weights_describe_engineered_inputs(penguins, tmp_path):
    trainer = train(penguins, NetworkSpec(4, 3, (LayerSpec(5),), ENGINEERED), CONFIG, 5)
    project = project_from_trainer(trainer, penguins)
    weights, description = export_weights(project, tmp_path / "eng.safetensors")
    tensors, info = st_load(weights.read_bytes()), json.loads(description.read_text())
    assert info["layer_sizes"] == [13, 5, 3]
    assert info["engineered_inputs"] == [list(t) for t in ENGINEERED]
    assert any("x[0]*x[1]" in step for step in info["how_to_apply"])
    raw = raw_rows(penguins, 20).astype(np.float64)
    x = (raw - tensors["standardization.mean"]) / tensors["standardization.scale"]
    extra = [x[:, t[1]] ** 2 if t[0] == "square" else x[:, t[1]] * x[:, t[2]]
             if t[0] == "product" else np.sin(x[:, t[1]]) for t in info["engineered_inputs"]]
    x = np.column_stack([x, *extra])
    for layer in info["layers"]:
        z = x @ tensors[layer["weight"]].T + tensors[layer["bias"]]
        x = softmax(z) if layer["activation"] == "softmax" else activate(layer["activation"], z)
    np.testing.assert_allclose(x, reference_probabilities(project, raw), atol=1e-5, rtol=0)


def test_weights_refuse_a_json_name_and_report_unwritable_places(saved, tmp_path):
    with pytest.raises(ProjectError, match="other than"):
        export_weights(saved[1], tmp_path / "model.json")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ProjectError, match="could not write"):
        export_weights(saved[1], blocker / "model.safetensors")


# --- the training script -------------------------------------------------------------

def script_metrics(path) -> dict:
    return json.loads(Path(path).read_text())


def test_script_is_standalone_and_keeps_the_settings(saved, tmp_path):
    path, project, trainer = saved
    script, data = export_script(project, tmp_path / "out", project_path=path)
    assert script == tmp_path / "out" / "train.py" and data == tmp_path / "out" / "data"
    # The rows as the playground prepared them: standardized, split, no CSV to misread.
    for name in ("train_x", "train_y", "val_x", "val_y"):
        np.testing.assert_array_equal(np.load(data / f"{name}.npy", allow_pickle=False),
                                      getattr(trainer.data, name))
    source = script.read_text()
    assert "{{" not in source
    tree = ast.parse(source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert imported - set(sys.stdlib_module_names) == {"numpy", "torch"}
    config = embedded_config(source)
    assert config["network"] == SPEC.to_dict()
    assert config["training"] == {k: v for k, v in CONFIG.to_dict().items() if k != "device"}
    assert config["data"]["files"]["train_x"] == "data/train_x.npy"
    assert config["data"]["features"] == [f.column for f in project.features]
    assert config["data"]["classes"] == ["Adelie", "Gentoo", "Chinstrap"]
    assert config["data"]["source"]["name"] == project.dataset["name"]
    assert config["data"]["source"]["sha256"] == project.dataset["sha256"]
    assert config["project"]["standardization"] == project.standardizer.to_dict()


def embedded_config(source: str) -> dict:
    """The CONFIG = json.loads(r'''...''') blob, read the way Python reads it."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "CONFIG":
            return json.loads(node.value.args[0].value)
    raise AssertionError("no CONFIG in the script")


def test_script_config_survives_quotes_and_backslashes(saved):
    config = script_config(saved[1], saved[2].data)
    config["data"]["classes"] = ["it's", "'''", '"""', "back\\slash", "new\nline", "é"]
    assert embedded_config(render_script(config)) == config


def test_script_stops_early_like_the_app(penguins, tmp_path):
    spec = NetworkSpec(4, 3, (LayerSpec(64), LayerSpec(64)))
    config = TrainingConfig(learning_rate=0.05, epochs=3000, patience=20, device="cpu")
    trainer = Trainer(prepare(penguins, config.val_fraction, config.seed), spec, config)
    stats = trainer.run(3000)
    assert stats.stopped_early
    script, _ = export_script(project_from_trainer(trainer, penguins), tmp_path / "es")
    metrics = tmp_path / "metrics.json"
    done = subprocess.run([sys.executable, script.name, "--metrics", str(metrics)],
                          cwd=script.parent, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "stopped early" in done.stdout
    history = script_metrics(metrics)["history"]
    # The same run, step for step, so it stops at the same epoch as the app did.
    assert history["epoch"][-1] == trainer.epoch


def test_script_trains_with_engineered_inputs_like_the_app(penguins, tmp_path):
    spec = NetworkSpec(4, 3, (LayerSpec(6, "relu", 0.1),), ENGINEERED)
    trainer = train(penguins, spec, CONFIG, 20)
    script, _ = export_script(project_from_trainer(trainer, penguins), tmp_path / "eng")
    assert embedded_config(script.read_text())["network"]["engineered"][4] == ["product", 0, 1]
    metrics = tmp_path / "metrics.json"
    done = subprocess.run([sys.executable, script.name, "--epochs", "40", "--metrics",
                           str(metrics)], cwd=script.parent, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "Training 13 → 6 → 3" in done.stdout
    history = script_metrics(metrics)["history"]
    assert history["val_accuracy"][-1] >= 0.9
    # The same model, split, initial weights and batches: the app's run, step for step.
    np.testing.assert_allclose(history["train_loss"][:20], trainer.history.arrays()[
        "train_loss"], atol=1e-4)


def test_script_trains_with_the_l1_penalty_like_the_app(penguins, tmp_path):
    spec = NetworkSpec(4, 3, (LayerSpec(12),))
    config = TrainingConfig(batch_size=64, epochs=40, l1=0.01, device="cpu")
    trainer = train(penguins, spec, config, 40)
    script, _ = export_script(project_from_trainer(trainer, penguins), tmp_path / "l1")
    assert embedded_config(script.read_text())["training"]["l1"] == 0.01
    metrics = tmp_path / "metrics.json"
    weights = tmp_path / "weights.npz"
    done = subprocess.run([sys.executable, script.name, "--metrics", str(metrics), "--save",
                           str(weights)], cwd=script.parent, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stderr
    history = script_metrics(metrics)["history"]
    # Step for step the app's run: the penalty is in the steps, not in the reported loss.
    np.testing.assert_allclose(history["train_loss"], trainer.history["train_loss"],
                               atol=1e-4)
    np.testing.assert_allclose(history["val_loss"], trainer.history["val_loss"], atol=1e-4)
    with np.load(weights) as saved:
        np.testing.assert_allclose(saved["layers.0.weight"], trainer.snapshot().weights[0],
                                   atol=1e-4)


def test_script_needs_the_unchanged_data_file(penguins, tmp_path):
    csv = tmp_path / "birds.csv"
    csv.write_bytes(Path(penguins.identity["path"]).read_bytes())
    dataset = load_csv(csv, "species", [f.column for f in penguins.features])
    project = project_from_trainer(train(dataset, SPEC, CONFIG, 1), dataset)
    script, _ = export_script(project, tmp_path / "ok")
    source = embedded_config(script.read_text())["data"]["source"]
    assert source["path"] == "birds.csv" and source["sha256"] == dataset.identity["sha256"]

    csv.write_text(csv.read_text() + "Adelie,Dream,40,18,190,3700,male,2009\n")
    with pytest.raises(ProjectError, match="has changed"):
        export_script(project, tmp_path / "changed")
    csv.unlink()
    with pytest.raises(ProjectError, match="missing"):
        export_script(project, tmp_path / "gone")


# --- the command line ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["onnx", "safetensors", "script"])
def test_cli_exports_each_format(saved, tmp_path, capsys, fmt):
    out = tmp_path / {"onnx": "m.onnx", "safetensors": "m.safetensors", "script": "job"}[fmt]
    assert main(["export", "--model", str(saved[0]), "--format", fmt, "--out", str(out)]) == 0
    expected = {"onnx": [out], "safetensors": [out, tmp_path / "m.json"],
                "script": [out / "train.py", out / "data"]}[fmt]
    assert all(p.is_dir() or p.is_file() and p.stat().st_size > 0 for p in expected)
    printed = capsys.readouterr().out
    assert all(str(p) in printed for p in expected)


@pytest.mark.parametrize("args, message", [
    (["--format", "torchscript"], "invalid choice"),
    (["--model", "MISSING"], "no such file"),
    (["--format", "script", "--out", "FILE"], "is a file"),
])
def test_cli_bad_input_is_one_line_and_exit_2(saved, tmp_path, capsys, args, message):
    a_file = tmp_path / "plain.txt"
    a_file.write_text("not a folder")
    base = {"--model": str(saved[0]), "--format": "onnx", "--out": str(tmp_path / "x")}
    pairs = dict(zip(args[::2], args[1::2], strict=True))
    pairs = {k: {"MISSING": str(tmp_path / "nope.pgproj"), "FILE": str(a_file)}.get(v, v)
             for k, v in pairs.items()}
    argv = ["export", *(x for kv in {**base, **pairs}.items() for x in kv)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()
