"""Engineered inputs (x², x₁·x₂, sin x): the spec, the numpy and torch forward passes,
projects, the command line, and what they are for — circles without a hidden layer."""

import copy
import json
import zipfile

import numpy as np
import pytest
import torch

from playground.cli import main
from playground.core.data.dataset import Feature
from playground.core.data.split import prepare
from playground.core.data.toy_data import make_toy
from playground.core.errors import SpecError
from playground.core.files.project import (
    load_project,
    project_from_trainer,
    save_project,
    trainer_from_project,
)
from playground.core.network.engineered import (
    expand,
    make_terms,
    numeric_features,
    parse_kinds,
    term_name,
)
from playground.core.network.explain import explain
from playground.core.network.forward import forward_pass
from playground.core.network.layer_health import unit_health
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.runs import describe
from playground.core.training.trainer import Trainer

ALL = make_terms(("square", "product", "sin"), [0, 1, 2, 3])


def train(dataset, spec, epochs, **settings):
    config = TrainingConfig(**{"device": "cpu", **settings})
    trainer = Trainer(prepare(dataset, config.val_fraction, config.seed), spec, config)
    stats = trainer.run(epochs)
    return trainer, stats


# --- terms and the spec ----------------------------------------------------------------

def test_terms_of_each_kind_over_the_numeric_features():
    assert ALL == (("square", 0), ("square", 1), ("square", 2), ("square", 3),
                   ("product", 0, 1), ("sin", 0), ("sin", 1), ("sin", 2), ("sin", 3))
    assert make_terms(("product",), [0, 1, 2], pair=(2, 0)) == (("product", 2, 0),)
    assert make_terms(("product",), [3]) == ()  # one numeric feature: no pair
    features = (Feature("a"), Feature("island=Biscoe", group="island", category="Biscoe"),
                Feature("b"))
    assert numeric_features(features) == [0, 2]  # a one-hot column is not squared
    names = ["x1", "x2"]
    assert [term_name(t, names) for t in make_terms(("square", "product", "sin"), [0, 1])] \
        == ["x1²", "x2²", "x1·x2", "sin x1", "sin x2"]


def test_kinds_from_the_command_line():
    assert parse_kinds("sin, square") == ("square", "sin")
    assert parse_kinds("") == ()
    with pytest.raises(SpecError, match="unknown kind 'cube'"):
        parse_kinds("square,cube")


def test_spec_counts_engineered_inputs_and_round_trips():
    spec = NetworkSpec(4, 3, (LayerSpec(8),), ALL)
    assert spec.n_inputs == 4 and spec.widths == [13, 8, 3]
    assert spec.parameter_count() == (13 + 1) * 8 + (8 + 1) * 3
    d = spec.to_dict()
    assert d["engineered"][4] == ["product", 0, 1]
    assert NetworkSpec.from_dict(json.loads(json.dumps(d))) == spec
    # Edits keep the terms; the terms can be edited on their own.
    assert spec.inserted(0, LayerSpec(4)).engineered == ALL
    assert spec.with_engineered(()).widths == [4, 8, 3]


def test_a_spec_without_engineered_inputs_is_as_before():
    old = {"n_inputs": 4, "n_outputs": 3, "hidden": [{"units": 8, "activation": "relu",
                                                      "dropout": 0.0}]}
    spec = NetworkSpec.from_dict(old)
    assert spec.engineered == () and spec.widths == [4, 8, 3]
    assert spec.to_dict() == old  # no new key: files read by older versions stay the same


@pytest.mark.parametrize("terms, message", [
    ([["cube", 0]], r"network.engineered\[0\]: unknown kind 'cube'"),
    ([["square", 4]], r"network.engineered\[0\]: feature index 4 is out of range"),
    ([["square", 0], ["product", 0]], r"network.engineered\[1\]: product takes 2"),
    ([["sin", 0.5]], "whole number"),
    ([["square", 0], ["square", 0]], "twice"),
    ("square", "must be a list"),
    ([7], r"network.engineered\[0\] must be a list"),
])
def test_bad_terms_are_named(terms, message):
    with pytest.raises(SpecError, match=message):
        NetworkSpec.from_dict({"n_inputs": 4, "n_outputs": 3, "hidden": [],
                               "engineered": terms})


def test_expand_one_row_and_many():
    x = np.array([[0.5, -2.0], [1.0, 3.0]])
    terms = make_terms(("square", "product", "sin"), [0, 1])
    want = np.array([[0.5, -2.0, 0.25, 4.0, -1.0, np.sin(0.5), np.sin(-2.0)],
                     [1.0, 3.0, 1.0, 9.0, 3.0, np.sin(1.0), np.sin(3.0)]])
    np.testing.assert_allclose(expand(x, terms), want)
    np.testing.assert_allclose(expand(x[1], terms), want[1])
    assert expand(x, ()) is x


