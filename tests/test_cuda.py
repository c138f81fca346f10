"""Training on CUDA, and the automatic choice between the CPU and a GPU.

The CUDA tests run only where a GPU is present (CI has none; they were run on an
H200 through the `device` tool; conftest.py needs no Qt for them).
"""

import numpy as np
import pytest
import torch

from playground.core.files.project import load_project, project_from_trainer, save_project
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training import devices
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")


def test_auto_keeps_a_tiny_network_on_the_cpu_even_with_a_gpu(monkeypatch):
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu", "cuda"])
    tiny = devices.work_per_batch(default_spec(4, 3), 273)
    assert tiny < devices.GPU_WORK
    assert devices.resolve_device("auto", tiny).type == "cpu"
    big = devices.work_per_batch(NetworkSpec(32, 3, (LayerSpec(256),) * 3), 4096)
    assert devices.resolve_device("auto", big).type == "cuda"
    assert devices.resolve_device("auto").type == "cuda"  # work unknown: the GPU
    assert devices.resolve_device("cuda", tiny).type == "cuda"  # asked for by name


def test_auto_on_a_machine_without_a_gpu_is_the_cpu(monkeypatch):
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu"])
    assert devices.resolve_device("auto", 10**12).type == "cpu"


@cuda
def test_cuda_learns_penguins(data):
    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cuda", epochs=300))
    assert trainer.device.type == "cuda"
    stats = trainer.run(300)
    assert stats.val_accuracy[-1] >= 0.95
    assert np.isfinite(stats.train_loss).all()


@cuda
def test_cuda_and_cpu_agree_on_a_full_batch_run(data):
    """Same seed, same initial weights, no shuffling: the curves match to float error."""
    runs = [Trainer(data, default_spec(4, 3), TrainingConfig(device=d)).run(50)
            for d in ("cpu", "cuda")]
    np.testing.assert_allclose(runs[0].train_loss, runs[1].train_loss, atol=1e-4)
    np.testing.assert_allclose(runs[0].val_accuracy, runs[1].val_accuracy, atol=0.02)


@cuda
def test_cuda_stop_mid_epoch_keeps_whole_epochs(data):
    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cuda", batch_size=16))
    calls = []

    def stop_after_some_batches() -> bool:
        calls.append(1)
        return len(calls) > 40  # 17 batches per epoch: stops inside the third

    stats = trainer.run(10, stop_after_some_batches)
    assert stats.interrupted and trainer.epoch == len(stats) == 2


@cuda
def test_a_project_trained_on_cuda_opens_on_the_cpu(penguins, data, tmp_path, monkeypatch):
    from playground.core.files.project import trainer_from_project

    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cuda"))
    trainer.run(100)
    path = tmp_path / "gpu.playground"
    save_project(project_from_trainer(trainer, penguins), path)
    monkeypatch.setattr(devices, "available_devices", lambda: ["cpu"])
    project = load_project(path)
    assert project.config.device == "cuda"
    cpu = trainer_from_project(project, penguins)
    assert cpu.device.type == "cpu" and cpu.epoch == 100
    np.testing.assert_allclose(cpu.predict_proba(data.val_x), trainer.predict_proba(data.val_x),
                               atol=1e-5)
    cpu.run(5)  # and it goes on training there
    assert cpu.epoch == 105


@cuda
def test_regression_on_cuda_matches_the_cpu():
    from playground.core.data.split import prepare
    from playground.core.data.toy_data import make_toy

    data = prepare(make_toy("surface", noise=0.1, seed=2), 0.2, 0)
    spec = NetworkSpec(2, 1, (LayerSpec(16, "tanh"),))
    runs = [Trainer(data, spec, TrainingConfig(device=d)) for d in ("cpu", "cuda")]
    stats = [t.run(100) for t in runs]
    np.testing.assert_allclose(stats[0].train_loss, stats[1].train_loss, atol=1e-4)
    np.testing.assert_allclose(stats[0].val_accuracy, stats[1].val_accuracy, atol=1e-3)  # R²
    np.testing.assert_allclose(runs[0].predict_values(data.val_x),
                               runs[1].predict_values(data.val_x), atol=1e-3)


@cuda
def test_a_training_step_on_cuda_is_the_step_shown(penguins, data):
    from playground.core.network.backprop import backprop
    from playground.core.training.training_step import apply_step, propose_step

    spec = NetworkSpec(4, 3, (LayerSpec(16, "relu", 0.3),))
    trainer = Trainer(data, spec, TrainingConfig(device="cuda", epochs=5))
    trainer.run(5)
    row = int(data.val_index[0])
    shown = propose_step(trainer, penguins.x[row], int(penguins.y[row]))
    b = backprop(trainer.snapshot(), data.standardizer, penguins.x[row], int(penguins.y[row]))
    for mine, theirs in zip(b.weight_gradients, shown.weight_gradients, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)
    apply_step(trainer, penguins.x[row], int(penguins.y[row]))
    for w, old, s in zip(trainer.snapshot().weights, shown.old_weights, shown.weight_steps,
                         strict=True):
        np.testing.assert_allclose(w, old - s, atol=1e-6)
