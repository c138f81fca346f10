"""`playground train --data FILE.csv`: real-world-shaped files and every bad file."""

import numpy as np
import pytest
from import_files import BAD_FILES, bad_file, houses, semicolon_cp1252, shops
from support.cli import assert_usage_error, last_json, run

from playground.core.files.project import load_project


def test_ids_are_skipped_and_text_is_one_hot(capsys, tmp_path):
    model = tmp_path / "shops.pgproj"
    code, out, err = run(capsys, "train", "--data", str(shops(tmp_path)), "--label", "segment",
                         "--epochs", "30", "--out", str(model), "--json")
    assert code == 0, err
    assert last_json(out)["epochs"] == 30
    project = load_project(model)
    assert [f.column for f in project.features] == [
        "region=east", "region=north", "region=south", "visits", "spend"]
    assert project.class_names == ("casual", "loyal")
    assert project.dataset["import"]["label"] == "segment"
    assert project.dataset["missing"]["rows_dropped"] == 1  # one spend is empty


def test_features_by_name_and_missing_fill(capsys, tmp_path):
    model = tmp_path / "m.pgproj"
    code, out, err = run(capsys, "train", "--data", str(shops(tmp_path)), "--label", "segment",
                         "--features", "visits", "spend", "--missing", "fill", "--epochs", "3",
                         "--out", str(model))
    assert code == 0, err
    project = load_project(model)
    assert [f.column for f in project.features] == ["visits", "spend"]
    assert project.dataset["missing"] == {"rows_dropped": 0, "values_filled": {"spend": 1}}
    assert project.dataset["rows"] == 60


def test_semicolons_and_cp1252(capsys, tmp_path):
    model = tmp_path / "obst.pgproj"
    code, out, err = run(capsys, "train", "--data", str(semicolon_cp1252(tmp_path)), "--label",
                         "Sorte", "--epochs", "3", "--out", str(model))
    assert code == 0, err
    project = load_project(model)
    assert project.class_names == ("Äpfel", "Birnen")
    assert [f.column for f in project.features][:2] == ["Größe", "Gewicht"]


@pytest.mark.parametrize("name, label", [
    ("empty.csv", "y"), ("header_only.csv", "y"), ("numbers.csv", "y"), ("single.csv", "y"),
    ("no_feature.csv", "y"), ("one_class.csv", "y"), ("ragged.csv", "y"),
    ("binary.csv", "y"), ("infinite.csv", "y"), ("not_number.csv", "y")])
def test_bad_files_exit_2_with_one_line(capsys, tmp_path, name, label):
    words = dict((n, w) for n, _, w in BAD_FILES)[name]
    path = bad_file(tmp_path, name)
    assert_usage_error(*run(capsys, "train", "--data", str(path), "--label", label), *words)


def test_a_file_too_big_for_the_memory_limit(capsys, tmp_path, monkeypatch):
    from import_files import big_enough

    from playground.core.data import table_import

    monkeypatch.setattr(table_import, "MEMORY_LIMIT", 10_000)
    assert_usage_error(*run(capsys, "train", "--data", str(big_enough(tmp_path)), "--label",
                            "y"), "big.csv", "memory")


def test_a_numeric_label_with_many_values_is_regression(capsys, tmp_path):
    model = tmp_path / "houses.pgproj"
    code, out, err = run(capsys, "train", "--data", str(houses(tmp_path)), "--label", "price",
                         "--hidden", "16", "--epochs", "400", "--out", str(model), "--json")
    assert code == 0, err
    result = last_json(out)
    assert "val_accuracy" not in result and result["val_r2"] > 0.8
    assert 0 < result["val_mae"] < 50_000  # in euros: the prices are 100k–400k
    assert "mean absolute error" in out
    project = load_project(model)
    assert project.is_regression and project.class_names == ()
    assert [f.column for f in project.features] == ["area_m2", "rooms", "garden=no",
                                                    "garden=yes"]
    # A 120 m² house with 4 rooms and a garden: about 1500·120 + 40k + 20k = 240k.
    code, out, err = run(capsys, "predict", "--model", str(model), "120", "4", "0", "1",
                         "--json")
    assert code == 0, err
    assert abs(last_json(out)["value"] - 240_000) < 40_000
    # The garden by name, as in the file, gives the same prediction.
    code, named, err = run(capsys, "predict", "--model", str(model), "120", "4", "yes",
                           "--json")
    assert code == 0, err
    assert last_json(named)["value"] == last_json(out)["value"]
    assert_usage_error(*run(capsys, "predict", "--model", str(model), "120", "4", "maybe"),
                       "garden", "'maybe'", "no, yes")


@pytest.mark.parametrize("make, args", [
    (shops, ["--label", "segment"]),  # a text column, one-hot encoded
    (shops, ["--label", "segment", "--features", "visits", "spend", "--missing", "fill"]),
    (semicolon_cp1252, ["--label", "Sorte", "--features", "Größe", "Gewicht"]),
    (houses, ["--label", "price"]),  # regression
])
def test_the_script_export_takes_any_imported_file(capsys, tmp_path, make, args):
    model = tmp_path / "m.pgproj"
    code, _, err = run(capsys, "train", "--data", str(make(tmp_path)), *args, "--epochs", "2",
                       "--out", str(model))
    assert code == 0, err
    code, out, err = run(capsys, "export", "--model", str(model), "--format", "script",
                         "--out", str(tmp_path / "script"))
    assert code == 0, err
    # The rows as the playground read them (separators, decimal commas, encodings, gaps
    # and text columns already dealt with): exactly the project's training rows.
    project = load_project(model)
    train_x = np.load(tmp_path / "script" / "data" / "train_x.npy", allow_pickle=False)
    assert train_x.shape[1] == len(project.features) and np.isfinite(train_x).all()
    np.testing.assert_allclose(train_x.mean(0), 0, atol=1e-5)
