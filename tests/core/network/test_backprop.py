"""The backward pass in numpy equals PyTorch's autograd, and a training step shown is the
step taken."""

import math

import numpy as np
import pytest
import torch

from playground.core.data.split import Standardizer
from playground.core.errors import PlaygroundError
from playground.core.network.backprop import activation_slope, backprop
from playground.core.network.forward import WeightSnapshot
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer
from playground.core.training.training_step import apply_step, propose_step

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "linear")
TORCH = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
         "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
         "gelu": torch.nn.functional.gelu, "linear": lambda z: z}


def random_snapshot(widths, activations, seed=0) -> WeightSnapshot:
    rng = np.random.default_rng(seed)
    weights = tuple(rng.normal(0, 0.8, (b, a)) for a, b in zip(widths, widths[1:], strict=False))
    biases = tuple(rng.normal(0, 0.3, b) for b in widths[1:])
    return WeightSnapshot(weights, biases, tuple(activations))


def autograd(snapshot, x, activations, true_class=None, y=None):
    """Loss, each layer's ∂loss/∂z, ∂loss/∂W and ∂loss/∂b by torch autograd, float64."""
    ws = [torch.tensor(w, requires_grad=True) for w in snapshot.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in snapshot.biases]
    a = torch.tensor(np.asarray(x, dtype=np.float64))[None]
    zs = []
    for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
        z = a @ w.T + b
        z.retain_grad()
        zs.append(z)
        a = TORCH[activations[i]](z) if i < len(ws) - 1 else z
    if true_class is None:
        loss = torch.nn.functional.mse_loss(a[:, 0], torch.tensor([y], dtype=torch.float64))
    else:
        loss = torch.nn.functional.cross_entropy(a, torch.tensor([true_class]))
    loss.backward()
    return loss.item(), [z.grad[0].numpy() for z in zs], [w.grad.numpy() for w in ws], \
        [b.grad.numpy() for b in bs]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("regression", [False, True])
def test_the_numpy_backward_pass_equals_autograd(activation, regression):
    widths = [4, 7, 5, 1 if regression else 3]
    snap = random_snapshot(widths, [activation, activation], seed=len(activation))
    scaler = Standardizer(np.array([1.0, 2.0, -1.0, 0.5]), np.array([2.0, 0.5, 1.0, 3.0]))
    raw = np.array([2.5, 1.0, -0.3, 4.0])
    if regression:
        target = Standardizer(np.array([10.0]), np.array([4.0]))
        b = backprop(snap, scaler, raw, target=target, true_value=13.0)
        loss, dz, dw, db = autograd(snap, b.forward.standardized, [activation] * 2,
                                    y=(13.0 - 10.0) / 4.0)
    else:
        b = backprop(snap, scaler, raw, true_class=2)
        loss, dz, dw, db = autograd(snap, b.forward.standardized, [activation] * 2,
                                    true_class=2)
    assert math.isclose(b.loss, loss, rel_tol=1e-9, abs_tol=1e-9)
    for mine, want_dz, want_dw, want_db in zip(b.layers, dz, dw, db, strict=True):
        np.testing.assert_allclose(mine.deltas, want_dz, atol=1e-6)
        np.testing.assert_allclose(mine.weights, want_dw, atol=1e-6)
        np.testing.assert_allclose(mine.biases, want_db, atol=1e-6)
    assert any(np.abs(g).max() > 1e-3 for g in b.weight_gradients)  # not trivially zero


def test_slopes_at_the_kink_are_torch_s():
    z = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    for name in ACTIVATIONS:
        z.grad = None
        TORCH[name](z).sum().backward()
        np.testing.assert_allclose(activation_slope(name, z.detach().numpy()), z.grad.numpy(),
                                   atol=1e-12, err_msg=name)


def test_a_network_without_hidden_layers():
    snap = random_snapshot([2, 3], [])
    b = backprop(snap, Standardizer(np.zeros(2), np.ones(2)), np.array([0.5, -1.0]), 1)
    loss, dz, dw, _ = autograd(snap, b.forward.standardized, [], true_class=1)
    np.testing.assert_allclose(b.layers[0].weights, dw[0], atol=1e-12)
    # The output's error term is p − onehot: the probabilities, one less at the true class.
    np.testing.assert_allclose(b.layers[0].deltas, b.forward.probabilities - [0, 1, 0])


def test_the_backward_pass_needs_a_known_target():
    snap = random_snapshot([2, 3], [])
    with pytest.raises(PlaygroundError, match="true class"):
        backprop(snap, Standardizer(np.zeros(2), np.ones(2)), np.array([0.5, -1.0]))


# --- the step: shown by a copy, taken by the trainer ---------------------------------------
def make_trainer(data, optimizer="adam", dropout=0.0, weight_decay=0.0, epochs=3):
    spec = NetworkSpec(4, 3, (LayerSpec(6, "tanh", dropout), LayerSpec(5, "relu")))
    trainer = Trainer(data, spec, TrainingConfig(optimizer=optimizer, learning_rate=0.05,
                                                 weight_decay=weight_decay, device="cpu"))
    trainer.run(epochs)  # the optimizer has a state (moments, momentum) by now
    return trainer


def params(trainer):
    return [p.detach().numpy().astype(np.float64).copy() for p in trainer.model.parameters()]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "adamw", "rmsprop"])
