"""The trainer: learning, determinism, live settings, stopping, divergence, snapshots."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.data.split import prepare
from playground.core.errors import SpecError
from playground.core.network.forward import WeightSnapshot, activate, forward_pass, softmax
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.history import METRICS
from playground.core.training.trainer import Trainer

CURVES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


def make(data, spec=None, **config) -> Trainer:
    config.setdefault("device", "cpu")
    return Trainer(data, spec or default_spec(4, 3), TrainingConfig(**config))


def assert_same_weights(a: WeightSnapshot, b: WeightSnapshot) -> None:
    assert len(a.weights) == len(b.weights)
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert np.array_equal(wa, wb)


def weights_differ(a: WeightSnapshot, b: WeightSnapshot) -> bool:
    return any(not np.array_equal(wa, wb)
               for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True))


def assert_same_stats(a, b) -> None:
    assert np.array_equal(a.epochs, b.epochs)
    for name in CURVES:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


# --- learning ------------------------------------------------------------------------------

def test_defaults_learn_penguins(penguins):
    config = TrainingConfig(device="cpu")
    trainer = Trainer(prepare(penguins, config.val_fraction, config.seed),
                      default_spec(penguins.n_features, penguins.n_classes), config)
    stats = trainer.run(config.epochs)
    assert len(stats) == config.epochs and trainer.epoch == config.epochs
    assert stats.diverged is None and not stats.interrupted
    assert stats.val_accuracy[-1] >= 0.97
    assert stats.train_loss[-1] < stats.train_loss[0] / 5
    assert np.array_equal(stats.epochs, np.arange(1, config.epochs + 1))
    # The held-out rows really are classified that well by the model.
    probs = trainer.predict_proba(trainer.data.val_x)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    accuracy = (probs.argmax(1) == trainer.data.val_y).mean()
    assert accuracy == pytest.approx(stats.val_accuracy[-1], abs=1e-6)
    # The history holds the same curves.
    for name in CURVES:
        assert np.array_equal(trainer.history[name], getattr(stats, name).astype(np.float32))


@pytest.mark.parametrize("batch_size", [0, 16, 10, 10_000])
def test_an_epochs_training_figures_cover_every_row_once(data, batch_size):
    """The training loss and accuracy of an epoch are over all its rows, each batch
    weighted by its size (the last one is short). With the optimizer's step disabled
    the weights stay, so they must equal the loss and accuracy of the whole set."""
    trainer = make(data, batch_size=batch_size)
    n = len(data.train_y)
    assert batch_size in (0, 10_000) or n % batch_size  # a short last batch
    trainer.optimizer.step = lambda: None
    stats = trainer.run(2)
    with torch.no_grad():
        logits = trainer.model(torch.as_tensor(data.train_x, dtype=torch.float32))
    labels = torch.as_tensor(data.train_y)
    loss = nn.functional.cross_entropy(logits, labels).item()
    accuracy = (logits.argmax(1) == labels).float().mean().item()
    assert stats.train_loss == pytest.approx([loss, loss], rel=1e-5)
    assert stats.train_accuracy == pytest.approx([accuracy, accuracy], abs=1e-6)


def test_trainer_refuses_a_spec_that_does_not_fit(data):
    with pytest.raises(SpecError, match="n_inputs"):
        make(data, NetworkSpec(5, 3))
    with pytest.raises(SpecError, match="n_outputs"):
        make(data, NetworkSpec(4, 2))


def test_runs_add_up(data):
    """Two runs of 5 epochs are the same as one run of 10."""
    a, b = make(data, batch_size=32), make(data, batch_size=32)
    a.run(5)
    second = a.run(5)
    whole = b.run(10)
    assert np.array_equal(second.epochs, np.arange(6, 11))
    assert np.array_equal(second.val_loss, whole.val_loss[5:])
    for name in CURVES:
        assert np.array_equal(a.history[name], b.history[name])
    assert_same_weights(a.snapshot(), b.snapshot())


# --- determinism ---------------------------------------------------------------------------

DETERMINISM_SPEC = NetworkSpec(4, 3, (LayerSpec(12, "relu", 0.2), LayerSpec(6, "tanh")))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw", "rmsprop"])
def test_same_seed_is_bit_identical(data, optimizer):
    kw = dict(optimizer=optimizer, learning_rate=0.01, batch_size=16, seed=7)
    a, b = make(data, DETERMINISM_SPEC, **kw), make(data, DETERMINISM_SPEC, **kw)
    # Other users of torch's global generator must not change the run.
    torch.manual_seed(123)
    sa = a.run(8)
    torch.rand(1000)
    sb = b.run(8)
    assert_same_stats(sa, sb)
    assert_same_weights(a.snapshot(), b.snapshot())


def test_different_seeds_differ(data):
    a = make(data, DETERMINISM_SPEC, batch_size=16, seed=1)
    b = make(data, DETERMINISM_SPEC, batch_size=16, seed=2)
    assert weights_differ(a.snapshot(), b.snapshot())  # the initial weights differ
    sa, sb = a.run(3), b.run(3)
    assert not np.array_equal(sa.train_loss, sb.train_loss)
    assert weights_differ(a.snapshot(), b.snapshot())


# --- settings that change between epochs -------------------------------------------------

def test_learning_rate_change_keeps_weights_and_takes_effect(data):
    # Plain SGD on the full batch: a step is exactly -lr × gradient, so doubling the
    # rate doubles the step taken from the same weights.
    a = make(data, optimizer="sgd", learning_rate=0.1)
    b = make(data, optimizer="sgd", learning_rate=0.1)
    a.run(3)
    b.run(3)
    before = a.snapshot()
    a.set_learning_rate(0.2)
    assert_same_weights(a.snapshot(), before)
    assert a.config.learning_rate == 0.2
    assert all(g["lr"] == 0.2 for g in a.optimizer.param_groups)
    a.run(1)
    b.run(1)
    for w0, wa, wb in zip(before.weights, a.snapshot().weights, b.snapshot().weights,
                          strict=True):
        step_a, step_b = wa - w0, wb - w0
        assert np.abs(step_b).max() > 0
        assert np.allclose(step_a, 2 * step_b, rtol=1e-4, atol=1e-7)


def test_learning_rate_cannot_be_set_to_an_invalid_value(data):
    trainer = make(data)
    with pytest.raises(SpecError, match="learning_rate"):
        trainer.set_learning_rate(0.0)
    assert trainer.config.learning_rate == TrainingConfig().learning_rate
    assert all(g["lr"] == TrainingConfig().learning_rate for g in trainer.optimizer.param_groups)


def test_weight_decay_change_keeps_weights_and_takes_effect(data):
    # SGD with weight decay λ steps by -lr (g + λ w): the difference is -lr λ w.
    lr, wd = 0.1, 0.5
    a = make(data, optimizer="sgd", learning_rate=lr)
    b = make(data, optimizer="sgd", learning_rate=lr)
    a.run(2)
    b.run(2)
    before = a.snapshot()
    a.set_weight_decay(wd)
    assert_same_weights(a.snapshot(), before)
    assert all(g["weight_decay"] == wd for g in a.optimizer.param_groups)
    a.run(1)
    b.run(1)
    for w0, wa, wb in zip(before.weights, a.snapshot().weights, b.snapshot().weights,
                          strict=True):
        assert np.allclose(wa - wb, -lr * wd * w0, rtol=1e-4, atol=1e-6)


def test_batch_size_change_keeps_weights_and_takes_effect(data):
    trainer = make(data)
    trainer.run(2)
    before = trainer.snapshot()
    calls = []

    def count() -> bool:
        calls.append(1)
        return False

    trainer.run(1, count)
    assert len(calls) == 1  # full batch: one step per epoch
    after_full = trainer.snapshot()
    trainer.set_batch_size(16)
    assert_same_weights(trainer.snapshot(), after_full)
    calls.clear()
    trainer.run(2, count)
    n_train = len(data.train_y)
    assert len(calls) == 2 * math.ceil(n_train / 16)  # one stop check before each batch
    assert trainer.epoch == 5
    assert weights_differ(trainer.snapshot(), before)


def test_set_optimizer_keeps_weights_and_starts_fresh(data):
    trainer = make(data, optimizer="adam", batch_size=64)
    trainer.run(3)
    params = list(trainer.model.parameters())
    old_state = trainer.optimizer.state[params[0]]
    assert float(old_state["step"]) == 3 * math.ceil(len(data.train_y) / 64)
    before = trainer.snapshot()

    trainer.set_optimizer("adam")  # the same kind: still a fresh state
    assert_same_weights(trainer.snapshot(), before)
    assert len(trainer.optimizer.state) == 0
    trainer.run(1)
    assert float(trainer.optimizer.state[params[0]]["step"]) == math.ceil(
        len(data.train_y) / 64)

    trainer.set_optimizer("momentum")
    assert isinstance(trainer.optimizer, torch.optim.SGD)
    assert trainer.optimizer.param_groups[0]["momentum"] == 0.9
    assert trainer.config.optimizer == "momentum"
    assert len(trainer.optimizer.state) == 0
    snap = trainer.snapshot()
    trainer.run(1)
    assert weights_differ(trainer.snapshot(), snap)  # it trains the same parameters
    assert trainer.epoch == 5


def test_set_optimizer_rejects_unknown_names(data):
    trainer = make(data)
    with pytest.raises(SpecError, match="optimizer"):
        trainer.set_optimizer("lbfgs")
    assert isinstance(trainer.optimizer, torch.optim.Adam)


# --- stopping between batches -----------------------------------------------------------------

@pytest.mark.parametrize("k", [1, 5, 36, 40, 53])
def test_stop_request_stops_mid_epoch(data, k):
    per_epoch = math.ceil(len(data.train_y) / 16)
    completed = k // per_epoch
    calls = []

    def stop_after_k() -> bool:
        calls.append(1)
        return len(calls) > k

    kw = dict(batch_size=16, seed=3)
    a = make(data, DETERMINISM_SPEC, **kw)
    stats = a.run(100, stop_after_k)
    assert stats.interrupted
    assert stats.diverged is None
    assert len(calls) == k + 1  # asked before every batch; stopped at the first yes
    assert len(stats) == completed == a.epoch
    # The partial epoch is undone: the same as running the whole epochs alone.
    b = make(data, DETERMINISM_SPEC, **kw)
    whole = b.run(completed) if completed else None
    if whole is not None:
        assert_same_stats(stats, whole)
    assert_same_weights(a.snapshot(), b.snapshot())
    # Continuing afterwards matches a run that was never stopped.
    a.run(2)
    b.run(2)
    assert_same_weights(a.snapshot(), b.snapshot())
    for name in CURVES:
        assert np.array_equal(a.history[name], b.history[name])


def test_stop_before_the_first_batch(data):
    trainer = make(data)
    before = trainer.snapshot()
    stats = trainer.run(10, lambda: True)
    assert stats.interrupted and len(stats) == 0 and trainer.epoch == 0
    assert_same_weights(trainer.snapshot(), before)
    assert len(trainer.history) == 0


# --- divergence -------------------------------------------------------------------------------

# Plain SGD at lr 10 on four wide ReLU layers blows up within a few epochs.
DIVERGING_SPEC = NetworkSpec(4, 3, tuple(LayerSpec(64, "relu") for _ in range(4)))
DIVERGING = dict(optimizer="sgd", learning_rate=10.0, seed=0)


def test_divergence_is_detected_and_the_last_finite_weights_are_kept(data):
    trainer = make(data, DIVERGING_SPEC, **DIVERGING)
    stats = trainer.run(50)
    assert stats.diverged is not None
    assert 0 < len(stats) < 50
    n = len(stats)
    assert stats.diverged.startswith(f"diverged at epoch {n + 1}:")
    assert "learning rate" in stats.diverged  # with a hint
    assert trainer.epoch == n
    snapshot = trainer.snapshot()
    for w in snapshot.weights + snapshot.biases:
        assert np.isfinite(w).all()
    for name in METRICS:
        assert np.isfinite(trainer.history[name]).all()
        assert len(trainer.history[name]) == n
    assert np.isfinite(trainer.predict_proba(data.val_x)).all()

    # The NaN really happens: one more epoch from these weights, unguarded, is not finite.
    model = trainer.model
    model.train()
    x = torch.as_tensor(data.train_x)
    y = torch.as_tensor(data.train_y)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 10.0 * p.grad
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(data.val_x))
        loss = torch.nn.functional.cross_entropy(out, torch.as_tensor(data.val_y))
    assert not torch.isfinite(loss)


def test_a_further_run_after_divergence_does_not_train_on_nan(data):
    trainer = make(data, DIVERGING_SPEC, **DIVERGING)
    first = trainer.run(50)
    assert first.diverged
    kept = trainer.snapshot()
    n = trainer.epoch
    again = trainer.run(50)
    assert again.diverged and again.diverged.startswith(f"diverged at epoch {n + 1}:")
    assert len(again) == 0 and trainer.epoch == n
    assert_same_weights(trainer.snapshot(), kept)
    assert len(trainer.history) == n
    for name in METRICS:
        assert np.isfinite(trainer.history[name]).all()


# --- snapshots and the numpy forward pass ----------------------------------------------------

FORWARD_SPEC = NetworkSpec(4, 3, (
    LayerSpec(7, "relu", 0.3), LayerSpec(6, "tanh"), LayerSpec(5, "sigmoid", 0.1),
    LayerSpec(5, "leaky_relu"), LayerSpec(4, "gelu"), LayerSpec(3, "linear")))


def test_snapshot_is_a_copy(data):
    trainer = make(data, FORWARD_SPEC)
    snap = trainer.snapshot()
    assert [w.shape for w in snap.weights] == [(7, 4), (6, 7), (5, 6), (5, 5), (4, 5), (3, 4),
                                               (3, 3)]
    assert [b.shape for b in snap.biases] == [(7,), (6,), (5,), (5,), (4,), (3,), (3,)]
    assert snap.activations == ("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "linear")
    assert snap.layer_count() == 7 and snap.epoch == 0
    frozen = [w.copy() for w in snap.weights]
    trainer.run(3)
    assert trainer.snapshot().epoch == 3
    for w, f in zip(snap.weights, frozen, strict=True):
        assert np.array_equal(w, f)  # training does not write into an old snapshot


def test_forward_pass_matches_the_torch_model(data):
    trainer = make(data, FORWARD_SPEC, batch_size=32)
    trainer.run(20)
    snap = trainer.snapshot()
    x = data.val_x[:25]
    expected = trainer.predict_proba(x)

    # The torch model's own intermediate outputs, layer by layer (eval mode: no dropout).
    model = trainer.model
    model.eval()
    sums, acts = [], []
    with torch.no_grad():
        h = torch.as_tensor(x)
        for module in model:
            h = module(h)
            if isinstance(module, nn.Linear):
                sums.append(h.numpy().copy())
                acts.append(None)  # the output layer's softmax is checked separately
            else:  # the activation, then dropout (a no-op in eval mode)
                acts[-1] = h.numpy().copy()
    assert len(sums) == 7

    for row in range(len(x)):
        layers = forward_pass(snap, x[row])
        assert len(layers) == 7
        assert np.allclose(layers[-1].activations, expected[row], atol=1e-5)
        assert layers[-1].activations.sum() == pytest.approx(1.0)
        for i, values in enumerate(layers):
            assert np.allclose(values.weighted_sums, sums[i][row], atol=1e-5), i
            if i < 6:
                assert np.allclose(values.activations, acts[i][row], atol=1e-5), i
    assert (np.array([forward_pass(snap, r)[-1].activations for r in x]).argmax(1)
            == expected.argmax(1)).all()


def test_forward_pass_without_hidden_layers(data):
    trainer = make(data, NetworkSpec(4, 3))
    trainer.run(10)
    snap = trainer.snapshot()
    layers = forward_pass(snap, data.val_x[0])
    assert len(layers) == 1
    assert np.allclose(layers[0].activations, trainer.predict_proba(data.val_x[:1])[0],
                       atol=1e-5)


ACTIVATION_MODULES = {
    "relu": nn.ReLU(),
    "tanh": nn.Tanh(),
    "sigmoid": nn.Sigmoid(),
    "leaky_relu": nn.LeakyReLU(0.01),
    "gelu": nn.GELU(),
    "linear": nn.Identity(),
}


@pytest.mark.parametrize("name", list(ACTIVATION_MODULES))
def test_activate_matches_torch(name):
    z = np.concatenate([np.linspace(-12, 12, 481), [-1000.0, -50.0, -1e-8, 0.0, 1e-8, 50.0,
                                                     1000.0]])
    ours = activate(name, z)
    theirs = ACTIVATION_MODULES[name](torch.as_tensor(z, dtype=torch.float64)).numpy()
    assert ours.shape == z.shape
    assert np.isfinite(ours).all()
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_activate_and_model_agree_on_names():
    from playground.core.network.model import _ACTIVATIONS
    from playground.core.network.spec import ACTIVATIONS

    assert set(_ACTIVATIONS) == set(ACTIVATIONS) == set(ACTIVATION_MODULES)
    with pytest.raises(ValueError, match="swish"):
        activate("swish", np.zeros(2))


def test_softmax_is_stable():
    p = softmax(np.array([1000.0, 0.0, -1000.0]))
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0) and p[0] == pytest.approx(1)
