"""The fast training step: fused optimizers, Adam's lean step, the trainer's lean epoch.

Each must train as torch's default optimizers do (to float rounding), stay
deterministic for a seed, and carry on from projects saved with the unfused state.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.files.project import load_project, trainer_from_project
from playground.core.files.state_io import optimizer_from_arrays, optimizer_to_arrays
from playground.core.network.model import build_model, uses_training_mode
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.optimizers import FUSED, LeanAdam, make_optimizer
from playground.core.training.trainer import Trainer

BEFORE = Path(__file__).resolve().parents[2] / "data" / "before-fused"
DROPOUT_SPEC = NetworkSpec(4, 3, (LayerSpec(12, "relu", 0.2), LayerSpec(6, "tanh")))


def make(data, spec=DROPOUT_SPEC, fast=True, **config) -> Trainer:
    config = TrainingConfig(**{"device": "cpu", "seed": 5, "learning_rate": 0.01,
                               "weight_decay": 0.01, **config})
    trainer = Trainer(data, spec, config)
    if not fast:
        trainer.optimizer = make_optimizer(config, trainer.model.parameters(), fast=False)
    return trainer


def weights(trainer) -> np.ndarray:
    return np.concatenate([p.detach().numpy().ravel() for p in trainer.model.parameters()])


@pytest.mark.parametrize("optimizer,batch_size", [(name, 0) for name in FUSED] +
                         [("adam", 16), ("momentum", 16)])
def test_the_fused_step_gives_the_unfused_curves(data, optimizer, batch_size):
    """200 epochs with dropout and weight decay: the same curves to 1e-5. (Plain SGD
    needs a larger rate to learn in 200 epochs.)"""
    kw = dict(optimizer=optimizer, batch_size=batch_size,
              learning_rate=0.1 if optimizer == "sgd" else 0.01)
    fast, plain = make(data, **kw), make(data, fast=False, **kw)
    assert fast.optimizer.param_groups[0]["fused"] is True
    assert not plain.optimizer.param_groups[0]["fused"]
    a, b = fast.run(200), plain.run(200)
    for curve in ("train_loss", "val_loss"):
        assert np.abs(getattr(a, curve) - getattr(b, curve)).max() < 1e-5, curve
    assert np.abs(a.val_accuracy - b.val_accuracy).max() <= 1 / len(data.val_y)
    assert np.abs(weights(fast) - weights(plain)).max() < 1e-4
    assert a.train_loss[-1] < a.train_loss[0] / 2  # it did learn


def test_the_optimizers_take_their_fused_kernel_where_torch_has_one(data):
    params = list(build_model(default_spec(4, 3), 0).parameters())
    for name in ("sgd", "momentum", "adam", "adamw", "rmsprop"):
        config = TrainingConfig(optimizer=name)
        fast, plain = make_optimizer(config, params), make_optimizer(config, params, False)
        assert fast.param_groups[0].get("fused") is (True if name in FUSED else None), name
        assert not plain.param_groups[0].get("fused"), name
        assert isinstance(fast, type(plain)), name


@pytest.mark.parametrize("optimizer", ["adam", "adamw"])
def test_adams_lean_step_is_torchs_fused_step(data, optimizer, monkeypatch):
    """Bit for bit the step of torch's fused Adam, and after the first step (which makes
    the state) it does not go through torch's own `step` at all."""
    lean = make(data, optimizer=optimizer, batch_size=32)
    torchs = make(data, optimizer=optimizer, batch_size=32)
    torch_class = torch.optim.Adam if optimizer == "adam" else torch.optim.AdamW
    torchs.optimizer = torch_class(torchs.model.parameters(), lr=0.01, weight_decay=0.01,
                                   fused=True)
    assert isinstance(lean.optimizer, torch_class)
    lean.run(1)
    torchs.run(1)

    def refuse(*args, **kwargs):
        raise AssertionError("the lean step went through torch.optim's step")

    monkeypatch.setattr(torch_class, "step", refuse)
    a = lean.run(20)
    monkeypatch.undo()
    b = torchs.run(20)
    assert np.array_equal(a.train_loss, b.train_loss)
    assert np.array_equal(weights(lean), weights(torchs))
    assert float(lean.optimizer.state[lean.optimizer.param_groups[0]["params"][0]]["step"]) \
        == float(torchs.optimizer.state[torchs.optimizer.param_groups[0]["params"][0]]["step"])


