"""Mutated copies of a valid project file: the loader only ever succeeds or says ProjectError.

Whatever it accepts must then also make a trainer (or raise ProjectError), train an
epoch, and predict (or raise a PlaygroundError) — never crash with anything else.
"""

import json
import math
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.numpy import load as st_load
from safetensors.numpy import save as st_save

from playground.core.data.data_loaders import load_penguins
from playground.core.data.split import prepare
from playground.core.errors import PlaygroundError, ProjectError
from playground.core.files.project import (
    PROJECT_JSON,
    WEIGHTS,
    load_project,
    project_from_trainer,
    save_project,
    trainer_from_project,
)
from playground.core.network.spec import ACTIVATIONS, LayerSpec, NetworkSpec
from playground.core.training.config import DEVICES, OPTIMIZERS, TrainingConfig
from playground.core.training.trainer import Trainer

FUZZ = settings(deadline=None, max_examples=200,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

DATASET = load_penguins()
EXAMPLE = [39.1, 18.7, 181, 3750]


def _base_files(folder) -> list[bytes]:
    """Two valid projects: adam with dropout, and momentum (tensors in its state)."""
    blobs = []
    for optimizer, spec in [
        ("adam", NetworkSpec(4, 3, (LayerSpec(6, "relu", 0.1), LayerSpec(5, "tanh")))),
        ("momentum", NetworkSpec(4, 3, (LayerSpec(4, "gelu"),))),
    ]:
        config = TrainingConfig(optimizer=optimizer, batch_size=64, device="cpu",
                                learning_rate=0.01)
        trainer = Trainer(prepare(DATASET, config.val_fraction, config.seed), spec, config)
        trainer.run(3)
        path = folder / f"{optimizer}.pgproj"
        save_project(project_from_trainer(trainer, DATASET), path)
        blobs.append(path.read_bytes())
    return blobs


BASES: list[bytes] = []  # filled once; a global, so hypothesis does not print them


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz")
    if not BASES:
        BASES.extend(_base_files(path))
    return path


def members_of(blob: bytes, folder) -> dict[str, bytes]:
    path = folder / "base.zip"
    path.write_bytes(blob)
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def zipped(members: dict[str, bytes], folder) -> bytes:
    path = folder / "rezipped.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path.read_bytes()


def check(blob: bytes, folder) -> None:
    """The property: success, or the module's own error, at every stage."""
    path = folder / "mutant.pgproj"
    path.write_bytes(blob)
    try:
        project = load_project(path)
    except ProjectError as e:
        assert str(e) and "\n" not in str(e)
        return
    try:
        prediction = project.predictor().predict(EXAMPLE)
    except PlaygroundError:
        pass
    else:
        assert prediction.label in project.class_names
        assert set(prediction.probabilities) == set(project.class_names)
        p = np.array(list(prediction.probabilities.values()))
        assert np.isfinite(p).all() and abs(p.sum() - 1) < 1e-6
    try:
        trainer = trainer_from_project(project, DATASET)
    except ProjectError:
        return
    stats = trainer.run(1)
    assert len(stats) <= 1
    snapshot = trainer.snapshot()
    assert all(np.isfinite(w).all() for w in snapshot.weights)


def test_the_unmutated_files_pass_every_stage(folder):
    for blob in BASES:
        path = folder / "plain.pgproj"
        path.write_bytes(blob)
        project = load_project(path)
        prediction = project.predictor().predict(EXAMPLE)
        assert sum(prediction.probabilities.values()) == pytest.approx(1.0)
        trainer = trainer_from_project(project, DATASET)
        assert trainer.epoch == 3
        assert len(trainer.run(1)) == 1


# --- raw bytes -----------------------------------------------------------------------------

@FUZZ
@given(base=st.integers(0, 1), flips=st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=6))
def test_flipped_bytes(folder, base, flips):
    blob = bytearray(BASES[base])
    for where, mask in flips:
        blob[int(where * len(blob))] ^= mask
    check(bytes(blob), folder)


@FUZZ
@given(base=st.integers(0, 1), fraction=st.floats(0, 1, exclude_max=True))
def test_truncations(folder, base, fraction):
    blob = BASES[base]
    check(blob[:int(fraction * len(blob))], folder)


# --- edited JSON -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
# Values that pass the first checks, so that the mutation reaches deeper code.
plausible = (st.sampled_from(OPTIMIZERS + ACTIVATIONS + DEVICES + ("tensor", "value"))
             | st.integers(-2, 12) | st.sampled_from([0.0, 0.5, 1.0, 2.0, -1.0, 1e9, math.nan,
                                                      math.inf, True, False, None, [], {}])
             | st.lists(st.integers(0, 9), max_size=6) | st.floats())