# --- the forward passes agree ------------------------------------------------------------

@pytest.fixture(scope="module")
def trained(penguins):
    spec = NetworkSpec(4, 3, (LayerSpec(6, "tanh"), LayerSpec(5, "relu")), ALL)
    trainer, _ = train(penguins, spec, 20, learning_rate=0.01)
    return trainer


def test_numpy_forward_pass_equals_the_torch_model(trained):
    x = trained.data.val_x.astype(np.float64)
    model = copy.deepcopy(trained.model).double().eval()
    with torch.no_grad():
        want = torch.softmax(model(torch.as_tensor(x)), dim=1).numpy()
    snapshot = trained.snapshot()
    assert snapshot.engineered == ALL and snapshot.n_features == 4
    layers = forward_pass(snapshot, x)
    assert [v.activations.shape[1] for v in layers] == [6, 5, 3]
    np.testing.assert_allclose(layers[-1].activations, want, atol=1e-6, rtol=0)
    one = forward_pass(snapshot, x[3])  # one row, as the window's hover read-outs use it
    np.testing.assert_allclose(one[-1].activations, want[3], atol=1e-6, rtol=0)
    # and the trainer's own prediction (float32)
    np.testing.assert_allclose(trained.predict_proba(x), want, atol=1e-5, rtol=0)


def test_explanation_and_health_see_the_engineered_inputs(trained):
    snapshot = trained.snapshot()
    e = explain(snapshot, trained.data.standardizer, np.array([39.1, 18.7, 181.0, 3750.0]))
    first = e.layers[0].inputs
    assert len(first) == 13
    np.testing.assert_allclose(first[4], e.standardized[0] ** 2, rtol=1e-6)
    health = unit_health(snapshot, trained.data.train_x)
    assert [h.units for h in health] == [6, 5]


def test_a_project_keeps_its_engineered_inputs(trained, penguins, tmp_path):
    path = tmp_path / "eng.pgproj"
    save_project(project_from_trainer(trained, penguins), path)
    with zipfile.ZipFile(path) as z:
        network = json.loads(z.read("project.json"))["network"]
    assert network["engineered"][0] == ["square", 0]
    project = load_project(path)
    assert project.spec == trained.spec
    raw = penguins.x[5]
    want = trained.predict_proba(trained.data.standardizer.transform(raw))[0]
    np.testing.assert_allclose(project.predictor().probabilities(raw), want, atol=1e-5)
    # Training on from the file continues the same network.
    again = trainer_from_project(project, penguins)
    np.testing.assert_allclose(again.predict_proba(trained.data.val_x),
                               trained.predict_proba(trained.data.val_x), atol=1e-6)


def test_a_project_saved_without_them_opens_unchanged(penguins, tmp_path):
    trainer, _ = train(penguins, NetworkSpec(4, 3, (LayerSpec(8),)), 5)
    path = tmp_path / "plain.pgproj"
    save_project(project_from_trainer(trainer, penguins), path)
    with zipfile.ZipFile(path) as z:
        assert "engineered" not in json.loads(z.read("project.json"))["network"]
    project = load_project(path)
    assert project.spec.engineered == () and project.snapshot().engineered == ()
    assert project.spec.widths == [4, 8, 3]


def test_a_run_says_how_many_inputs_are_engineered():
    spec = NetworkSpec(2, 2, (LayerSpec(8),), make_terms(("square",), [0, 1]))
    assert describe(spec, TrainingConfig()).startswith("2+2-8-2 relu")


# --- what they are for: circles need no hidden layer with x₁², x₂² ----------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_circles_need_no_hidden_layer_with_squares(seed):
    circles = make_toy("circles", noise=0.1, seed=seed)
    squares = make_terms(("square",), numeric_features(circles.features))
    settings = {"learning_rate": 0.05, "seed": seed}
    _, plain = train(circles, NetworkSpec(2, 2, ()), 150, **settings)
    _, engineered = train(circles, NetworkSpec(2, 2, (), squares), 150, **settings)
    assert engineered.val_accuracy[-1] >= 0.95
    assert plain.val_accuracy[-1] < 0.7  # one straight line cannot separate two rings


# --- the command line ----------------------------------------------------------------------

def test_cli_inputs(capsys, tmp_path):
    out = tmp_path / "c.pgproj"
    code = main(["train", "--toy", "circles", "--hidden", "", "--inputs", "square",
                 "--lr", "0.05", "--epochs", "150", "--json", "--out", str(out)])
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert code == 0 and report["val_accuracy"] >= 0.95
    assert load_project(out).spec.engineered == (("square", 0), ("square", 1))

    assert main(["train", "--epochs", "2", "--inputs", "", "--out", str(out)]) == 0
    assert load_project(out).spec.engineered == ()
    capsys.readouterr()

    assert main(["train", "--epochs", "2", "--inputs", "square,cube"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown kind 'cube'" in err
