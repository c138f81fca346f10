"""The plot envelope: min/max buckets folded in as a series grows."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.training.envelope import Envelope


def brute_force(x, y, size):
    """Buckets of `size` points from the start, the last one partial."""
    starts = np.arange(0, len(x), size)
    lo = np.array([y[s:s + size].min() for s in starts])
    hi = np.array([y[s:s + size].max() for s in starts])
    return np.repeat(x[starts], 2), np.ravel(np.column_stack([lo, hi]))


def test_a_short_series_is_drawn_as_it_is():
    x = np.arange(1.0, 101.0)
    y = np.linspace(1, 0, 100).astype(np.float32)
    ox, oy = Envelope(max_buckets=64).points(x, y)
    assert ox is x and oy is y


def test_a_million_points_become_at_most_four_times_max_buckets():
    n = 1_000_000
    x = np.arange(1.0, n + 1)
    y = np.random.default_rng(0).random(n).astype(np.float32)
    y[777_777] = 5.0  # a spike must survive
    ox, oy = Envelope(max_buckets=1024).points(x, y)
    assert len(ox) <= 4 * 1024 + 2
    assert oy.max() == 5.0 and oy.min() == y.min()
    assert ox[0] == 1.0 and np.all(np.diff(ox) >= 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 700), min_size=1, max_size=12),
       st.integers(2, 40), st.integers(0, 2**31 - 1))
def test_growing_in_any_steps_equals_bucketing_the_whole(steps, max_buckets, seed):
    n = sum(steps)
    x = np.arange(1.0, n + 1)
    y = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    env = Envelope(max_buckets)
    end = 0
    for k in steps:
        end += k
        ox, oy = env.points(x[:end], y[:end])
        if env.size == 1 and end <= 2 * max_buckets:
            assert np.array_equal(ox, x[:end]) and np.array_equal(oy, y[:end])
            continue
        assert len(ox) <= 2 * (2 * max_buckets + 1)
        want_x, want_y = brute_force(x[:end], y[:end], env.size)
        np.testing.assert_array_equal(ox, want_x)
        np.testing.assert_array_equal(oy, want_y)


def test_a_shorter_series_starts_again():
    env = Envelope(max_buckets=4)
    x = np.arange(1.0, 101.0)
    y = np.arange(100, dtype=np.float32)
    env.points(x, y)
    ox, oy = env.points(x[:5], -y[:5])
    assert np.array_equal(oy, -y[:5])