def nodes(value, path=()):
    """Every place in the JSON tree, as a path of keys and indices."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,)
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield path + (i,)
            yield from nodes(v, path + (i,))


def parent_of(meta, path):
    for key in path[:-1]:
        meta = meta[key]
    return meta


@FUZZ
@given(base=st.integers(0, 1), data=st.data())
def test_edited_json(folder, base, data):
    members = members_of(BASES[base], folder)
    meta = json.loads(members[PROJECT_JSON])
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        places = list(nodes(meta))
        if not places:
            break
        path = data.draw(st.sampled_from(places), label="path")
        parent = parent_of(meta, path)
        if data.draw(st.booleans(), label="delete"):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(plausible | json_values, label="value")
    members[PROJECT_JSON] = json.dumps(meta).encode()
    check(zipped(members, folder), folder)


WORDS = (OPTIMIZERS + ACTIVATIONS + DEVICES + DATASET.class_names
         + tuple(f.column for f in DATASET.features) + ("", "tensor", "value", "Emperor"))


def similar(old):
    """A value of the same kind as `old`, often valid, so that validation lets it through."""
    if isinstance(old, bool):
        return st.booleans()
    if isinstance(old, int):
        return st.integers(-1, 2 * abs(old) + 10) | st.integers()
    if isinstance(old, float):
        size = 2 * abs(old) + 1 if math.isfinite(old) else 1.0
        return (st.floats(-size, size) | st.floats()
                | st.sampled_from([0.0, -0.0, 1e-9, 0.95, 1e300]))
    if isinstance(old, str):
        return st.sampled_from(WORDS) | st.text(max_size=6)
    if isinstance(old, list) and old:
        return st.lists(similar(old[0]), max_size=len(old) + 1)
    return json_values


@FUZZ
@given(base=st.integers(0, 1), data=st.data())
def test_type_preserving_json_edits(folder, base, data):
    members = members_of(BASES[base], folder)
    meta = json.loads(members[PROJECT_JSON])
    for _ in range(data.draw(st.integers(1, 2), label="edits")):
        path = data.draw(st.sampled_from(list(nodes(meta))), label="path")
        parent = parent_of(meta, path)
        parent[path[-1]] = data.draw(similar(parent[path[-1]]), label="value")
    members[PROJECT_JSON] = json.dumps(meta).encode()
    check(zipped(members, folder), folder)


# --- edited tensors --------------------------------------------------------------------------

DTYPES = [np.float16, np.float64, np.int32, np.int64, np.uint8, np.int8, np.bool_]


def reshaped(a: np.ndarray, how: str) -> np.ndarray:
    if how == "flatten":
        return a.reshape(-1).copy()
    if how == "transpose":
        return a.T.copy()
    if how == "add_axis":
        return a[None].copy()
    if how == "scalar":
        return np.array(a.reshape(-1)[0] if a.size else 0, dtype=a.dtype)
    if how == "empty":
        return a.reshape(-1)[:0].copy()
    if how == "longer":
        return np.concatenate([a.reshape(-1), a.reshape(-1)[:1]])
    raise AssertionError(how)


@FUZZ
@given(base=st.integers(0, 1), data=st.data())
def test_edited_tensors(folder, base, data):
    members = members_of(BASES[base], folder)
    arrays = dict(st_load(members[WEIGHTS]))
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        names = sorted(arrays)
        if not names:
            break
        name = data.draw(st.sampled_from(names), label="name")
        op = data.draw(st.sampled_from(["swap", "reshape", "dtype", "delete", "nan", "add",
                                        "zeros"]), label="op")
        if op == "swap":
            other = data.draw(st.sampled_from(names), label="other")
            arrays[name], arrays[other] = arrays[other], arrays[name]
        elif op == "reshape":
            how = data.draw(st.sampled_from(["flatten", "transpose", "add_axis", "scalar",
                                             "empty", "longer"]), label="how")
            arrays[name] = reshaped(arrays[name], how)
        elif op == "dtype":
            with np.errstate(invalid="ignore", over="ignore"):  # NaN → int is the point
                arrays[name] = arrays[name].astype(data.draw(st.sampled_from(DTYPES)))
        elif op == "delete":
            del arrays[name]
        elif op == "nan" and arrays[name].dtype.kind == "f" and arrays[name].size:
            a = arrays[name].copy()
            a.reshape(-1)[data.draw(st.integers(0, a.size - 1))] = data.draw(
                st.sampled_from([np.nan, np.inf, -np.inf]))
            arrays[name] = a
        elif op == "add":
            new = data.draw(st.sampled_from(["optim.9.step", "optim.0.extra", "junk",
                                             "layers.9.weight", "history.more"]))
            arrays[new] = np.zeros(3, dtype=np.float32)
        elif op == "zeros":
            arrays[name] = np.zeros_like(arrays[name])
    members[WEIGHTS] = st_save(arrays)
    check(zipped(members, folder), folder)


@FUZZ
@given(base=st.integers(0, 1), data=st.data())
def test_json_and_tensors_edited_together(folder, base, data):
    """A consistent-looking edit of both halves: e.g. wider layers and wider tensors."""
    members = members_of(BASES[base], folder)
    meta = json.loads(members[PROJECT_JSON])
    arrays = dict(st_load(members[WEIGHTS]))
    layer = data.draw(st.integers(0, len(meta["network"]["hidden"]) - 1))
    units = data.draw(st.integers(1, 9))
    meta["network"]["hidden"][layer]["units"] = units
    w = arrays[f"layers.{layer}.weight"]
    arrays[f"layers.{layer}.weight"] = np.resize(w, (units, w.shape[1])).astype(np.float32)
    arrays[f"layers.{layer}.bias"] = np.resize(arrays[f"layers.{layer}.bias"], (units,))
    nxt = arrays[f"layers.{layer + 1}.weight"]
    if data.draw(st.booleans()):
        arrays[f"layers.{layer + 1}.weight"] = np.resize(nxt, (nxt.shape[0], units))
    members[PROJECT_JSON] = json.dumps(meta).encode()
    members[WEIGHTS] = st_save(arrays)
    check(zipped(members, folder), folder)


@FUZZ
@given(base=st.integers(0, 1), name=st.sampled_from([PROJECT_JSON, WEIGHTS]),
       junk=st.binary(max_size=300))
def test_replaced_members(folder, base, name, junk):
    members = members_of(BASES[base], folder)
    members[name] = junk
    check(zipped(members, folder), folder)
