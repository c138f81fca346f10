"""Variants: parsing what to vary, and K networks trained together giving each one's own
numbers (to 1e-5) for every optimizer, with shuffles, dropout, weight decay and L1."""

from dataclasses import replace

import numpy as np
import pytest
import torch

from playground.core.errors import SpecError
from playground.core.network.spec import NetworkSpec, default_spec, parse_hidden
from playground.core.training.config import OPTIMIZERS, TrainingConfig
from playground.core.training.history import METRICS
from playground.core.training.trainer import Trainer
from playground.core.training.variant_trainer import VariantTrainer
from playground.core.training.variants import MAX_VARIANTS, grid, make_variants, parse_axis

TOLERANCE = 1e-5


def variants_of(spec, config, *texts):
    return make_variants(spec, config, [parse_axis(t) for t in texts])


def weights(trainer: Trainer) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1) for p in trainer.model.parameters()])


def assert_like_alone(data, config, variants, epochs, trainer_class=Trainer):
    together = VariantTrainer(data, config, variants)
    together.run(epochs)
    for j, v in enumerate(variants):
        alone = trainer_class(data, v.spec, v.config)
        alone.run(epochs)
        for m in METRICS:
            np.testing.assert_allclose(together.histories[j][m], alone.history[m],
                                       atol=TOLERANCE, rtol=0, err_msg=f"{v.label} {m}")
        assert torch.allclose(together.params.detach()[j], weights(alone), atol=TOLERANCE,
                              rtol=0), v.label
    return together


# --- what to vary --------------------------------------------------------------------
def test_parse_lists_ranges_and_aliases():
    assert parse_axis("lr=0.001,0.01,0.1").values == (0.001, 0.01, 0.1)
    assert parse_axis("seed=0..4").values == (0, 1, 2, 3, 4)
    assert parse_axis("seed=7,0..1").values == (7, 0, 1)
    axis = parse_axis("wd=0, 0.01")
    assert (axis.name, axis.values) == ("weight_decay", (0.0, 0.01))


@pytest.mark.parametrize("text, says", [
    ("momentum=0.5", "NAME one of"), ("lr", "NAME one of"), ("lr=", "at least one"),
    ("lr=fast", "'fast' is not a number"), ("seed=1.5", "not a whole number"),
    ("lr=0.1..0.3", "whole numbers"), ("seed=4..1", "empty"), ("seed=0..99", "more than 64"),
    ("lr=0.1,0.1", "twice")])
def test_parse_errors_name_what_is_wrong(text, says):
    with pytest.raises(SpecError, match=says):
        parse_axis(text)


def test_grid_of_two_settings_and_its_limits():
    combos = grid([parse_axis("lr=0.01,0.1"), parse_axis("seed=0..2")])
    assert combos[:3] == [{"lr": 0.01, "seed": 0}, {"lr": 0.01, "seed": 1},
                          {"lr": 0.01, "seed": 2}]
    assert len(combos) == 6
    with pytest.raises(SpecError, match="at most 2"):
        grid([parse_axis("lr=0.1"), parse_axis("seed=1"), parse_axis("l1=0")])
    with pytest.raises(SpecError, match="varied twice"):
        grid([parse_axis("lr=0.1"), parse_axis("lr=0.2")])
    with pytest.raises(SpecError, match=f"65 variants; at most {MAX_VARIANTS}"):
        grid([parse_axis("seed=0..12"), parse_axis("lr=1,2,3,4,5")])


def test_values_are_checked_as_settings():
    spec, config = default_spec(4, 3), TrainingConfig()
    with pytest.raises(SpecError, match="vary: learning_rate must be in"):
        variants_of(spec, config, "lr=0,0.1")
    with pytest.raises(SpecError, match="dropout must be in"):
        variants_of(spec, config, "dropout=0.99")
    with pytest.raises(SpecError, match="no hidden layer"):
        variants_of(NetworkSpec(4, 3, ()), config, "dropout=0.5")
    v = variants_of(spec, config, "dropout=0.5", "seed=3")[0]
    assert v.spec.hidden[0].dropout == 0.5 and v.config.seed == 3
    assert v.label == "dropout=0.5 seed=3"