def test_the_step_taken_is_the_step_shown_and_its_gradients_are_the_numpy_ones(
        penguins, data, optimizer):
    trainer = make_trainer(data, optimizer, weight_decay=0.01)
    row = int(data.val_index[3])
    raw, label = penguins.x[row], int(penguins.y[row])
    before, history = params(trainer), trainer.history.epochs.copy()
    shown = propose_step(trainer, raw, label)
    for p, q in zip(params(trainer), before, strict=True):  # proposing changes nothing
        np.testing.assert_array_equal(p, q)
    b = backprop(trainer.snapshot(), data.standardizer, raw, label)
    assert math.isclose(shown.loss, b.loss, rel_tol=1e-5)
    for mine, theirs, bias in zip(b.layers, shown.weight_gradients, shown.bias_gradients,
                                  strict=True):
        np.testing.assert_allclose(mine.weights, theirs, atol=1e-6)
        np.testing.assert_allclose(mine.biases, bias, atol=1e-6)

    taken = apply_step(trainer, raw, label)
    assert taken.applied
    after = trainer.snapshot()
    for k in range(3):
        np.testing.assert_allclose(after.weights[k], shown.old_weights[k] -
                                   shown.weight_steps[k], atol=1e-6)
        np.testing.assert_allclose(after.biases[k], shown.old_biases[k] - shown.bias_steps[k],
                                   atol=1e-6)
        np.testing.assert_allclose(after.gradients[k], shown.weight_gradients[k], atol=1e-7)
    assert max(np.abs(s).max() for s in shown.weight_steps) > 1e-5  # it really moved
    assert trainer.epoch == 3 and np.array_equal(trainer.history.epochs, history)
    # Training goes on from the stepped weights and the optimizer's advanced state.
    assert len(trainer.run(1)) == 1 and trainer.epoch == 4


def test_plain_sgd_steps_by_learning_rate_times_gradient_plus_decay(penguins, data):
    trainer = make_trainer(data, "sgd", weight_decay=0.1)
    row = int(data.val_index[0])
    step = propose_step(trainer, penguins.x[row], int(penguins.y[row]))
    for g, w, s in zip(step.weight_gradients, step.old_weights, step.weight_steps, strict=True):
        np.testing.assert_allclose(s, 0.05 * (g + 0.1 * w), atol=1e-6)


def test_adam_state_advances_by_one_step(penguins, data):
    trainer = make_trainer(data, "adam", epochs=2)
    steps = lambda: [int(s["step"]) for s in trainer.optimizer.state.values()]  # noqa: E731
    assert set(steps()) == {2}
    apply_step(trainer, penguins.x[0], int(penguins.y[0]))
    assert set(steps()) == {3}


def test_dropout_is_off_for_the_step(penguins, data):
    trainer = make_trainer(data, "sgd", dropout=0.5)
    generator = trainer._gen.get_state().clone()
    a = propose_step(trainer, penguins.x[5], int(penguins.y[5]))
    b = propose_step(trainer, penguins.x[5], int(penguins.y[5]))
    for x, y in zip(a.new_weights, b.new_weights, strict=True):
        np.testing.assert_array_equal(x, y)
    assert torch.equal(trainer._gen.get_state(), generator)  # no dropout mask was drawn


def test_a_regression_step():
    from playground.core.data.split import prepare
    from playground.core.data.toy_data import make_toy

    surface = make_toy("surface", 0.1, 0, rows=200)
    prepared = prepare(surface, 0.2, 0)
    spec = NetworkSpec(2, 1, (LayerSpec(5, "gelu"),))
    trainer = Trainer(prepared, spec, TrainingConfig(optimizer="momentum", learning_rate=0.1,
                                                     device="cpu"))
    trainer.run(2)
    raw, value = surface.x[7], float(surface.y[7])
    shown = propose_step(trainer, raw, value)
    b = backprop(trainer.snapshot(), prepared.standardizer, raw, target=prepared.target,
                 true_value=value)
    assert math.isclose(shown.loss, b.loss, rel_tol=1e-4)
    for mine, theirs in zip(b.weight_gradients, shown.weight_gradients, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)
    apply_step(trainer, raw, value)
    for w, old, s in zip(trainer.snapshot().weights, shown.old_weights, shown.weight_steps,
                         strict=True):
        np.testing.assert_allclose(w, old - s, atol=1e-6)


def test_a_bad_target_is_named(penguins, data):
    trainer = make_trainer(data, "sgd", epochs=1)
    with pytest.raises(PlaygroundError, match="target class 7"):
        propose_step(trainer, penguins.x[0], 7)
    with pytest.raises(PlaygroundError, match="3 values"):
        propose_step(trainer, penguins.x[0][:3], 0)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_l1_penalty_is_in_the_gradients_shown_and_the_step_taken(penguins, data, optimizer):
    spec = NetworkSpec(4, 3, (LayerSpec(6, "tanh"),))
    trainer = Trainer(data, spec, TrainingConfig(optimizer=optimizer, learning_rate=0.05,
                                                 l1=0.02, device="cpu"))
    trainer.run(2)
    raw, label = penguins.x[11], int(penguins.y[11])
    shown = propose_step(trainer, raw, label)
    plain = backprop(trainer.snapshot(), data.standardizer, raw, label)
    b = backprop(trainer.snapshot(), data.standardizer, raw, label, l1=0.02)
    assert shown.l1 == 0.02
    for mine, without, theirs, w in zip(b.weight_gradients, plain.weight_gradients,
                                        shown.weight_gradients, shown.old_weights, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)  # autograd of loss + l1·Σ|w|
        np.testing.assert_allclose(mine - without, 0.02 * np.sign(w), atol=1e-12)
    apply_step(trainer, raw, label)
    for w, old, s in zip(trainer.snapshot().weights, shown.old_weights, shown.weight_steps,
                         strict=True):
        np.testing.assert_allclose(w, old - s, atol=1e-6)