def test_the_lean_step_leaves_what_it_cannot_do_to_torch(data):
    """amsgrad and a closure are torch's own step's work; the result is torch's."""
    model = build_model(default_spec(4, 3), 0)
    twin = build_model(default_spec(4, 3), 0)
    lean = LeanAdam(model.parameters(), lr=0.01, amsgrad=True, fused=True)
    plain = torch.optim.Adam(twin.parameters(), lr=0.01, amsgrad=True)
    x = torch.as_tensor(data.train_x)
    y = torch.as_tensor(data.train_y)
    for _ in range(5):
        for m, opt in ((model, lean), (twin, plain)):
            opt.zero_grad()
            nn.functional.cross_entropy(m(x), y).backward()
            opt.step()
    assert "max_exp_avg_sq" in lean.state[next(model.parameters())]
    for p, q in zip(model.parameters(), twin.parameters(), strict=True):
        assert torch.allclose(p, q, atol=1e-6)

    def closure():
        lean.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        return loss

    assert lean.step(closure) is not None  # torch's step returns the closure's loss


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_fused_and_unfused_states_load_into_each_other(data, optimizer):
    """A state saved by either kind continues in the other as it would have in its own."""
    for save_fast in (True, False):
        source = make(data, optimizer=optimizer, batch_size=64, fast=save_fast)
        source.run(10)
        arrays, meta = optimizer_to_arrays(source.optimizer)
        continued = {}
        for load_fast in (True, False):
            target = make(data, optimizer=optimizer, batch_size=64, fast=load_fast)
            state = source.state_arrays()
            target.load_state_arrays(*state)
            target.optimizer.load_state_dict(
                optimizer_from_arrays(arrays, meta)
                | {"param_groups": target.optimizer.state_dict()["param_groups"]})
            continued[load_fast] = target.run(30)
        for curve in ("train_loss", "val_loss"):
            assert np.abs(getattr(continued[True], curve) -
                          getattr(continued[False], curve)).max() < 1e-5


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_a_project_saved_with_the_unfused_state_opens_and_trains_on(penguins, optimizer):
    """The files were saved when every optimizer took torch's default path, with the
    curves that version trained over the next 200 epochs: the fused step follows them."""
    trainer = trainer_from_project(load_project(BEFORE / f"{optimizer}-30-epochs.pgproj"),
                                   penguins)
    assert trainer.epoch == 30
    assert trainer.optimizer.param_groups[0]["fused"] is True
    expected = json.loads((BEFORE / "continued-200-epochs.json").read_text())[optimizer]
    stats = trainer.run(200)
    assert stats.epochs[0] == 31
    for curve in ("train_loss", "val_loss"):
        assert np.abs(getattr(stats, curve) - np.array(expected[curve])).max() < 1e-5


def test_dropout_trains_in_training_mode_and_validates_in_evaluation_mode(data):
    """The trainer sets the model's mode only when a module reads it: with dropout, the
    training pass drops units and the validation pass does not."""
    assert uses_training_mode(build_model(DROPOUT_SPEC, 0))
    assert not uses_training_mode(build_model(default_spec(4, 3), 0))
    trainer = make(data, NetworkSpec(4, 3, (LayerSpec(16, "relu", 0.5),)))
    trainer.optimizer.step = lambda: None  # the weights stay: compare with a plain pass
    stats = trainer.run(1)
    trainer.model.eval()
    with torch.no_grad():
        def loss(x, y):
            logits = trainer.model(torch.as_tensor(x))
            return nn.functional.cross_entropy(logits, torch.as_tensor(y)).item()

        assert stats.val_loss[0] == pytest.approx(loss(data.val_x, data.val_y), rel=1e-6)
        assert stats.train_loss[0] != pytest.approx(loss(data.train_x, data.train_y),
                                                    rel=1e-5)

