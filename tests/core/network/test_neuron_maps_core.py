"""Each neuron's map is its output over a plane of two features (Qt-free)."""

import numpy as np
import pytest

from playground.core.data.split import Standardizer
from playground.core.network.forward import WeightSnapshot, forward_pass
from playground.core.network.neuron_maps import (
    grid_size,
    maps_on,
    neuron_maps,
    plane,
    plane_range,
    plane_rows,
    shown_values,
)


def snapshot(widths, activations, seed=0):
    rng = np.random.default_rng(seed)
    weights = tuple(rng.standard_normal((b, a)).astype(np.float32)
                    for a, b in zip(widths, widths[1:], strict=False))
    biases = tuple(rng.standard_normal(b).astype(np.float32) for b in widths[1:])
    return WeightSnapshot(weights, biases, tuple(activations))


def test_every_neurons_map_is_its_forward_pass_over_the_plane():
    snap = snapshot([3, 5, 4, 2], ["tanh", "relu"])
    scaler = Standardizer(np.array([1.0, -2.0, 10.0]), np.array([2.0, 0.5, 3.0]))
    held = np.array([0.0, 7.0, 12.5])  # the third feature is held at 12.5
    low, high = np.array([-3.0, -1.0]), np.array([5.0, 1.0])
    maps = neuron_maps(snap, scaler, held, (1, 0), low, high, n=8)
    gx, gy = maps.plane.gx, maps.plane.gy
    assert gx[0] == pytest.approx(-2.5) and gy[-1] == pytest.approx(0.875)  # cell centres
    assert [m.shape for m in maps.layers] == [(5, 8, 8), (4, 8, 8), (2, 8, 8)]
    for row, col in ((0, 0), (0, 7), (5, 2), (7, 7)):
        raw = np.array([gy[row], gx[col], 12.5])  # x is feature 1, y feature 0
        layers = forward_pass(snap, scaler.transform(raw))
        for k, layer in enumerate(layers):
            np.testing.assert_allclose(maps.raw[k][:, row, col], layer.activations,
                                       rtol=1e-5, atol=1e-6)
    # Hidden layers are scaled by the layer's largest magnitude over the plane ...
    top = np.abs(maps.raw[0]).max()
    np.testing.assert_allclose(maps.layers[0], maps.raw[0] / top)
    assert np.abs(maps.layers[1]).max() == pytest.approx(1.0)
    # ... softmax outputs by chance: 0 where the class is as likely as chance.
    np.testing.assert_allclose(maps.layers[2], (maps.raw[2] - 0.5) / 0.5)


def test_one_pass_serves_every_snapshot_of_a_plane():
    scaler = Standardizer(np.zeros(2), np.ones(2))
    cells = plane(scaler, np.zeros(2), (0, 1), np.array([-1.0, -1.0]), np.array([1.0, 1.0]))
    assert cells.rows.shape == (32 * 32, 2)
    a, b = snapshot([2, 3, 2], ["relu"], 1), snapshot([2, 3, 2], ["relu"], 2)
    assert not np.allclose(maps_on(a, cells).raw[0], maps_on(b, cells).raw[0])
    np.testing.assert_allclose(maps_on(a, cells).raw[1].reshape(2, -1).T,
                               forward_pass(a, cells.rows)[-1].activations)


def test_rows_hold_the_other_features_and_the_range_has_a_margin():
    rows = plane_rows(np.array([1.0, 2.0, 3.0]), (0, 2), np.array([10.0, 20.0]),
                      np.array([-1.0, 1.0]))
    np.testing.assert_array_equal(rows, [[10, 2, -1], [20, 2, -1], [10, 2, 1], [20, 2, 1]])
    low, high = plane_range(np.array([[0.0, 5.0], [10.0, np.nan], [5.0, 9.0]]), (0, 1))
    np.testing.assert_allclose(low, [-0.5, 4.8])
    np.testing.assert_allclose(high, [10.5, 9.2])


def test_shown_values():
    np.testing.assert_allclose(shown_values(np.array([[1 / 3, 1.0, 0.0]]), True, 3),
                               [[0.0, 1.0, -0.5]])
    np.testing.assert_allclose(shown_values(np.array([[-4.0, 2.0]]), True, 1), [[-1.0, 0.5]])
    np.testing.assert_array_equal(shown_values(np.zeros((2, 2)), False, 2), np.zeros((2, 2)))


def test_wide_networks_get_coarser_maps():
    assert grid_size([2, 8, 8, 2]) == grid_size([2, 8, 8, 8, 2]) == 32
    assert grid_size([2, 512, 2]) == 31
    assert grid_size([2, 64, 64, 2]) == 21  # 4,352 multiply-adds a row
    assert grid_size([2, 256, 256, 256, 2]) == 8  # never coarser than 8
