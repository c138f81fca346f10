"""NetworkSpec, LayerSpec and TrainingConfig: frozen, validated values that name the field."""

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.errors import SpecError
from playground.core.network.spec import (
    ACTIVATIONS,
    MAX_LAYERS,
    MAX_UNITS,
    LayerSpec,
    NetworkSpec,
    default_spec,
    parse_hidden,
)
from playground.core.training.config import DEVICES, OPTIMIZERS, TrainingConfig

# --- valid values ------------------------------------------------------------------------

layers = st.builds(
    LayerSpec,
    units=st.integers(1, MAX_UNITS),
    activation=st.sampled_from(ACTIVATIONS),
    dropout=st.floats(0.0, 0.95, allow_nan=False),
)
specs = st.builds(
    NetworkSpec,
    n_inputs=st.integers(1, 100_000),
    n_outputs=st.integers(2, 10_000),
    hidden=st.lists(layers, max_size=MAX_LAYERS).map(tuple),
)
configs = st.builds(
    TrainingConfig,
    optimizer=st.sampled_from(OPTIMIZERS),
    learning_rate=st.floats(0.0, 100.0, exclude_min=True, allow_nan=False),
    batch_size=st.integers(0, 100_000_000),
    epochs=st.integers(1, 100_000_000),
    weight_decay=st.floats(0.0, 10.0, allow_nan=False),
    val_fraction=st.floats(0.05, 0.9, allow_nan=False),
    seed=st.integers(0, 2**63 - 1),
    device=st.sampled_from(DEVICES),
    l1=st.floats(0.0, 10.0, allow_nan=False),
)


@given(specs)
def test_spec_round_trips_through_dict_and_json(spec):
    assert NetworkSpec.from_dict(spec.to_dict()) == spec
    assert NetworkSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


@given(configs)
def test_config_round_trips_through_dict_and_json(config):
    assert TrainingConfig.from_dict(config.to_dict()) == config
    assert TrainingConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


@given(layers)
def test_layer_round_trips(layer):
    assert LayerSpec.from_dict(layer.to_dict()) == layer


def test_defaults():
    layer = LayerSpec()
    assert (layer.units, layer.activation, layer.dropout) == (8, "relu", 0.0)
    c = TrainingConfig()
    assert c.optimizer in OPTIMIZERS and c.batch_size == 0 and c.device == "auto"
    spec = default_spec(4, 3)
    assert spec.widths == [4, 8, 3]
    assert spec.parameter_count() == (4 + 1) * 8 + (8 + 1) * 3


