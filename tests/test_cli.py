"""The command line: `playground train` and `playground predict` (../shared/CONTRACT.md)."""

import math
import os
import subprocess
import sys

import pytest
import torch
from support.cli import assert_usage_error, last_json, run

from playground.cli import main
from playground.core.files.project import load_project
from playground.core.network.spec import LayerSpec

TRAIN_KEYS = {"epochs", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "device",
              "seconds"}


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A project trained with the defaults through the command line."""
    path = tmp_path_factory.mktemp("cli") / "penguins.pgproj"
    assert main(["train", "--out", str(path)]) == 0
    return path


# --- train ------------------------------------------------------------------------------------

def test_train_defaults_json(capsys):
    code, out, err = run(capsys, "train", "--json")
    assert code == 0
    result = last_json(out)
    assert TRAIN_KEYS <= set(result)
    assert result["epochs"] == 300
    assert result["val_accuracy"] >= 0.97
    assert result["train_accuracy"] >= 0.97
    assert 0 <= result["val_loss"] < 0.3 and 0 <= result["train_loss"] < 0.3
    assert isinstance(result["device"], str) and result["device"]
    assert 0 < result["seconds"] < 60
    assert result.get("diverged") is None
    assert "Traceback" not in err


def test_train_prints_a_report(capsys):
    code, out, err = run(capsys, "train", "--epochs", "20", "--device", "cpu")
    assert code == 0
    assert "Trained 20 epochs on CPU" in out
    assert "training" in out and "validation" in out
    assert "Validation per class" in out
    for name in ("Adelie", "Gentoo", "Chinstrap"):
        assert name in out
    assert not out.rstrip().splitlines()[-1].startswith("{")  # no JSON unless asked
    assert err == ""  # not a terminal: no progress bar


def test_train_json_is_deterministic(capsys):
    def argv(seed):
        return ["train", "--epochs", "30", "--batch-size", "16", "--dropout", "0.2", "--seed",
                str(seed), "--device", "cpu", "--json"]

    first = last_json(run(capsys, *argv(4))[1])
    second = last_json(run(capsys, *argv(4))[1])
    for key in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
        assert first[key] == second[key]
    other = last_json(run(capsys, *argv(5))[1])
    assert other["train_loss"] != first["train_loss"]


def test_train_in_a_real_subprocess(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "playground", "train", "--epochs", "50",
                           "--json"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert TRAIN_KEYS <= set(result)
    assert result["epochs"] == 50
    assert 0.5 < result["val_accuracy"] <= 1.0
    assert "Traceback" not in done.stderr


def test_bad_usage_in_a_real_subprocess(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "playground", "predict", "--model",
                           str(tmp_path / "nope.pgproj"), "1", "2", "3", "4"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert_usage_error(done.returncode, done.stdout, done.stderr, "nope.pgproj")


def test_out_writes_a_project_that_predict_reads(capsys, model_file):
    project = load_project(model_file)
    assert project.epoch == 300
    assert project.class_names == ("Adelie", "Gentoo", "Chinstrap")
    code, out, err = run(capsys, "predict", "--model", str(model_file),
                         "39.1", "18.7", "181", "3750", "--json")
    assert code == 0 and err == ""
    result = last_json(out)
    assert result["label"] == "Adelie"
    assert list(result["probabilities"]) == ["Adelie", "Gentoo", "Chinstrap"]
    assert math.isclose(sum(result["probabilities"].values()), 1.0, abs_tol=1e-6)
    assert result["probabilities"]["Adelie"] > 0.5
    assert result["warnings"] == []


def test_predict_prints_species_and_three_probabilities(capsys, model_file):
    code, out, err = run(capsys, "predict", "--model", str(model_file),
                         "46.1", "13.2", "211", "4500")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Gentoo"
    assert len(lines) == 4
    assert lines[1].split()[0] == "Gentoo"  # most likely first
    assert sorted(line.split()[0] for line in lines[1:]) == ["Adelie", "Chinstrap", "Gentoo"]
    assert all("%" in line for line in lines[1:])


def test_predict_warnings_go_to_stderr(capsys, model_file):
    code, out, err = run(capsys, "predict", "--model", str(model_file),
                         "37.3", "16.8", "19.2", "30.0", "--json")
    assert code == 0
    warnings = err.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith("warning: flipper length 19.2 mm is far below")
    assert warnings[1].startswith("warning: body mass 30 g is far below")
    assert "mm)" in warnings[0] and "g)" in warnings[1]  # the range, with its unit
    assert "warning" not in out.replace('"warnings"', "")
    assert last_json(out)["warnings"] == [w[len("warning: "):] for w in warnings]


def test_no_hidden_layer_trains(capsys, tmp_path):
    path = tmp_path / "flat.pgproj"
    code, out, err = run(capsys, "train", "--hidden", "", "--epochs", "100", "--out",
                         str(path), "--json")
    assert code == 0, err
    assert last_json(out)["val_accuracy"] > 0.9  # penguins are nearly linearly separable
    project = load_project(path)
    assert project.spec.hidden == () and project.spec.widths == [4, 3]


def test_activation_list_per_layer(capsys, tmp_path):
    path = tmp_path / "deep.pgproj"
    code, out, err = run(capsys, "train", "--hidden", "6,5,4", "--activation",
                         "tanh,gelu,leaky_relu", "--dropout", "0.1,0,0.2", "--optimizer",
                         "rmsprop", "--lr", "0.01", "--batch-size", "32", "--epochs", "5",
                         "--seed", "3", "--val-fraction", "0.3", "--weight-decay", "0.001",
                         "--out", str(path))
    assert code == 0, err
    assert f"Saved the project to {path}" in out
    project = load_project(path)
    assert project.spec.hidden == (LayerSpec(6, "tanh", 0.1), LayerSpec(5, "gelu", 0.0),
                                   LayerSpec(4, "leaky_relu", 0.2))
    c = project.config
    assert (c.optimizer, c.learning_rate, c.batch_size, c.epochs, c.seed) == (
        "rmsprop", 0.01, 32, 5, 3)
    assert (c.val_fraction, c.weight_decay) == (0.3, 0.001)
    assert project.epoch == 5


def test_l1_trains_sparse_weights_and_is_kept_in_the_project(capsys, tmp_path):
    from playground.core.network.layer_health import near_zero

    path = tmp_path / "sparse.pgproj"
    code, out, err = run(capsys, "train", "--l1", "0.01", "--hidden", "16", "--device",
                         "cpu", "--out", str(path), "--json")
    assert code == 0, err
    assert last_json(out)["val_accuracy"] >= 0.95
    project = load_project(path)
    assert project.config.l1 == 0.01
    weights = [project.arrays[f"layers.{i}.weight"] for i in range(2)]
    assert sum(n for n, _ in near_zero(weights)) >= 0.6 * sum(w.size for w in weights)


def test_own_csv_data(capsys, tmp_path):
    csv = tmp_path / "fruit.csv"
    rows = ["weight,width,colour,fruit"]
    for i in range(30):
        rows.append(f"{100 + i},{5 + i % 3},red,apple")
        rows.append(f"{200 + i},{9 + i % 4},yellow,banana")
    csv.write_text("\n".join(rows) + "\n")
    model = tmp_path / "fruit.pgproj"
    code, out, err = run(capsys, "train", "--data", str(csv), "--label", "fruit", "--epochs",
                         "200", "--out", str(model), "--json")
    assert code == 0, err
    assert last_json(out)["val_accuracy"] == 1.0
    project = load_project(model)
    # colour is text: one-hot encoded, one input per category
    assert [f.column for f in project.features] == ["weight", "width", "colour=red",
                                                    "colour=yellow"]
    assert project.class_names == ("apple", "banana")
    code, out, err = run(capsys, "predict", "--model", str(model), "115", "6", "1", "0",
                         "--json")
    assert code == 0 and last_json(out)["label"] == "apple"
    code, out, err = run(capsys, "train", "--data", str(csv), "--label", "fruit",
                         "--features", "weight", "--epochs", "5", "--json")
    assert code == 0, err


def test_divergence_is_reported_not_crashed(capsys):
    code, out, err = run(capsys, "train", "--optimizer", "sgd", "--lr", "10", "--hidden",
                         "64,64,64,64", "--epochs", "50", "--device", "cpu", "--json")
    assert code == 0, err
    assert "Warning: diverged at epoch" in out
    result = last_json(out)
    assert result["diverged"].startswith("diverged at epoch")
    assert result["epochs"] < 50
    assert all(math.isfinite(result[k]) for k in ("train_loss", "val_loss"))


# --- bad usage and bad input: exit 2, one line, no traceback -------------------------------------

@pytest.mark.parametrize("argv, words", [
    (["train", "--bogus"], ["--bogus"]),
    (["frobnicate"], ["frobnicate"]),
    (["train", "--epochs", "0"], ["epochs"]),
    (["train", "--epochs", "abc"], ["--epochs", "abc"]),
    (["train", "--hidden", "abc"], ["hidden", "abc"]),
    (["train", "--hidden", "8,0"], ["hidden[1].units"]),
    (["train", "--hidden", "100000"], ["units"]),
    (["train", "--activation", "foo"], ["activation", "foo"]),
    (["train", "--hidden", "8,8", "--activation", "relu,tanh,gelu"], ["activation"]),
    (["train", "--dropout", "1.5"], ["dropout"]),
    (["train", "--dropout", "x"], ["dropout"]),
    (["train", "--optimizer", "lbfgs"], ["--optimizer", "lbfgs"]),
    (["train", "--lr", "0"], ["learning_rate"]),
    (["train", "--lr", "nan"], ["learning_rate"]),
    (["train", "--batch-size", "-1"], ["batch_size"]),
    (["train", "--weight-decay", "-1"], ["weight_decay"]),
    (["train", "--l1", "-0.5"], ["l1"]),
    (["train", "--l1", "abc"], ["--l1", "abc"]),
    (["train", "--val-fraction", "0.99"], ["val_fraction"]),
    (["train", "--seed", "-1"], ["seed"]),
    (["train", "--device", "tpu"], ["--device", "tpu"]),
    (["train", "--data", "x.csv"], ["--label"]),
    (["train", "--label", "species"], ["--data"]),
    (["train", "--features", "a,b"], ["--data"]),
    (["predict", "1", "2", "3", "4"], ["--model"]),
    (["predict", "--model", "m.pgproj"], ["V"]),
])
def test_bad_usage(capsys, argv, words):
    assert_usage_error(*run(capsys, *argv), *words)


def test_missing_data_file(capsys, tmp_path):
    missing = tmp_path / "none.csv"
    assert_usage_error(*run(capsys, "train", "--data", str(missing), "--label", "y"),
                       "none.csv", "no such file")


def test_bad_data_file(capsys, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("a,b,y\n1,2,p\n3,oops,q\n")
    assert_usage_error(*run(capsys, "train", "--data", str(csv), "--label", "y", "--features",
                            "a,b"), "line 3", "'b'")
    assert_usage_error(*run(capsys, "train", "--data", str(csv), "--label", "zz"), "'zz'")


def test_out_into_a_missing_folder(capsys, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "m.pgproj"
    assert_usage_error(*run(capsys, "train", "--epochs", "1", "--out", str(target)),
                       "--out", "does not exist")
    assert not (tmp_path / "no").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_unavailable_device(capsys):
    assert_usage_error(*run(capsys, "train", "--device", "cuda", "--epochs", "1"),
                       "cuda", "not available")


def test_predict_missing_model_file(capsys, tmp_path):
    assert_usage_error(*run(capsys, "predict", "--model", str(tmp_path / "gone.pgproj"),
                            "39.1", "18.7", "181", "3750"), "gone.pgproj", "no such file")


def test_predict_with_a_file_that_is_not_a_project(capsys, tmp_path):
    path = tmp_path / "notes.pgproj"
    path.write_text("shopping list\n")
    assert_usage_error(*run(capsys, "predict", "--model", str(path), "1", "2", "3", "4"),
                       "notes.pgproj")


@pytest.mark.parametrize("values, words", [
    (["39.1", "abc", "181", "3750"], ["bill_depth_mm", "'abc'", "not a number"]),
    (["39.1", "18.7", "nan", "3750"], ["flipper_length_mm", "finite"]),
    (["39.1", "18.7", "181", "inf"], ["body_mass_g", "finite"]),
    (["39.1", "18.7", "181", "1e300"], ["body_mass_g", "too far"]),
    (["39.1", "18.7", "181"], ["expected 4 values", "got 3"]),
    (["39.1", "18.7", "181", "3750", "5"], ["expected 4 values", "got 5"]),
])
def test_predict_bad_values(capsys, model_file, values, words):
    code, out, err = run(capsys, "predict", "--model", str(model_file), *values, "--json")
    assert_usage_error(code, out, err, *words)
    assert out == ""  # no half-printed result