# --- trained together, each as if alone ---------------------------------------------
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_full_batch_variants_match_each_alone(data, optimizer):
    config = TrainingConfig(optimizer=optimizer, learning_rate=0.02, device="cpu")
    variants = variants_of(default_spec(4, 3), config, "lr=0.005,0.02", "seed=0,3")
    assert_like_alone(data, config, variants, 25)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_shuffled_batches_dropout_and_weight_decay_match_each_alone(data, optimizer):
    """Mini-batches shuffled by each variant's own generator, dropout masks from it too."""
    config = TrainingConfig(optimizer=optimizer, learning_rate=0.01, batch_size=40,
                            device="cpu")
    spec = NetworkSpec(4, 3, parse_hidden("8,5", "tanh", "0.2"))
    assert_like_alone(data, config, variants_of(spec, config, "wd=0,0.01", "seed=1,2"), 6)
    assert_like_alone(data, config, variants_of(spec, config, "dropout=0,0.3"), 6)


def test_l1_matches_a_trainer_with_the_penalty(data):
    """l1 · Σ|w| over the weights (not the biases) is added to the back-propagated loss,
    as the trainer's own L1 setting does."""
    config = TrainingConfig(learning_rate=0.02, device="cpu")
    variants = variants_of(default_spec(4, 3), config, "l1=0.01")
    assert variants[0].config.l1 == 0.01
    together = VariantTrainer(data, config, variants)
    together.run(20)
    alone = Trainer(data, variants[0].spec, variants[0].config)
    alone.run(20)
    assert torch.allclose(together.params.detach()[0], weights(alone), atol=TOLERANCE, rtol=0)
    plain = Trainer(data, variants[0].spec, config)
    plain.run(20)
    assert not torch.allclose(weights(plain), weights(alone), atol=1e-3)


def test_regression_variants_match_each_alone():
    from playground.core.data.split import prepare
    from playground.core.data.toy_data import make_toy

    config = TrainingConfig(learning_rate=0.01, batch_size=64, device="cpu")
    data = prepare(make_toy("surface", 0.1, 0), config.val_fraction, config.seed)
    spec = NetworkSpec(2, 1, parse_hidden("6", "tanh"))
    together = assert_like_alone(data, config, variants_of(spec, config, "seed=0..2"), 5)
    assert together.histories[0]["val_accuracy"][-1] > together.histories[0]["val_accuracy"][0]


def test_engineered_inputs_are_computed_once_for_all(penguins):
    from playground.core.data.split import prepare
    from playground.core.network.engineered import make_terms, numeric_features

    config = TrainingConfig(device="cpu")
    data = prepare(penguins, 0.2, 0)
    terms = make_terms(("square",), numeric_features(penguins.features))
    spec = NetworkSpec(4, 3, parse_hidden("8"), terms)
    assert_like_alone(data, config, variants_of(spec, config, "seed=0,1"), 10)


# --- stopping, divergence, continuing alone -----------------------------------------
def test_a_stop_mid_epoch_leaves_whole_epochs_like_never_stopping(data):
    config = TrainingConfig(batch_size=16, device="cpu")
    variants = variants_of(default_spec(4, 3), config, "seed=0..2")
    stopped, straight = VariantTrainer(data, config, variants), VariantTrainer(data, config,
                                                                               variants)
    calls = iter(range(10_000))
    stats = stopped.run(5, lambda: next(calls) >= 30)  # 17 batches an epoch: stops in epoch 2
    assert stats.interrupted and stopped.epoch == len(stats) == 1
    stopped.run(2)
    straight.run(3)
    assert torch.equal(stopped.params, straight.params)


def test_a_diverging_variant_keeps_its_finite_epochs_and_the_others_train_on(data):
    config = TrainingConfig(optimizer="sgd", learning_rate=0.1, device="cpu")
    variants = variants_of(default_spec(4, 3), config, "lr=0.1,50")
    together = VariantTrainer(data, config, variants)
    stats = together.run(40)
    assert together.diverged[0] is None and together.diverged[1].startswith("diverged at")
    assert len(together.histories[0]) == 40 > len(together.histories[1])
    assert np.isnan(stats.metrics["val_loss"][-1, 1])
    assert np.isfinite(together.histories[1]["val_loss"]).all()
    with pytest.raises(SpecError, match="choose another"):
        together.to_trainer(1)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_continuing_a_variant_alone_gives_its_lone_numbers(data, optimizer):
    """Weights, optimizer state, generator and curves all carry over."""
    config = TrainingConfig(optimizer=optimizer, learning_rate=0.01, batch_size=64,
                            device="cpu")
    spec = NetworkSpec(4, 3, parse_hidden("8", "relu", "0.1"))
    variants = variants_of(spec, config, "seed=4,5")
    together = VariantTrainer(data, config, variants)
    together.run(5)
    continued = together.to_trainer(1)
    assert continued.config.seed == config.seed  # the split's seed, kept for the project
    assert continued.config.learning_rate == 0.01 and continued.epoch == 5
    continued.run(5)
    alone = Trainer(data, spec, replace(config, seed=5))
    alone.run(10)
    for m in METRICS:
        np.testing.assert_allclose(continued.history[m], alone.history[m], atol=TOLERANCE,
                                   rtol=0)
    assert torch.allclose(weights(continued), weights(alone), atol=TOLERANCE, rtol=0)


