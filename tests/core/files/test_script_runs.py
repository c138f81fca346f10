"""The exported training script for every kind of project, and the way back.

Each project kind is exported, run as `python train.py` and under `torchrun` with two
CPU processes (gloo), and must learn; the project file it writes must open in the
playground, predict what the script's final model predicts, and train on.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from import_files import shops

from playground.bench.script_scale import torchrun_command
from playground.core.data.builtin_data import project_dataset
from playground.core.data.data_loaders import load_csv
from playground.core.data.split import prepare
from playground.core.data.toy_data import make_toy
from playground.core.files.export_script import export_script
from playground.core.files.project import (
    load_project,
    project_from_trainer,
    save_project,
    trainer_from_project,
)
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer

SCRIPT_TIMEOUT = 120


def run_script(folder: Path, launcher: str, *args: str) -> subprocess.CompletedProcess:
    start = [sys.executable] if launcher == "python" else [
        *torchrun_command(), "--standalone", "--nproc_per_node=2"]
    try:
        return subprocess.run([*start, "train.py", "--device", "cpu", *args], cwd=folder,
                              capture_output=True, text=True, timeout=SCRIPT_TIMEOUT,
                              env={**os.environ, "OMP_NUM_THREADS": "1"})
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{launcher} train.py did not finish in {SCRIPT_TIMEOUT} s: {e.stderr}")


def project_for(dataset, spec, config):
    """A project as the playground saves it (one epoch trained: the script starts over)."""
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed), spec, config)
    trainer.run(1)
    return project_from_trainer(trainer, dataset)


def penguins_case(penguins, tmp_path):
    return project_for(penguins, NetworkSpec(4, 3, (LayerSpec(8),)),
                       TrainingConfig(epochs=40, device="cpu"))


def circles_case(penguins, tmp_path):  # a toy set, in mini-batches
    return project_for(make_toy("circles", 0.1, 0, 400), NetworkSpec(2, 2, (LayerSpec(8, "tanh"),)),
                       TrainingConfig(batch_size=32, epochs=25, device="cpu"))


def surface_case(penguins, tmp_path):  # regression
    return project_for(make_toy("surface", 0.1, 0, 400),
                       NetworkSpec(2, 1, (LayerSpec(16, "tanh"), LayerSpec(16, "tanh"))),
                       TrainingConfig(epochs=120, device="cpu"))


def shops_case(penguins, tmp_path):  # an imported file: a one-hot column, a filled gap
    dataset = load_csv(shops(tmp_path), "segment", ["region", "visits", "spend"],
                       missing="fill")
    assert any(f.is_one_hot for f in dataset.features)
    assert dataset.identity["import"]["missing"] == "fill"
    return project_for(dataset, NetworkSpec(len(dataset.features), 2, (LayerSpec(8),)),
                       TrainingConfig(epochs=60, device="cpu"))


# make the project, the score it must reach
CASES = {"penguins": (penguins_case, 0.9), "circles": (circles_case, 0.9),
         "surface": (surface_case, 0.85), "shops": (shops_case, 0.8)}


def assert_project_is_the_scripts(folder: Path, metrics: dict, epochs: int):
    """The written project: the whole run's curves, and the final model's predictions."""
    project = load_project(folder / "trained.pgproj")
    assert project.epoch == epochs
    history = project.history()
    assert history["epochs"].tolist() == list(range(1, epochs + 1))
    score = "val_r2" if project.is_regression else "val_accuracy"
    assert history["val_accuracy"][-1] == pytest.approx(metrics["final"][score], abs=1e-6)
    # What the prediction panel computes from the raw measurements of validation rows.
    val_x = np.load(folder / "data" / "val_x.npy", allow_pickle=False)[:8]
    raw = val_x.astype(np.float64) * project.standardizer.scale + project.standardizer.mean
    predictor = project.predictor()
    got = np.stack([predictor.probabilities(row) for row in raw])
    np.testing.assert_allclose(got, metrics["val_outputs"], atol=1e-5, rtol=0)
    return project


@pytest.mark.parametrize("launcher", ["python", "torchrun"])
@pytest.mark.parametrize("case", list(CASES))
def test_every_project_exports_learns_and_comes_back(penguins, tmp_path, case, launcher):
    make, bound = CASES[case]
    project = make(penguins, tmp_path)
    script, _ = export_script(project, tmp_path / "job")
    epochs = project.config.epochs
    done = run_script(script.parent, launcher)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((script.parent / "metrics.json").read_text())
    assert metrics["world_size"] == (1 if launcher == "python" else 2)
    rows = metrics["rows_per_process"]
    assert min(rows) > 0 and sum(rows) == project_data_rows(script.parent)
    score = metrics["final"]["val_r2" if project.is_regression else "val_accuracy"]
    assert score >= bound, done.stdout
    back = assert_project_is_the_scripts(script.parent, metrics, epochs)
    dataset = project_dataset(back.dataset, back.features, back.class_names)
    if launcher == "python" or not project.config.batch_size:
        # One process repeats the playground's run step for step (split, initial weights,
        # batch order, dropout masks); two that each read half of the rows do too when
        # the whole training set is one batch.
        app = Trainer(prepare(dataset, project.config.val_fraction, project.config.seed),
                      project.spec, project.config)
        app.run(epochs)
        for key in ("train_loss", "val_loss"):
            np.testing.assert_allclose(metrics["history"][key], app.history[key], atol=1e-4)
    # Training on, as the window does when it opens the file.
    trainer = trainer_from_project(back, dataset)
    trainer.run(2)
    assert trainer.epoch == epochs + 2 and np.isfinite(trainer.history["train_loss"]).all()


def project_data_rows(folder: Path) -> int:
    return len(np.load(folder / "data" / "train_y.npy", allow_pickle=False))


def test_resume_continues_the_run_as_the_playground_would(penguins, tmp_path):
    project = circles_case(penguins, tmp_path)  # mini-batches: the batch order matters
    script, _ = export_script(project, tmp_path / "job")
    folder = script.parent
    half = run_script(folder, "python", "--epochs", "6", "--project", "half.pgproj")
    assert half.returncode == 0, half.stderr
    resumed = run_script(folder, "python", "--epochs", "12", "--resume", "half.pgproj",
                         "--project", "resumed.pgproj")
    assert resumed.returncode == 0, resumed.stderr
    assert "from epoch 6" in resumed.stdout
    # The playground trains on from the same file: the same weights, optimizer state,
    # random generator and the whole run's curves.
    saved = load_project(folder / "half.pgproj")
    app = trainer_from_project(saved, project_dataset(saved.dataset))
    app.run(6)
    arrays, _ = app.state_arrays()
    got = load_project(folder / "resumed.pgproj")
    assert got.epoch == 12 and set(got.arrays) == set(arrays)
    for key, value in arrays.items():
        np.testing.assert_allclose(got.arrays[key], value, atol=1e-5, err_msg=key)


def test_an_interrupted_run_leaves_its_last_checkpoint(penguins, tmp_path):
    script, _ = export_script(penguins_case(penguins, tmp_path), tmp_path / "job")
    checkpoint = script.parent / "trained.pgproj"
    run = subprocess.Popen([sys.executable, "train.py", "--epochs", "10000000",
                            "--checkpoint-every", "50"], cwd=script.parent,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SCRIPT_TIMEOUT
        while not checkpoint.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        run.kill()
        run.wait()
    assert checkpoint.exists(), run.stderr.read()
    saved = load_project(checkpoint)  # written atomically: never half a file
    assert saved.epoch > 0 and saved.epoch % 50 == 0
    assert len(saved.history()["epochs"]) == saved.epoch


@pytest.mark.parametrize("content, words", [
    (b"not a zip", ["not a readable playground project"]),
    (None, ["network differs"]),
])
def test_a_bad_resume_file_is_one_clear_line(penguins, tmp_path, content, words):
    script, _ = export_script(penguins_case(penguins, tmp_path), tmp_path / "job")
    bad = tmp_path / "bad.pgproj"
    if content is None:  # a real project, of another network
        save_project(project_for(penguins, NetworkSpec(4, 3, (LayerSpec(5),)),
                                 TrainingConfig(device="cpu")), bad)
    else:
        bad.write_bytes(content)
    done = run_script(script.parent, "python", "--resume", str(bad))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--resume" in lines[0] and "Traceback" not in done.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert not (script.parent / "trained.pgproj").exists()


def test_the_window_opens_the_scripts_project_predicts_and_trains_on(qtbot, penguins,
                                                                     tmp_path):
    from support.window import open_window, train_to

    project = circles_case(penguins, tmp_path)
    script, _ = export_script(project, tmp_path / "job")
    done = run_script(script.parent, "python", "--epochs", "20")
    assert done.returncode == 0, done.stderr
    path = script.parent / "trained.pgproj"
    saved = load_project(path)
    window = open_window(qtbot, tmp_path)
    try:
        assert window.project_file.open_path(path, confirmed=True)
        qtbot.waitUntil(lambda: window.epoch == 20, timeout=10_000)
        assert window.dataset.name == "circles" and len(window.plots.history) == 20
        np.testing.assert_allclose(window.plots.history["val_loss"],
                                   saved.history()["val_loss"])
        # The prediction panel: the file's network on the panel's input.
        values = window.prediction.values()
        want = saved.predictor().probabilities(values)
        shown = [window.prediction.bars[c].value() / 1000 for c in saved.class_names]
        np.testing.assert_allclose(shown, want, atol=1e-3)
        train_to(qtbot, window, 25)  # training on continues from epoch 20
        assert len(window.plots.history) == 25
    finally:
        window.close()


@pytest.mark.parametrize("name", ["adam-30-epochs", "momentum-30-epochs"])
def test_projects_saved_before_still_export(tmp_path, name):
    path = Path(__file__).resolve().parents[2] / "data" / "before-fused" / f"{name}.pgproj"
    project = load_project(path)
    script, data = export_script(project, tmp_path / "job", project_path=path)
    rows = len(np.load(data / "train_y.npy")) + len(np.load(data / "val_y.npy"))
    assert rows == project.dataset["rows"]
    if name.startswith("momentum"):
        # The window's own file resumes in the script: momentum buffers, curves and all.
        done = run_script(script.parent, "python", "--resume", str(path), "--epochs", "35")
        assert done.returncode == 0, done.stderr
        resumed = load_project(script.parent / "trained.pgproj")
        assert resumed.epoch == 35
        np.testing.assert_array_equal(resumed.history()["val_loss"][:30],
                                      project.history()["val_loss"])
