"""Project files: round trips, atomic saves, damaged files, migrations."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest
import torch
from support.projects import edited, read_members, write_members  # noqa: F401

from playground.core.data.data_loaders import load_csv
from playground.core.data.split import prepare
from playground.core.errors import ProjectError
from playground.core.files import atomic_write
from playground.core.files import project as project_module
from playground.core.files.project import (
    FORMAT,
    FORMAT_VERSION,
    PROJECT_JSON,
    WEIGHTS,
    check_dataset_fits,
    load_project,
    project_from_trainer,
    save_project,
    trainer_from_project,
)
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.config import OPTIMIZERS, TrainingConfig
from playground.core.training.trainer import Trainer

CURVES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")
SPEC = NetworkSpec(4, 3, (LayerSpec(10, "relu", 0.2), LayerSpec(6, "tanh")))


def new_trainer(dataset, spec=SPEC, **config) -> Trainer:
    config = TrainingConfig(**{"device": "cpu", "batch_size": 32, "learning_rate": 0.01,
                               **config})
    return Trainer(prepare(dataset, config.val_fraction, config.seed), spec, config)


@pytest.fixture(scope="module")
def saved(penguins, tmp_path_factory):
    """A valid project file (a few epochs of adam) and its trainer."""
    trainer = new_trainer(penguins)
    trainer.run(4)
    path = tmp_path_factory.mktemp("saved") / "model.pgproj"
    save_project(project_from_trainer(trainer, penguins, {"input": [1, 2, 3, 4]}), path)
    return path, trainer


def project_error(path) -> str:
    with pytest.raises(ProjectError) as info:
        load_project(path)
    message = str(info.value)
    assert message and "\n" not in message
    assert "Traceback" not in message
    return message


# --- round trips ----------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_continue_after_open_equals_never_closed(penguins, tmp_path, optimizer):
    kw = dict(optimizer=optimizer, seed=5)
    closed = new_trainer(penguins, **kw)
    closed.run(6)
    path = tmp_path / "p.pgproj"
    save_project(project_from_trainer(closed, penguins), path)

    project = load_project(path)
    reopened = trainer_from_project(project, penguins)
    assert reopened.epoch == 6
    assert type(reopened.optimizer) is type(closed.optimizer)
    later = reopened.run(6)

    never_closed = new_trainer(penguins, **kw)
    never_closed.run(6)
    straight = never_closed.run(6)
    assert np.array_equal(later.epochs, straight.epochs)
    for name in CURVES:
        assert np.array_equal(getattr(later, name), getattr(straight, name)), name
        assert np.array_equal(reopened.history[name], never_closed.history[name]), name
    a, b = reopened.snapshot(), never_closed.snapshot()
    for wa, wb in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert np.array_equal(wa, wb)


def test_loaded_project_holds_everything(penguins, saved):
    path, trainer = saved
    project = load_project(path)
    assert project.spec == SPEC
    assert project.config == trainer.config
    assert project.epoch == 4
    assert project.class_names == ("Adelie", "Gentoo", "Chinstrap")
    assert [f.column for f in project.features] == [f.column for f in penguins.features]
    assert [f.unit for f in project.features] == ["mm", "mm", "mm", "g"]
    assert np.array_equal([f.low for f in project.features], trainer.data.train_low)
    assert np.array_equal([f.high for f in project.features], trainer.data.train_high)
    assert np.array_equal(project.standardizer.mean, trainer.data.standardizer.mean)
    assert np.array_equal(project.standardizer.scale, trainer.data.standardizer.scale)
    assert project.dataset["sha256"] == penguins.identity["sha256"]
    assert project.dataset["label"] == "species" and project.dataset["rows"] == 342
    assert project.extras == {"input": [1, 2, 3, 4]}
    history = project.history()
    assert np.array_equal(history["epochs"], [1, 2, 3, 4])
    for name in CURVES:
        assert np.array_equal(history[name], trainer.history[name])
    # The JSON is readable and the curves are not in it.
    meta = json.loads(read_members(path)[PROJECT_JSON])
    assert meta["format"] == FORMAT and meta["format_version"] == FORMAT_VERSION
    assert "train_loss" not in json.dumps(meta)


def test_history_is_restored_into_the_trainer(penguins, saved):
    path, trainer = saved
    reopened = trainer_from_project(load_project(path), penguins)
    assert len(reopened.history) == 4
    assert np.array_equal(reopened.history.epochs, trainer.history.epochs)
    for name in CURVES:
        assert np.array_equal(reopened.history[name], trainer.history[name])


def test_predictor_from_a_loaded_project_equals_the_trainer(penguins, saved):
    path, trainer = saved
    predictor = load_project(path).predictor()
    for row in penguins.x[::29]:
        expected = trainer.predict_proba(trainer.data.standardizer.transform(row))[0]
        prediction = predictor.predict(list(row))
        got = np.array(list(prediction.probabilities.values()))
        assert np.allclose(got, expected, atol=1e-5)
        assert prediction.label == penguins.class_names[int(expected.argmax())]


def test_a_fresh_untrained_project_round_trips(penguins, tmp_path):
    trainer = new_trainer(penguins, spec=NetworkSpec(4, 3), optimizer="sgd")
    save_project(project_from_trainer(trainer, penguins), tmp_path / "p.pgproj")
    project = load_project(tmp_path / "p.pgproj")
    assert project.epoch == 0 and len(project.history()["epochs"]) == 0
    reopened = trainer_from_project(project, penguins)
    assert reopened.run(2).val_accuracy[-1] == trainer.run(2).val_accuracy[-1]


def test_saving_twice_replaces_the_file(penguins, saved, tmp_path):
    path, trainer = saved
    target = tmp_path / "p.pgproj"
    save_project(project_from_trainer(trainer, penguins), target)
    other = new_trainer(penguins, seed=9)
    other.run(1)
    save_project(project_from_trainer(other, penguins), target)
    assert load_project(target).epoch == 1
    assert os.listdir(tmp_path) == ["p.pgproj"]  # no temporary file left behind


# --- atomic saves -----------------------------------------------------------------------------

def _project(saved, penguins):
    return project_from_trainer(saved[1], penguins)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions; root may write into read-only folders")
def test_save_into_a_read_only_folder(penguins, saved, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "p.pgproj"
    target.write_bytes(b"the previous file")
    folder.chmod(0o555)
    try:
        with pytest.raises(ProjectError, match="previous file there is unchanged"):
            save_project(_project(saved, penguins), target)
    finally:
        folder.chmod(0o755)
    assert target.read_bytes() == b"the previous file"
    assert os.listdir(folder) == ["p.pgproj"]


def test_save_where_the_parent_is_a_file(penguins, saved, tmp_path):
    parent = tmp_path / "notes.txt"
    parent.write_bytes(b"not a folder")
    with pytest.raises(ProjectError, match="previous file there is unchanged"):
        save_project(_project(saved, penguins), parent / "p.pgproj")
    assert parent.read_bytes() == b"not a folder"


@pytest.mark.parametrize("where, error", [
    ("creating", PermissionError(13, "Permission denied")),  # a read-only folder, even as root
    ("writing", OSError(28, "No space left on device")),
    ("replacing", OSError(28, "No space left on device")),
])
def test_failed_save_leaves_the_old_file_byte_identical(penguins, saved, tmp_path,
                                                        monkeypatch, where, error):
    target = tmp_path / "p.pgproj"
    save_project(_project(saved, penguins), target)
    before = target.read_bytes()

    def fail(*args, **kwargs):
        raise error

    if where == "creating":
        monkeypatch.setattr(atomic_write.tempfile, "mkstemp", fail)
    elif where == "writing":
        monkeypatch.setattr(atomic_write.os, "fsync", fail)
    else:
        monkeypatch.setattr(atomic_write.os, "replace", fail)
    other = new_trainer(penguins, seed=9)
    with pytest.raises(ProjectError, match=error.strerror):
        save_project(project_from_trainer(other, penguins), target)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["p.pgproj"]  # the temporary file is gone
    monkeypatch.undo()
    assert load_project(target).epoch == 4


# --- damaged, foreign, inconsistent and newer files ------------------------------------------

def test_missing_file_and_folder(tmp_path):
    assert "no such file" in project_error(tmp_path / "nope.pgproj")
    assert "folder" in project_error(tmp_path)


def test_truncated_file(saved, tmp_path):
    blob = saved[0].read_bytes()
    for n in (0, 10, len(blob) // 3, len(blob) // 2, len(blob) - 30, len(blob) - 1):
        path = tmp_path / f"cut{n}.pgproj"
        path.write_bytes(blob[:n])
        project_error(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "p.pgproj"
    path.write_text("hello, I am a text file\n")
    assert "not a valid zip" in project_error(path)


def test_zip_without_project_json(saved, tmp_path):
    path = tmp_path / "p.pgproj"
    write_members(path, {WEIGHTS: read_members(saved[0])[WEIGHTS]})
    assert "no project.json" in project_error(path)


def test_zip_without_weights(saved, tmp_path):
    path = tmp_path / "p.pgproj"
    write_members(path, {PROJECT_JSON: read_members(saved[0])[PROJECT_JSON]})
    assert WEIGHTS in project_error(path)


@pytest.mark.parametrize("meta", [
    {"format": "something-else", "format_version": 1},
    {"name": "a notebook"},
    [1, 2, 3],
    "project",
])
def test_foreign_project_json(saved, tmp_path, meta):
    path = tmp_path / "p.pgproj"
    members = read_members(saved[0])
    members[PROJECT_JSON] = json.dumps(meta).encode()
    write_members(path, members)
    assert "not a playground project" in project_error(path)


def test_project_json_that_is_not_json(saved, tmp_path):
    path = tmp_path / "p.pgproj"
    members = read_members(saved[0])
    members[PROJECT_JSON] = b"{not json"
    write_members(path, members)
    assert "not valid JSON" in project_error(path)
    members[PROJECT_JSON] = b"\xff\xfe\x00"
    write_members(path, members)
    assert "not valid JSON" in project_error(path)


def test_newer_format_version(saved, tmp_path):
    def newer(meta):
        meta["format_version"] = FORMAT_VERSION + 1

    message = project_error(edited(saved[0], tmp_path / "p.pgproj", newer))
    assert "newer version" in message


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, None, True])
def test_invalid_format_version(saved, tmp_path, version):
    def bad(meta):
        meta["format_version"] = version

    assert "format_version" in project_error(edited(saved[0], tmp_path / "p.pgproj", bad))


@pytest.mark.parametrize("name, shape", [
    ("layers.0.weight", (4, 10)),
    ("layers.0.weight", (10, 5)),
    ("layers.1.bias", (7,)),
    ("layers.2.weight", (3, 6, 1)),
])
def test_wrong_tensor_shapes(saved, tmp_path, name, shape):
    def reshape(arrays):
        arrays[name] = np.zeros(shape, dtype=np.float32)

    message = project_error(edited(saved[0], tmp_path / "p.pgproj", edit_arrays=reshape))
    assert name in message


def test_wrong_tensor_dtype(saved, tmp_path):
    def to_float64(arrays):
        arrays["layers.0.weight"] = arrays["layers.0.weight"].astype(np.float64)

    message = project_error(edited(saved[0], tmp_path / "p.pgproj", edit_arrays=to_float64))
    assert "layers.0.weight" in message and "float32" in message


def test_spec_and_tensors_disagree(saved, tmp_path):
    def wider(meta):
        meta["network"]["hidden"][0]["units"] = 11

    assert "layers.0.weight" in project_error(edited(saved[0], tmp_path / "p.pgproj", wider))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_weights(saved, tmp_path, value):
    def poison(arrays):
        w = arrays["layers.1.weight"].copy()
        w[2, 3] = value
        arrays["layers.1.weight"] = w

    message = project_error(edited(saved[0], tmp_path / "p.pgproj", edit_arrays=poison))
    assert "NaN or infinite" in message


@pytest.mark.parametrize("missing", ["layers.2.bias", "rng.generator", "history.val_loss",
                                     "optim.0.exp_avg"])
def test_missing_tensor(saved, tmp_path, missing):
    def drop(arrays):
        del arrays[missing]

    project_error(edited(saved[0], tmp_path / "p.pgproj", edit_arrays=drop))


def test_unexpected_tensor_and_uneven_history(saved, tmp_path):
    def extra(arrays):
        arrays["payload"] = np.zeros(3, dtype=np.float32)

    assert "payload" in project_error(edited(saved[0], tmp_path / "a.pgproj",
                                             edit_arrays=extra))

    def uneven(arrays):
        arrays["history.val_loss"] = arrays["history.val_loss"][:-1].copy()

    assert "history" in project_error(edited(saved[0], tmp_path / "b.pgproj",
                                             edit_arrays=uneven))


def test_optimizer_state_of_another_kind(saved, tmp_path):
    def claim_rmsprop(meta):
        meta["config"]["optimizer"] = "rmsprop"

    assert "rmsprop" in project_error(edited(saved[0], tmp_path / "p.pgproj", claim_rmsprop))


@pytest.mark.parametrize("edit, words", [
    (lambda m: m.__setitem__("epoch", -1), "epoch"),
    (lambda m: m.__setitem__("epoch", 2.5), "epoch"),
    (lambda m: m.__setitem__("class_names", ["Adelie", "Gentoo"]), "2 classes"),
    (lambda m: m.__setitem__("class_names", ["Adelie", "Gentoo", "Adelie"]), "class names"),
    (lambda m: m.__setitem__("features", m["features"][:3]), "3 features"),
    (lambda m: m.__setitem__("features", "all"), "features"),
    (lambda m: m["standardization"].__setitem__("scale", [1, 0, 1, 1]), "standardization"),
    (lambda m: m["standardization"].__setitem__("mean", [1, 2]), "standardization"),
    (lambda m: m["config"].__setitem__("learning_rate", -1), "learning_rate"),
    (lambda m: m["network"]["hidden"][1].__setitem__("activation", "swish"), "activation"),
    (lambda m: m.pop("network"), "network"),
    (lambda m: m.__setitem__("extras", [1]), "extras"),
    (lambda m: m["optimizer"].__setitem__("state", []), "optimizer"),
])
def test_inconsistent_json(saved, tmp_path, edit, words):
    assert words in project_error(edited(saved[0], tmp_path / "p.pgproj", edit))


def test_swapped_optimizer_tensors_are_refused(saved, tmp_path):
    # A step count where a moment tensor belongs (and back) must not reach torch.
    def swap(arrays):
        arrays["optim.1.exp_avg"], arrays["optim.1.step"] = (arrays["optim.1.step"],
                                                             arrays["optim.1.exp_avg"])

    assert "optim.1" in project_error(edited(saved[0], tmp_path / "p.pgproj",
                                             edit_arrays=swap))


@pytest.mark.parametrize("step", [-1.0, np.nan, np.inf])
def test_bad_step_count(saved, tmp_path, step):
    def bad(arrays):
        arrays["optim.0.step"] = np.array(step, dtype=np.float32)

    assert "step" in project_error(edited(saved[0], tmp_path / "p.pgproj", edit_arrays=bad))


def test_a_number_in_place_of_a_moment_is_refused(saved, tmp_path):
    def number(meta):
        meta["optimizer"]["state"]["0"]["exp_avg"] = {"value": 0.5}

    def drop(arrays):
        del arrays["optim.0.exp_avg"]

    message = project_error(edited(saved[0], tmp_path / "p.pgproj", number, drop))
    assert "optimizer state 0.exp_avg" in message


def test_damaged_optimizer_hyperparameters_do_not_reach_torch(penguins, saved, tmp_path):
    # The group settings follow from the config; wild values in the file are not used.
    def wild(meta):
        group = meta["optimizer"]["param_groups"][0]
        group.update(betas=[2.5e15, -3.0], eps=-1.0, amsgrad=True, capturable=True)

    project = load_project(edited(saved[0], tmp_path / "p.pgproj", wild))
    trainer = trainer_from_project(project, penguins)
    group = trainer.optimizer.param_groups[0]
    assert group["betas"] == (0.9, 0.999) and group["eps"] == 1e-8
    assert not group["amsgrad"] and not group["capturable"]
    # It continues exactly like the undamaged file.
    reference = trainer_from_project(load_project(saved[0]), penguins)
    a, b = trainer.run(2), reference.run(2)
    assert np.array_equal(a.train_loss, b.train_loss)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_project_for_a_missing_device(penguins, saved, tmp_path):
    def on_cuda(meta):
        meta["config"]["device"] = "cuda"

    project = load_project(edited(saved[0], tmp_path / "p.pgproj", on_cuda))
    assert project.predictor().predict([39.1, 18.7, 181, 3750]).label  # predicting works
    # Training carries on, on the best device this machine has.
    trainer = trainer_from_project(project, penguins)
    assert trainer.config.device == "auto" and trainer.device.type == "cpu"
    assert trainer.epoch == project.epoch and len(trainer.run(2)) == 2


def test_saved_projects_are_readable_by_others(saved):
    assert saved[0].stat().st_mode & 0o777 == 0o644


def test_a_pickle_is_never_loaded(tmp_path, monkeypatch):
    # A plain pickle renamed, and torch's own zip-of-pickles format.
    calls = []
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(pickle, "load", lambda *a, **k: calls.append(a))
    plain = tmp_path / "plain.pgproj"
    plain.write_bytes(pickle.dumps({"format": FORMAT, "weights": [1, 2, 3]}))
    assert "not a valid zip" in project_error(plain)
    torch_file = tmp_path / "torch.pgproj"
    torch.save({"layers.0.weight": torch.zeros(8, 4)}, torch_file)
    assert "not a playground project" in project_error(torch_file)
    assert calls == []


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "a/../../evil", "\\evil"])
def test_path_traversal_member(saved, tmp_path, name):
    path = tmp_path / "p.pgproj"
    members = read_members(saved[0])
    members[name] = b"gotcha"
    write_members(path, members)
    assert "unsafe name" in project_error(path)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_too_many_members(saved, tmp_path):
    path = tmp_path / "p.pgproj"
    members = read_members(saved[0])
    members.update({f"junk{i}": b"" for i in range(20)})
    write_members(path, members)
    assert "holds 22 files" in project_error(path)


def test_oversized_project_json(saved, tmp_path, monkeypatch):
    monkeypatch.setattr(project_module, "MAX_JSON_BYTES", 100)
    message = project_error(saved[0])
    assert PROJECT_JSON in message and "100" in message


def test_zip_bomb_that_lies_about_its_size(saved, tmp_path, monkeypatch):
    # A member whose header claims a small size but that unpacks to more.
    monkeypatch.setattr(project_module, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "p.pgproj"
    members = read_members(saved[0])
    members[PROJECT_JSON] = b" " * 5000 + members[PROJECT_JSON]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    blob = bytearray(buffer.getvalue())
    # Patch the uncompressed size (offset 22 in the local header, 24 in the central one).
    size = len(members[PROJECT_JSON]).to_bytes(4, "little")
    small = (500).to_bytes(4, "little")
    assert blob.count(size) >= 2
    blob = bytes(blob).replace(size, small)
    path.write_bytes(blob)
    assert "damaged" in project_error(path)  # the CRC no longer matches what was read


# --- migrations -------------------------------------------------------------------------------

def test_an_older_version_is_migrated_not_refused(saved, tmp_path, monkeypatch):
    # Pretend the current format kept the network under "net" and the next one renamed it
    # "network".
    now = FORMAT_VERSION
    def old_layout(meta):
        meta["net"] = meta.pop("network")

    old = edited(saved[0], tmp_path / "old.pgproj", old_layout)
    assert "network" in project_error(old)  # as it stands, the reader needs "network"

    seen = []

    def rename_net(meta):
        seen.append(meta["format_version"])
        meta = dict(meta)
        meta["network"] = meta.pop("net")
        return meta

    monkeypatch.setattr(project_module, "FORMAT_VERSION", now + 1)
    monkeypatch.setitem(project_module.MIGRATIONS, now, rename_net)
    project = load_project(old)
    assert seen == [now]
    assert project.spec == SPEC and project.epoch == 4
    # Saving writes the current version, which opens without migrating.
    save_project(project, tmp_path / "new.pgproj")
    assert json.loads(read_members(tmp_path / "new.pgproj")[PROJECT_JSON])[
        "format_version"] == now + 1
    assert load_project(tmp_path / "new.pgproj").spec == SPEC
    assert seen == [now]


def test_a_missing_migration_step_is_a_clear_error(saved, monkeypatch):
    monkeypatch.setattr(project_module, "FORMAT_VERSION", FORMAT_VERSION + 2)
    monkeypatch.setitem(project_module.MIGRATIONS, FORMAT_VERSION, lambda meta: meta)
    monkeypatch.delitem(project_module.MIGRATIONS, FORMAT_VERSION + 1, raising=False)
    project_error(saved[0])


# --- pairing a project with a data set ---------------------------------------------------------

def test_check_dataset_fits_refuses_other_columns(saved, tmp_path, penguins):
    project = load_project(saved[0])
    check_dataset_fits(project, penguins)  # the data it was trained on fits
    csv = tmp_path / "other.csv"
    csv.write_text("a,b,c,d,species\n1,2,3,4,Adelie\n2,3,4,5,Gentoo\n3,4,5,6,Chinstrap\n")
    other = load_csv(csv, "species", classes=["Adelie", "Gentoo", "Chinstrap"])
    with pytest.raises(ProjectError, match="bill_length_mm"):
        check_dataset_fits(project, other)
    with pytest.raises(ProjectError, match="columns"):
        trainer_from_project(project, other)


def test_check_dataset_fits_refuses_other_classes(saved, tmp_path):
    project = load_project(saved[0])
    csv = tmp_path / "other.csv"
    csv.write_text("bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,species\n"
                   "1,2,3,4,Emperor\n2,3,4,5,King\n3,4,5,6,Adelie\n")
    other = load_csv(csv, "species")
    with pytest.raises(ProjectError, match="classes"):
        check_dataset_fits(project, other)


def test_default_spec_project_for_every_optimizer_loads(penguins, tmp_path):
    for optimizer in OPTIMIZERS:
        trainer = new_trainer(penguins, spec=default_spec(4, 3), optimizer=optimizer)
        trainer.run(1)
        path = tmp_path / f"{optimizer}.pgproj"
        save_project(project_from_trainer(trainer, penguins), path)
        assert load_project(path).config.optimizer == optimizer