# --- the command line ------------------------------------------------------------------
def test_cli_vary_prints_one_json_object_with_every_variant(capsys):
    from support.cli import last_json, run

    code, out, err = run(capsys, "train", "--vary", "lr=0.001,0.01,0.1", "--vary", "seed=0..4",
                         "--epochs", "40", "--device", "cpu", "--json")
    assert code == 0, err
    result = last_json(out)
    assert result["epochs"] == 40 and len(result["variants"]) == 15
    first = result["variants"][0]
    assert first["values"] == {"lr": 0.001, "seed": 0} and first["label"] == "lr=0.001 seed=0"
    assert first["best_val_loss"] <= first["val_loss"]
    assert first["best_val_accuracy"] >= first["val_accuracy"]
    assert "lr=0.1 seed=4" in out  # the table names every variant
    # A variant on the base seed is the network `playground train` trains with its settings.
    code, out, _ = run(capsys, "train", "--lr", "0.01", "--epochs", "40", "--device", "cpu",
                       "--json")
    alone = last_json(out)
    together = result["variants"][5]
    assert together["values"] == {"lr": 0.01, "seed": 0}
    for key in ("train_loss", "val_loss", "val_accuracy"):
        assert abs(together[key] - alone[key]) < TOLERANCE, key


@pytest.mark.parametrize("argv, says", [
    (["--vary", "lr=0.1", "--vary", "lr=0.2"], "lr is varied twice"),
    (["--vary", "speed=1"], "NAME one of"),
    (["--vary", "seed=0..9", "--vary", "lr=1,2,3,4,5,6,7"], "70 variants"),
    (["--vary", "seed=0,1", "--out", "x.pgproj"], "--out saves one network"),
    (["--vary", "seed=0,1", "--patience", "5"], "--patience does not apply")])
def test_cli_vary_mistakes_are_one_line(capsys, argv, says):
    from support.cli import assert_usage_error, run

    code, out, err = run(capsys, "train", "--epochs", "2", *argv)
    assert_usage_error(code, out, err, says)


def test_too_many_variants_for_the_batch_is_refused_clearly(data, monkeypatch):
    from playground.core.training import variant_trainer

    monkeypatch.setattr(variant_trainer, "MAX_BATCH_FLOATS", 10_000)
    config = TrainingConfig(device="cpu")
    with pytest.raises(SpecError, match="16 variants × a batch of 273 rows is too big"):
        VariantTrainer(data, config, variants_of(default_spec(4, 3), config, "seed=0..15"))


def test_a_variant_continues_alone_only_with_the_l1_it_trained_with(data):
    config = TrainingConfig(device="cpu")
    together = VariantTrainer(data, config, variants_of(default_spec(4, 3), config,
                                                        "l1=0,0.001"))
    together.run(3)
    assert together.to_trainer(0).epoch == 3
    assert together.to_trainer(1).config.l1 == 0.001


def test_the_variants_choose_the_device_a_lone_variant_would(data, monkeypatch):
    """On `auto`, K variants together are K times the work of one; were that to cross
    the GPU threshold, they would train on another device (and generator) than each
    alone, and a variant continued alone would not go on as it would have."""
    import playground.core.training.trainer as trainer_module
    import playground.core.training.variant_trainer as variant_module

    asked = []

    def recording(name, work, _real=variant_module.resolve_device):
        asked.append(work)
        return _real(name, work)

    monkeypatch.setattr(variant_module, "resolve_device", recording)
    monkeypatch.setattr(trainer_module, "resolve_device", recording)
    config = TrainingConfig(batch_size=16, device="auto")
    variants = variants_of(default_spec(4, 3), config, "seed=0..15")
    VariantTrainer(data, config, variants)
    Trainer(data, variants[0].spec, variants[0].config)
    assert len(asked) == 2 and asked[0] == asked[1]
