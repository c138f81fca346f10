"""Data sets: the built-in penguins, CSV loading, the stratified split, standardization."""

import csv
from dataclasses import replace

import numpy as np
import pytest

from playground.core.data.data_loaders import load_csv
from playground.core.data.split import Standardizer, prepare, stratified_split
from playground.core.errors import DataError
from playground.core.files.resources import resources_dir

FEATURES = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# --- the built-in penguins ------------------------------------------------------------

def test_penguins_rows_and_dropped(penguins):
    with (resources_dir() / "penguins.csv").open(newline="") as f:
        raw_rows = sum(1 for _ in csv.reader(f)) - 1  # minus the header
    assert raw_rows == 344
    assert len(penguins) == 342
    assert penguins.dropped == 2
    assert penguins.x.shape == (342, 4)
    assert penguins.x.dtype == np.float64
    assert np.isfinite(penguins.x).all()
    assert penguins.y.shape == (342,)


def test_penguins_features_have_names_and_units(penguins):
    assert [f.column for f in penguins.features] == FEATURES
    assert [f.unit for f in penguins.features] == ["mm", "mm", "mm", "g"]
    assert [f.label for f in penguins.features] == [
        "Bill length (mm)", "Bill depth (mm)", "Flipper length (mm)", "Body mass (g)"]
    for j, f in enumerate(penguins.features):
        assert f.low == penguins.x[:, j].min()
        assert f.high == penguins.x[:, j].max()
    flipper = penguins.features[2]
    assert (flipper.low, flipper.high) == (172.0, 231.0)


def test_penguin_classes_in_the_metadata_order(penguins):
    # Not sorted (that would put Chinstrap second): Gentoo is class 1.
    assert penguins.class_names == ("Adelie", "Gentoo", "Chinstrap")
    assert penguins.n_classes == 3
    assert penguins.label == "species"
    assert set(np.unique(penguins.y)) == {0, 1, 2}
    assert penguins.class_counts() == {"Adelie": 151, "Gentoo": 123, "Chinstrap": 68}
    # The first row of the file is an Adelie; the first Gentoo is 46.1, 13.2, 211, 4500.
    assert penguins.y[0] == 0
    assert penguins.x[0].tolist() == [39.1, 18.7, 181.0, 3750.0]
    gentoo = np.flatnonzero(np.all(penguins.x == [46.1, 13.2, 211.0, 4500.0], axis=1))
    assert len(gentoo) == 1 and penguins.y[gentoo[0]] == 1
    chinstrap = penguins.x[penguins.y == 2]
    assert chinstrap[:, 0].mean() > 45  # long bills: the classes are not shuffled


def test_penguins_identity_and_example(penguins):
    assert penguins.identity["builtin"] is True
    assert penguins.identity["size"] == (resources_dir() / "penguins.csv").stat().st_size
    assert len(penguins.identity["sha256"]) == 64
    assert penguins.example_vector().tolist() == [39.1, 18.7, 181.0, 3750.0]


# --- the split and the standardization --------------------------------------------------

@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.5, 0.9])
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_stratified_split_keeps_class_proportions(penguins, fraction, seed):
    y = penguins.y
    train, val = stratified_split(y, fraction, seed)
    assert len(np.intersect1d(train, val)) == 0
    assert np.array_equal(np.sort(np.concatenate([train, val])), np.arange(len(y)))
    for c in range(3):
        n_c = int((y == c).sum())
        n_val = int((y[val] == c).sum())
        assert abs(n_val - n_c * fraction) <= 1, (c, n_val, n_c * fraction)
        assert 1 <= n_val <= n_c - 1  # every class on both sides


def test_split_depends_on_the_seed(penguins):
    a = stratified_split(penguins.y, 0.2, 0)
    b = stratified_split(penguins.y, 0.2, 0)
    c = stratified_split(penguins.y, 0.2, 1)
    assert np.array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_standardizer_is_fitted_on_training_rows_only(penguins):
    data = prepare(penguins, 0.2, 0)
    train_idx, val_idx = stratified_split(penguins.y, 0.2, 0)
    assert np.array_equal(data.val_index, val_idx)
    raw_train = penguins.x[train_idx]
    assert np.allclose(data.standardizer.mean, raw_train.mean(axis=0), rtol=0, atol=1e-12)
    assert np.allclose(data.standardizer.scale, raw_train.std(axis=0), rtol=1e-12)
    # The standardized training columns have mean 0 and deviation 1 ...
    assert np.allclose(data.train_x.mean(axis=0), 0.0, atol=1e-5)
    assert np.allclose(data.train_x.std(axis=0), 1.0, atol=1e-5)
    # ... but the statistics of all rows differ: the validation rows were left out.
    assert not np.allclose(data.standardizer.mean, penguins.x.mean(axis=0), rtol=0, atol=1e-9)
    assert np.array_equal(data.train_low, raw_train.min(axis=0))
    assert np.array_equal(data.train_high, raw_train.max(axis=0))


def test_validation_rows_do_not_influence_the_standardizer(penguins):
    data = prepare(penguins, 0.2, 0)
    x = penguins.x.copy()
    x[data.val_index] *= 1000.0  # absurd validation values
    changed = prepare(replace(penguins, x=x), 0.2, 0)
    assert np.array_equal(changed.standardizer.mean, data.standardizer.mean)
    assert np.array_equal(changed.standardizer.scale, data.standardizer.scale)
    assert np.array_equal(changed.train_x, data.train_x)
    assert not np.array_equal(changed.val_x, data.val_x)


