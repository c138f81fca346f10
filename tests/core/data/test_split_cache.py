"""The split cache: a shortcut that never changes which rows train and which validate."""

import numpy as np
import pytest

from playground.core.data import split, split_cache
from playground.core.data.dataset import Dataset
from playground.core.data.split import prepare, random_split, split_rows, stratified_split
from playground.core.data.toy_data import make_toy


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "neural-network-playground"


def never_drawn(monkeypatch):
    for name in ("stratified_split", "random_split"):
        monkeypatch.setattr(split, name, lambda *a: pytest.fail("drawn again"))


@pytest.mark.parametrize("kind", ["spirals", "surface"])  # stratified; random (regression)
def test_a_cached_split_is_the_drawn_one(cache, monkeypatch, kind):
    dataset = make_toy(kind, 0.1, 3)
    drawn = split_rows(dataset, 0.25, 7)
    assert len(list(cache.glob("split-*.npz"))) == 1
    expected = random_split(len(dataset.y), 0.25, 7) if dataset.is_regression else \
        stratified_split(dataset.y, 0.25, 7)
    never_drawn(monkeypatch)
    for rows in (drawn, split_rows(dataset, 0.25, 7)):
        for got, want in zip(rows, expected, strict=True):
            np.testing.assert_array_equal(got, want)


def test_labels_share_and_seed_each_name_their_own_split():
    y = np.array([0, 1, 2] * 20)
    names = {split_cache.split_name(y, 60, 0.2, 0), split_cache.split_name(y, 60, 0.25, 0),
             split_cache.split_name(y, 60, 0.2, 1), split_cache.split_name(y[::-1], 60, 0.2, 0),
             split_cache.split_name(y.astype(np.int32), 60, 0.2, 0),
             split_cache.split_name(None, 60, 0.2, 0)}
    assert len(names) == 6


@pytest.mark.parametrize("damage", ["bytes", "row twice", "out of range", "floats"])
def test_a_damaged_or_inconsistent_file_is_drawn_again(cache, damage):
    dataset = make_toy("blobs", 0.1, 0)
    first = split_rows(dataset, 0.2, 0)
    (path,) = cache.glob("split-*.npz")
    train, val = first
    if damage == "bytes":
        path.write_bytes(b"not a zip file")
    else:
        bad = {"row twice": (np.concatenate([train, val[:1]]), val),
               "out of range": (train, val + len(dataset.y)),
               "floats": (train.astype(float), val.astype(float))}[damage]
        np.savez(path, train=bad[0], val=bad[1])
    assert split_cache.read_split(path.name, len(dataset.y)) is None
    for got, want in zip(split_rows(dataset, 0.2, 0), first, strict=True):
        np.testing.assert_array_equal(got, want)


def test_large_data_sets_are_not_cached(cache):
    n = split_cache.MAX_ROWS + 1
    x = np.zeros((n, 1), np.float32)
    big = Dataset("big", (), ("a", "b"), x, np.arange(n) % 2)
    split_rows(big, 0.2, 0)
    assert not list(cache.glob("split-*.npz"))


def test_only_the_newest_splits_are_kept(cache):
    dataset = make_toy("xor", 0.1, 0)
    for seed in range(split_cache.MAX_FILES + 4):
        split_rows(dataset, 0.2, seed)
    assert len(list(cache.glob("split-*.npz"))) == split_cache.MAX_FILES


def test_an_unwritable_cache_folder_costs_only_the_shortcut(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    dataset = make_toy("circles", 0.1, 0)
    np.testing.assert_array_equal(prepare(dataset, 0.3, 2).val_index,
                                  stratified_split(dataset.y, 0.3, 2)[1])