def test_specs_are_frozen():
    spec = default_spec(4, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.n_inputs = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TrainingConfig().learning_rate = 1.0  # type: ignore[misc]


def test_no_hidden_layer_is_valid():
    spec = NetworkSpec(4, 3)
    assert spec.hidden == () and spec.widths == [4, 3]
    assert spec.parameter_count() == 15
    assert NetworkSpec.from_dict({"n_inputs": 4, "n_outputs": 3}) == spec
    assert NetworkSpec.from_dict({"n_inputs": 4, "n_outputs": 3, "hidden": []}) == spec


def test_editing_helpers_return_new_values():
    spec = default_spec(4, 3)
    wider = spec.with_layer(0, LayerSpec(16, "tanh"))
    assert wider.widths == [4, 16, 3] and spec.widths == [4, 8, 3]
    deeper = spec.inserted(1, LayerSpec(5, "gelu", 0.2))
    assert deeper.widths == [4, 8, 5, 3]
    assert deeper.removed(0).hidden == (LayerSpec(5, "gelu", 0.2),)
    with pytest.raises(SpecError, match="hidden"):
        spec.inserted(0, "not a layer")  # type: ignore[arg-type]


def test_whole_floats_from_json_are_stored_as_ints():
    # JSON written by other tools may say 8.0; the value kept must be an int,
    # or later code (range(), seeds) would break on it.
    layer = LayerSpec.from_dict({"units": 8.0})
    assert layer.units == 8 and type(layer.units) is int
    config = TrainingConfig.from_dict({"batch_size": 16.0, "epochs": 10.0, "seed": 3.0})
    assert (config.batch_size, config.epochs, config.seed) == (16, 10, 3)
    assert all(type(v) is int for v in (config.batch_size, config.epochs, config.seed))
    spec = NetworkSpec.from_dict({"n_inputs": 4.0, "n_outputs": 3.0})
    assert type(spec.n_inputs) is int and type(spec.n_outputs) is int


# --- invalid values name their field ----------------------------------------------------

def _spec_error(make) -> str:
    with pytest.raises(SpecError) as info:
        make()
    message = str(info.value)
    assert message and "\n" not in message
    return message


@pytest.mark.parametrize("layer, field", [
    ({"units": 0}, "hidden[0].units"),
    ({"units": 100_000}, "hidden[0].units"),
    ({"units": -3}, "hidden[0].units"),
    ({"units": 2.5}, "hidden[0].units"),
    ({"units": "8"}, "hidden[0].units"),
    ({"units": True}, "hidden[0].units"),
    ({"units": None}, "hidden[0].units"),
    ({"units": float("inf")}, "hidden[0].units"),
    ({"units": float("nan")}, "hidden[0].units"),
    ({"activation": "swish"}, "hidden[0].activation"),
    ({"activation": "ReLU"}, "hidden[0].activation"),
    ({"activation": None}, "hidden[0].activation"),
    ({"activation": ["relu"]}, "hidden[0].activation"),
    ({"dropout": 1.5}, "hidden[0].dropout"),
    ({"dropout": -0.1}, "hidden[0].dropout"),
    ({"dropout": 1.0}, "hidden[0].dropout"),
    ({"dropout": float("nan")}, "hidden[0].dropout"),
    ({"dropout": "0.1"}, "hidden[0].dropout"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_layer_names_the_field(layer, field):
    d = {"n_inputs": 4, "n_outputs": 3, "hidden": [layer]}
    assert field in _spec_error(lambda: NetworkSpec.from_dict(d))


def test_invalid_second_layer_names_its_index():
    d = {"n_inputs": 4, "n_outputs": 3, "hidden": [{"units": 5}, {"units": 0}]}
    assert "hidden[1].units" in _spec_error(lambda: NetworkSpec.from_dict(d))


@pytest.mark.parametrize("make, field", [
    (lambda: LayerSpec(0), "units"),
    (lambda: LayerSpec(100_000), "units"),
    (lambda: LayerSpec(8, "softmax"), "activation"),
    (lambda: LayerSpec(8, "relu", 1.5), "dropout"),
    (lambda: NetworkSpec(0, 3), "n_inputs"),
    (lambda: NetworkSpec(4, 0), "n_outputs"),
    (lambda: NetworkSpec(4, 3, [LayerSpec()]), "hidden"),
    (lambda: NetworkSpec(4, 3, (LayerSpec(),) * (MAX_LAYERS + 1)), "hidden"),
    (lambda: NetworkSpec(4, 3, ({"units": 8},)), "hidden[0]"),
])
def test_direct_construction_is_validated(make, field):
    assert field in _spec_error(make)


@pytest.mark.parametrize("d, field", [
    ({"n_outputs": 3}, "n_inputs"),
    ({"n_inputs": 4}, "n_outputs"),
    ({"n_inputs": 0, "n_outputs": 3}, "n_inputs"),
    ({"n_inputs": 4, "n_outputs": 0}, "n_outputs"),
    ({"n_inputs": "4", "n_outputs": 3}, "n_inputs"),
    ({"n_inputs": 4, "n_outputs": 3, "hidden": "8,8"}, "hidden"),
    ({"n_inputs": 4, "n_outputs": 3, "hidden": {"units": 8}}, "hidden"),
    ({"n_inputs": 4, "n_outputs": 3, "hidden": [8]}, "hidden[0]"),
    ({"n_inputs": 4, "n_outputs": 3, "hidden": [{}] * (MAX_LAYERS + 1)}, "hidden"),
    ({"n_inputs": 4, "n_outputs": 3, "depth": 2}, "depth"),
])
def test_invalid_network_names_the_field(d, field):
    assert field in _spec_error(lambda: NetworkSpec.from_dict(d))


@pytest.mark.parametrize("value", [None, [], "network", 3])
def test_network_must_be_a_mapping(value):
    assert "network" in _spec_error(lambda: NetworkSpec.from_dict(value))


@pytest.mark.parametrize("field, value", [
    ("optimizer", "lbfgs"),
    ("optimizer", "Adam"),
    ("optimizer", None),
    ("learning_rate", 0),
    ("learning_rate", 0.0),
    ("learning_rate", -0.1),
    ("learning_rate", 1000.0),
    ("learning_rate", float("nan")),
    ("learning_rate", float("inf")),
    ("learning_rate", "0.1"),
    ("learning_rate", True),
    ("batch_size", -1),
    ("batch_size", 1.5),
    ("batch_size", float("inf")),
    ("batch_size", "16"),
    ("epochs", 0),
    ("epochs", -5),
    ("epochs", 10**9),
    ("epochs", float("nan")),
    ("weight_decay", -0.01),
    ("weight_decay", 11.0),
    ("l1", -0.001),
    ("l1", 11.0),
    ("l1", float("nan")),
    ("l1", "0.01"),
    ("l1", True),
    ("val_fraction", 0.0),
    ("val_fraction", 0.95),
    ("val_fraction", 1.0),
    ("seed", -1),
    ("seed", 2**64),
    ("seed", 1.5),
    ("device", "tpu"),
    ("device", ""),
])
def test_invalid_config_names_the_field(field, value):
    assert field in _spec_error(lambda: TrainingConfig(**{field: value}))
    assert field in _spec_error(lambda: TrainingConfig.from_dict({field: value}))


def test_config_unknown_field_and_not_a_mapping():
    assert "momentum" in _spec_error(lambda: TrainingConfig.from_dict({"momentum": 0.9}))
    assert "config" in _spec_error(lambda: TrainingConfig.from_dict([("lr", 1)]))
    assert "config" in _spec_error(lambda: TrainingConfig.from_dict({1: 2}))


# --- parse_hidden (the command line's --hidden/--activation/--dropout) -------------------

def test_parse_hidden():
    assert parse_hidden("10,10") == (LayerSpec(10), LayerSpec(10))
    assert parse_hidden(" 6 , 5 ", "tanh,gelu", "0.1,0") == (
        LayerSpec(6, "tanh", 0.1), LayerSpec(5, "gelu", 0.0))
    assert parse_hidden("3,4,5", "sigmoid", "0.5") == tuple(
        LayerSpec(u, "sigmoid", 0.5) for u in (3, 4, 5))
    assert parse_hidden("") == ()
    assert parse_hidden("   ") == ()
    assert parse_hidden("", "tanh,gelu") == ()  # nothing to apply them to
    assert parse_hidden("7", "", "") == (LayerSpec(7),)


@pytest.mark.parametrize("args, field", [
    (("abc",), "hidden"),
    (("8,x",), "hidden"),
    (("8.5",), "hidden"),
    (("0",), "hidden[0].units"),
    (("8,100000",), "hidden[1].units"),
    (("8", "foo"), "hidden[0].activation"),
    (("8,8", "relu,foo"), "hidden[1].activation"),
    (("8,8", "relu,tanh,gelu"), "activation"),
    (("8", "relu", "x"), "dropout"),
    (("8", "relu", "1.5"), "hidden[0].dropout"),
    (("8,8,8", "relu", "0.1,0.2"), "dropout"),
])
def test_parse_hidden_errors(args, field):
    assert field in _spec_error(lambda: parse_hidden(*args))


# --- random junk: from_dict returns a value or raises SpecError, nothing else ------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
# Numbers near the edges of what the fields accept, and the floats JSON can hold.
numbers = (st.integers(-5, 10**6) | st.integers() | st.floats()
           | st.sampled_from([math.inf, -math.inf, math.nan, 0.0, 8.0, 1e300, -0.0]))
layer_dicts = st.fixed_dictionaries({}, optional={
    "units": numbers | json_values,
    "activation": st.sampled_from(ACTIVATIONS) | json_values,
    "dropout": numbers | json_values,
})
network_dicts = st.fixed_dictionaries(
    {"n_inputs": numbers, "n_outputs": numbers},
    optional={"hidden": st.lists(layer_dicts, max_size=4) | json_values},
) | st.fixed_dictionaries({}, optional={
    "n_inputs": numbers | json_values,
    "n_outputs": numbers | json_values,
    "hidden": st.lists(layer_dicts | json_values, max_size=4) | json_values,
    "extra": json_values,
})
config_dicts = st.fixed_dictionaries({}, optional={
    "optimizer": st.sampled_from(OPTIMIZERS) | json_values,
    "learning_rate": numbers | json_values,
    "batch_size": numbers | json_values,
    "epochs": numbers | json_values,
    "weight_decay": numbers | json_values,
    "val_fraction": numbers | json_values,
    "seed": numbers | st.integers(2**62, 2**65) | json_values,
    "device": st.sampled_from(DEVICES) | json_values,
    "l1": numbers | json_values,
})


def _only_spec_errors(parse, value):
    try:
        result = parse(value)
    except SpecError as e:
        assert str(e)
        return
    # What it accepted is valid: it survives its own round trip.
    assert type(result).from_dict(result.to_dict()) == result


@settings(deadline=None, max_examples=300)
@given(json_values | network_dicts)
def test_network_from_random_json_only_raises_spec_error(value):
    _only_spec_errors(NetworkSpec.from_dict, value)


@settings(deadline=None, max_examples=300)
@given(json_values | config_dicts)
def test_config_from_random_json_only_raises_spec_error(value):
    _only_spec_errors(TrainingConfig.from_dict, value)


@settings(deadline=None, max_examples=100)
@given(config_dicts)
def test_accepted_configs_hold_values_of_the_right_type(d):
    try:
        config = TrainingConfig.from_dict(d)
    except SpecError:
        return
    for name in ("batch_size", "epochs", "seed"):
        assert type(getattr(config, name)) is int
    for name in ("learning_rate", "weight_decay", "val_fraction", "l1"):
        assert math.isfinite(getattr(config, name))


def test_a_config_written_before_l1_loads_with_l1_off():
    old = TrainingConfig().to_dict()
    del old["l1"]
    config = TrainingConfig.from_dict(old)
    assert config.l1 == 0.0 and config == TrainingConfig()
    assert TrainingConfig.from_dict({"l1": 0.003}).l1 == 0.003
    assert type(TrainingConfig.from_dict({"l1": 0}).l1) is float