def test_standardizer_round_trip_and_constant_column():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    std = Standardizer.fit(x)
    assert std.scale[1] == 1.0  # a constant column is not divided by zero
    t = std.transform(x)
    assert t.dtype == np.float32
    assert np.allclose(t[:, 1], 0.0) and np.allclose(t[:, 0].mean(), 0.0)
    again = Standardizer.from_dict(std.to_dict())
    assert np.array_equal(again.mean, std.mean) and np.array_equal(again.scale, std.scale)


# --- CSV files -------------------------------------------------------------------------

GOOD = """\
name,a,b,kind
x1,1.0,2.0,cat
x2,1.5,NA,dog
x3,2.0,3.5,dog
x4,,1.0,cat
x5,4.0,0.5,bird
x6,3.0,2.5,cat
"""


def test_load_csv_detects_numeric_columns_and_drops_missing(tmp_path):
    ds = load_csv(write_csv(tmp_path / "pets.csv", GOOD), "kind")
    assert [f.column for f in ds.features] == ["a", "b"]  # "name" is an ID: unique per row
    assert ds.class_names == ("bird", "cat", "dog")  # sorted, whatever the row order
    assert len(ds) == 4 and ds.dropped == 2
    assert ds.x.tolist() == [[1.0, 2.0], [2.0, 3.5], [4.0, 0.5], [3.0, 2.5]]
    assert ds.y.tolist() == [1, 2, 0, 1]
    assert ds.name == "pets" and ds.identity["builtin"] is False
    assert (ds.features[0].low, ds.features[0].high) == (1.0, 4.0)
    assert ds.features[0].label == "a"  # no display name or unit given


def test_load_csv_with_explicit_features_and_classes(tmp_path):
    path = write_csv(tmp_path / "pets.csv", GOOD)
    ds = load_csv(path, "kind", ["b"], classes=["bird", "cat", "dog"])
    assert [f.column for f in ds.features] == ["b"]
    assert ds.class_names == ("bird", "cat", "dog")
    assert ds.y.tolist() == [1, 2, 1, 0, 1]  # x4 has b but no a: kept now
    assert ds.dropped == 1


def test_load_csv_drops_rows_without_a_label(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\n1,p\n2,NA\n3,q\n4,\n")
    ds = load_csv(path, "y")
    assert len(ds) == 2 and ds.dropped == 2


def test_load_csv_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffa,y\n1,p\n2,q\n".encode())
    assert [f.column for f in load_csv(path, "y").features] == ["a"]


def _error(path, *args, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        load_csv(path, *args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path):
    message = _error(tmp_path / "nope.csv", "y")
    assert "nope.csv" in message and "no such file" in message


def test_folder_instead_of_file(tmp_path):
    assert "cannot read" in _error(tmp_path, "y")


def test_empty_file(tmp_path):
    assert "empty" in _error(write_csv(tmp_path / "e.csv", ""), "y")


def test_binary_file(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage\x00")
    assert "b.csv" in _error(path, "y")


def test_missing_label_column(tmp_path):
    message = _error(write_csv(tmp_path / "d.csv", "a,b\n1,2\n3,4\n"), "species")
    assert "'species'" in message and "a, b" in message  # names the columns it has


def test_non_numeric_value_names_line_and_column(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,b,y\n1,2,p\n3,4,q\n5,six,p\n")
    message = _error(path, "y", ["a", "b"])
    assert "line 4" in message and "'b'" in message and "'six'" in message


def test_ragged_row(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,b,y\n1,2,p\n3,4\n5,6,q\n")
    message = _error(path, "y")
    assert "line 3" in message and "2 fields" in message and "3" in message


def test_single_class(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\n1,p\n2,p\n3,p\n")
    message = _error(path, "y")
    assert "one class" in message and "'p'" in message


def test_no_numeric_column(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\nx,p\nz,q\n")
    assert "holds numbers" in _error(path, "y")


def test_every_row_dropped(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,b,y\n1,NA,p\nNA,2,q\n")
    assert "no row" in _error(path, "y", ["a", "b"])


def test_unknown_feature_and_label_as_feature(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\n1,p\n2,q\n")
    assert "'zz'" in _error(path, "y", ["a", "zz"])
    assert "both" in _error(path, "y", ["a", "y"])


def test_label_outside_the_given_classes(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\n1,p\n2,q\n3,r\n")
    message = _error(path, "y", classes=["p", "q"])
    assert "'r'" in message


def test_infinite_value(tmp_path):
    path = write_csv(tmp_path / "d.csv", "a,y\n1,p\ninf,q\n")
    assert "infinite" in _error(path, "y", ["a"])



def test_standardizing_a_big_matrix_in_blocks_gives_the_same_numbers():
    from playground.core.data.split import BLOCK_ROWS

    rng = np.random.default_rng(1)
    x = rng.normal(1e6, 5.0, (2 * BLOCK_ROWS + 123, 3))  # large values, small spread
    std = Standardizer.fit(x[:1000])
    want = ((x - std.mean) / std.scale).astype(np.float32)
    np.testing.assert_array_equal(std.transform(x), want)


def test_the_same_split_is_handed_out_again_and_others_are_made(penguins):
    from playground.core.data import split

    dataset = penguins
    first = prepare(dataset, 0.2, 0)
    assert prepare(dataset, 0.2, 0) is first  # the window and the training thread share it
    assert prepare(dataset, 0.3, 0) is not first and prepare(dataset, 0.2, 1) is not first
    other = replace(dataset)  # an equal data set, but another object: its own split
    assert prepare(other, 0.2, 0) is not first
    assert len(split._RECENT) <= split.RECENT_KEPT
