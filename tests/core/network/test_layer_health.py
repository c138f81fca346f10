"""Inside the network, Qt-free: histograms, dead and saturated units, the gradients of
the last batch in the snapshot."""

import numpy as np
import torch

from playground.core.network.forward import WeightSnapshot
from playground.core.network.layer_health import (
    BINS,
    MAX_VALUES,
    UnitHealth,
    bin_edges,
    histogram,
    steady_limit,
    stopped_units,
    unit_health,
    warnings,
)
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer


def one_layer(activation, w, b):
    """A hidden layer of len(b) units on two inputs, then a 2-class output layer."""
    w, b = np.asarray(w, float), np.asarray(b, float)
    return WeightSnapshot((w, np.ones((2, len(b)))), (b, np.zeros(2)), (activation,))


ROWS = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [2.0, 0.5]])


def test_dead_relu_units_are_counted_by_hand():
    # Unit 0 passes x0; unit 1 has a bias too negative for any row; unit 2 is -x0 - x1 - 5
    # (at most -3 here: dead); unit 3 is live for the third row only.
    snap = one_layer("relu", [[1, 0], [1, 1], [-1, -1], [-1, -1]], [0, -10, -5, -1])
    (h,) = unit_health(snap, ROWS)
    assert h == UnitHealth(0, "relu", 4, 2)
    assert warnings([h], "penguin") == [
        "Hidden layer 1: 2 of 4 ReLU units are dead — they output 0 for every training "
        "penguin, so they no longer learn. Try a smaller learning rate or leaky ReLU."]
    assert "for every training example," in warnings([h])[0]  # a data set of no name
    one = UnitHealth(1, "relu", 8, 1).warning()
    assert one.startswith("Hidden layer 2: 1 of 8 ReLU unit is dead — it outputs 0")
    assert "so it no longer learns." in one


def test_saturated_sigmoid_and_tanh_units():
    # Rows of z: 95 % beyond the edge counts as saturated, 90 % does not.
    z = np.zeros((20, 4))
    z[:19, 0] = 10  # sigmoid ≈ 1 on 19 of 20 rows: saturated
    z[:18, 1] = -10  # 18 of 20: not
    z[:, 2] = np.where(np.arange(20) % 2, 10, -10)  # always on one end or the other
    sig = 0.5 * (1 + np.tanh(0.5 * z))
    assert stopped_units("sigmoid", sig) == 2
    assert stopped_units("tanh", np.tanh(z)) == 2
    assert stopped_units("leaky_relu", np.zeros((3, 2))) == 0  # keeps a slope
    # z of units 0 and 1 is ≥ 100 away from 0 on every row; unit 2's is 0 on the second.
    snap = one_layer("tanh", 100 * np.array([[1, 1], [1, 2], [1, 0]]), [0, 0, 0])
    (h,) = unit_health(snap, ROWS)
    assert h.stopped == 2 and h.units == 3
    assert "2 of 3 tanh units are saturated — stuck near −1 or 1" in h.warning()
    assert "near 0 or 1" in UnitHealth(0, "sigmoid", 3, 3).warning()


def test_a_healthy_layer_has_no_warning():
    snap = one_layer("relu", [[1, 0], [0, 1]], [0.5, 0.5])
    assert warnings(unit_health(snap, ROWS)) == []
    # Inputs of another width (the network was edited): nothing is judged.
    assert unit_health(snap, np.zeros((4, 3))) == []


def test_histogram_bins_and_steady_limits():
    values = np.array([-0.9, -0.1, 0.0, 0.02, 0.3, 0.3])
    counts = histogram(values, 1.0)
    assert len(counts) == BINS and counts.sum() == len(values)
    np.testing.assert_array_equal(counts, np.histogram(values, bin_edges(1.0))[0])
    assert counts[BINS // 2] == 2  # the middle bin holds 0 and 0.02
    assert steady_limit(None, 0.3) == 0.5
    assert steady_limit(0.5, 0.45) == 0.5
    assert steady_limit(0.5, 0.7) == 1.0  # grows at once
    assert steady_limit(1.0, 0.4) == 1.0  # not for a small shrink
    assert steady_limit(1.0, 0.2) == 0.2  # but when everything fits in a quarter
    huge = np.ones(4 * MAX_VALUES + 1)
    assert histogram(huge, 1.0).sum() <= MAX_VALUES  # a strided sample


def test_snapshot_carries_the_last_batchs_weight_gradients(data):
    spec = NetworkSpec(4, 3, (LayerSpec(8, "relu"), LayerSpec(5, "tanh")))
    trainer = Trainer(data, spec, TrainingConfig(device="cpu", seed=0, batch_size=32))
    assert trainer.snapshot().gradients is None  # nothing computed yet
    trainer.run(3)
    snap = trainer.snapshot()
    assert len(snap.gradients) == 3
    for layer, w, g in zip(trainer._linears, snap.weights, snap.gradients, strict=True):
        assert g.shape == w.shape
        np.testing.assert_array_equal(g, layer.weight.grad.numpy())
        np.testing.assert_array_equal(w, layer.weight.detach().numpy())
        np.testing.assert_array_equal(
            histogram(g, 1.0), np.histogram(layer.weight.grad.numpy(), BINS, (-1, 1))[0])
    assert any(np.abs(g).max() > 0 for g in snap.gradients)
    # Still one device→host copy: the arrays are views into one buffer.
    buffer = snap.weights[0].base
    assert buffer is not None
    assert all(a.base is buffer for a in snap.weights + snap.biases + snap.gradients)


def test_the_trainer_reports_the_dead_relus_it_was_given(data):
    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cpu", seed=0))
    with torch.no_grad():
        trainer._linears[0].bias[:3] = -100.0  # no standardized penguin gets past this
    trainer.run(2)
    (h,) = unit_health(trainer.snapshot(), data.train_x)
    assert (h.activation, h.stopped) == ("relu", 3)


def test_a_big_training_set_is_judged_on_an_even_spread_of_its_rows(monkeypatch):
    import playground.core.network.layer_health as layer_health

    seen = []
    real = layer_health.forward_pass
    monkeypatch.setattr(layer_health, "forward_pass",
                        lambda snap, x: seen.append(x) or real(snap, x))
    # Unit 0 lives only on the last rows: an even spread still sees it alive.
    rows = np.zeros((100_000, 2))
    rows[-30_000:, 0] = 1.0
    snap = one_layer("relu", [[1, 0], [0, 0]], [0, -1])
    (h,) = unit_health(snap, rows)
    assert len(seen[0]) == layer_health.HEALTH_ROWS
    assert h.stopped == 1  # unit 1 (bias −1, no weight) is dead; unit 0 is not
