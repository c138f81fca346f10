"""The generated two-feature sets: where depth matters, and where it does not."""

import numpy as np
import pytest

from playground.cli import main
from playground.core.data.split import prepare
from playground.core.data.toy_data import KINDS, REGRESSION_KINDS, make_toy
from playground.core.errors import DataError
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer


def val_accuracy(dataset, hidden, epochs, activation="tanh"):
    spec = NetworkSpec(2, 2, tuple(LayerSpec(u, activation) for u in hidden))
    trainer = Trainer(prepare(dataset, 0.2, 0), spec, TrainingConfig(device="cpu"))
    return float(trainer.run(epochs).val_accuracy[-1])


@pytest.mark.parametrize("kind", ["xor", "spirals", "circles"])
def test_a_linear_model_stays_near_chance_and_a_hidden_layer_learns(kind):
    dataset = make_toy(kind, noise=0.1, seed=3)
    assert val_accuracy(dataset, (), 400) < 0.7  # one straight line cannot do it
    hidden = (16, 16) if kind == "spirals" else (8,)
    assert val_accuracy(dataset, hidden, 1500) >= 0.9


def test_blobs_need_no_hidden_layer():
    assert val_accuracy(make_toy("blobs", noise=0.1), (), 300) >= 0.95


def val_r2(dataset, hidden, epochs):
    spec = NetworkSpec(2, 1, tuple(LayerSpec(u, "tanh") for u in hidden))
    config = TrainingConfig(device="cpu", learning_rate=0.03)
    trainer = Trainer(prepare(dataset, 0.2, 0), spec, config)
    return float(trainer.run(epochs).val_accuracy[-1])  # the score slot holds R²


def test_no_plane_fits_the_surface_and_a_hidden_layer_does():
    dataset = make_toy("surface", noise=0.1, seed=3)
    assert dataset.is_regression and dataset.n_outputs == 1 and dataset.y.dtype == np.float64
    assert val_r2(dataset, (), 400) < 0.2
    assert val_r2(dataset, (16, 16), 1500) >= 0.9


@pytest.mark.parametrize("kind", KINDS)
def test_the_seed_fixes_the_set_and_noise_spreads_it(kind):
    a, b = make_toy(kind, 0.2, seed=5), make_toy(kind, 0.2, seed=5)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, make_toy(kind, 0.2, seed=6).x)
    assert a.x.shape == (400, 2)
    quiet, noisy = make_toy(kind, 0.0, seed=5), make_toy(kind, 1.0, seed=5)
    if kind in REGRESSION_KINDS:  # the noise is on the height
        assert np.abs(noisy.y - quiet.y).mean() > 0.05
        return
    assert set(np.unique(a.y)) == {0, 1}
    assert np.abs(noisy.x - quiet.x).mean() > 0.05
    assert a.identity["generator"] == {"kind": kind, "noise": 0.2, "seed": 5, "rows": 400}


@pytest.mark.parametrize("kwargs, message", [({"kind": "moons"}, "unknown data set"),
                                             ({"kind": "xor", "noise": 2}, "noise"),
                                             ({"kind": "xor", "rows": 5}, "rows")])
def test_bad_settings_say_what_is_wrong(kwargs, message):
    with pytest.raises(DataError, match=message):
        make_toy(**kwargs)


def test_the_command_line_trains_on_a_toy_set(capsys):
    assert main(["train", "--toy", "xor", "--hidden", "8", "--epochs", "300"]) == 0
    assert "320 training and 80 validation rows" in capsys.readouterr().out
    assert main(["train", "--toy", "xor", "--data", "x.csv"]) == 2
    assert "choose one" in capsys.readouterr().err


def test_the_toy_choices_on_the_command_line_are_the_generated_sets():
    from playground.cli import build_parser

    action = next(a for a in build_parser()._subparsers._group_actions[0].choices["train"]
                  ._actions if a.dest == "toy")
    assert tuple(action.choices) == KINDS

