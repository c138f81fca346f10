"""The built-in data set's cache: a shortcut that never changes what is loaded."""

import numpy as np
import pytest

from playground.core.data import data_cache
from playground.core.data.data_loaders import load_penguins


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "neural-network-playground"


def same(a, b):
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.x.dtype == b.x.dtype and a.y.dtype == b.y.dtype
    assert (a.features, a.class_names, a.label, a.dropped, a.identity, a.example, a.task,
            a.name) == (b.features, b.class_names, b.label, b.dropped, b.identity,
                        b.example, b.task, b.name)


def test_the_second_load_comes_from_the_cache_and_is_the_same(cache, monkeypatch):
    first = load_penguins()  # parsed, then cached
    assert len(list(cache.glob("penguins-*.npz"))) == 1
    import playground.core.data.data_loaders as dataset_module

    monkeypatch.setattr(dataset_module, "load_csv", lambda *a, **k: pytest.fail("parsed"))
    same(load_penguins(), first)


def test_a_damaged_cache_is_ignored(cache):
    first = load_penguins()
    (path,) = cache.glob("penguins-*.npz")
    path.write_bytes(b"not a zip file")
    same(load_penguins(), first)


def test_another_file_is_not_served_from_the_cache(cache):
    dataset = load_penguins()
    assert data_cache.read_cached("penguins", "0" * 64) is None
    data_cache.write_cached("penguins", "1" * 64, dataset)
    assert data_cache.read_cached("penguins", "1" * 64) is not None
    assert data_cache.read_cached("penguins", "1" * 16 + "2" * 48) is None  # same name prefix


def test_an_unwritable_cache_folder_costs_only_the_shortcut(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(load_penguins()) == 342
