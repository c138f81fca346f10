"""L1 regularization in the engine: the penalty's gradient, its live setting, what it does
to the weights, and the counts of weights at about 0."""

import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.core.network.layer_health import NEAR_ZERO, near_zero, near_zero_text
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer

SPEC = NetworkSpec(4, 3, (LayerSpec(16, "relu"),))


def make(data, **config) -> Trainer:
    return Trainer(data, SPEC, TrainingConfig(device="cpu", **config))


def test_penalty_is_l1_times_the_sum_of_absolute_weights_without_biases(data):
    trainer = make(data, l1=0.02)
    weights = [layer.weight.detach() for layer in trainer._linears]
    expected = 0.02 * sum(float(w.abs().sum()) for w in weights)
    assert float(trainer.l1_penalty().detach()) == pytest.approx(expected, rel=1e-6)
    trainer.set_l1(0.0)
    assert trainer.l1_penalty() is None


def test_objective_without_l1_is_the_data_loss_itself(data):
    trainer = make(data)
    out = trainer.model(trainer._x)
    loss, total = trainer.objective(out, trainer._y)
    assert total is loss  # no extra operation per batch when L1 is off
    assert float(loss.detach()) == pytest.approx(float(F.cross_entropy(out, trainer._y).detach()))


def test_gradient_of_a_step_is_autograd_of_loss_plus_l1_sum_of_abs(data):
    """One SGD step of the trainer moves each weight by −lr × the gradient of
    cross-entropy + l1·Σ|w| (computed here by autograd on a copy), each bias by the
    gradient of the cross-entropy alone."""
    lr, l1 = 0.1, 0.05
    trainer = make(data, optimizer="sgd", learning_rate=lr, l1=l1)
    reference = copy.deepcopy(trainer.model)
    x, y = trainer._x, trainer._y
    weights = [m.weight for m in reference if isinstance(m, torch.nn.Linear)]
    objective = F.cross_entropy(reference(x), y) + l1 * sum(w.abs().sum() for w in weights)
    objective.backward()
    expected = [p.detach() - lr * p.grad for p in reference.parameters()]

    stats = trainer.run(1)
    for got, want in zip(trainer.model.parameters(), expected, strict=True):
        torch.testing.assert_close(got.detach(), want, rtol=1e-5, atol=1e-6)
    # The reported training loss is the data loss alone, without the penalty.
    data_loss = float(F.cross_entropy(reference(x), y).detach())
    assert stats.train_loss[0] == pytest.approx(data_loss, rel=1e-5)
    assert float(objective.detach()) > data_loss + 0.01


def test_set_l1_applies_to_the_next_step_and_keeps_the_weights(data):
    lr, l1 = 0.1, 0.05
    a = make(data, optimizer="sgd", learning_rate=lr)
    b = make(data, optimizer="sgd", learning_rate=lr)
    a.run(2)
    b.run(2)
    before = [w.copy() for w in a.snapshot().weights]
    a.set_l1(l1)
    assert a.config.l1 == l1
    np.testing.assert_array_equal(a.snapshot().weights[0], before[0])
    a.run(1)
    b.run(1)
    # Same data gradient on both: the difference is the penalty's step, −lr·l1·sign(w).
    for w0, wa, wb in zip(before, a.snapshot().weights, b.snapshot().weights, strict=True):
        np.testing.assert_allclose(wa - wb, -lr * l1 * np.sign(w0), rtol=1e-3, atol=1e-6)


def test_strong_l1_drives_many_weights_to_about_zero(data):
    """With the default optimizer (Adam): without L1 hardly a weight is near 0 after
    training; with a strong L1 most are, and the network still classifies."""
    plain, sparse = make(data), make(data, l1=0.01)
    plain.run(300)
    stats = sparse.run(300)
    total = sum(w.size for w in plain.snapshot().weights)
    without = sum(n for n, _ in near_zero(plain.snapshot().weights))
    with_l1 = sum(n for n, _ in near_zero(sparse.snapshot().weights))
    assert without <= 0.05 * total
    assert with_l1 >= 0.6 * total
    assert stats.val_accuracy[-1] >= 0.95


def test_near_zero_counts_and_words():
    weights = (np.array([[0.0, 0.5], [-0.004, 2.0]]), np.array([[NEAR_ZERO, -0.2, 1e-5]]))
    counts = near_zero(weights)
    assert counts == [(2, 4), (1, 3)]  # |w| < NEAR_ZERO: the threshold itself is not
    text = near_zero_text(counts, 0.0)
    assert text == "Weights at about 0 (|w| < 0.01): Hidden 1: 2 of 4; Output: 1 of 3."
    assert "L1" not in text
    with_l1 = near_zero_text(counts, 0.003)
    assert with_l1.startswith(text) and "L1 (0.003) drove 3 of 7 weights there" in with_l1
