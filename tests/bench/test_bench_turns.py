"""The benchmark's way of comparing runs on a machine whose speed drifts (Qt-free)."""

import math

import pytest

from playground.bench.turns import median_round, segments, take_turns


class Clock:
    """A machine whose speed swings by ±30 % over a period of 60 seconds."""

    def __init__(self) -> None:
        self.now = 0.0

    def speed(self) -> float:
        return 1 + 0.3 * math.sin(2 * math.pi * self.now / 60)


def fake_run(clock: Clock, epochs_per_second: float):
    """Trains at `epochs_per_second` times the machine's speed, in small steps."""

    def run(epochs: int) -> float:
        start = clock.now
        for _ in range(epochs):
            clock.now += 1 / (epochs_per_second * clock.speed())
        return clock.now - start

    return run


@pytest.mark.parametrize(("epochs", "turns"), [(10, 3), (7, 7), (5, 9), (1, 1), (100, 1)])
def test_segments_cover_the_epochs_in_near_equal_parts(epochs, turns):
    parts = segments(epochs, turns)
    assert sum(parts) == epochs
    assert len(parts) == min(turns, epochs)
    assert max(parts) - min(parts) <= 1 and min(parts) >= 1


def test_turns_cancel_a_drifting_machine_where_whole_runs_do_not():
    """The app runs at 0.9 of the bare loop. A whole run each, one after the other, sees
    the machine at different speeds; many short turns see the same speeds."""
    def ratio(turns: int) -> float:
        clock = Clock()
        rates = take_turns({"bare": fake_run(clock, 100.0), "app": fake_run(clock, 90.0)},
                           3000, turns)
        return rates["app"] / rates["bare"]

    assert abs(ratio(1) - 0.9) > 0.05  # ~30 s each: the drift decides
    assert ratio(60) == pytest.approx(0.9, abs=0.005)


def test_take_turns_alternates_who_goes_first():
    order = []

    def recorder(name):
        def run(epochs):
            order.append(name)
            return 1.0
        return run

    rates = take_turns({"a": recorder("a"), "b": recorder("b")}, 8, 3, reverse=True)
    assert order == ["b", "a", "a", "b", "b", "a"]
    assert rates == {"a": 8 / 3, "b": 8 / 3}


def test_median_round_pairs_each_app_run_with_its_own_bare_run():
    bares = [100.0, 50.0, 80.0]
    apps = [(95.0, 11.0), (40.0, 10.0), (76.0, 12.0)]  # ratios 0.95, 0.8, 0.95
    bare, app, ratios = median_round(bares, apps)
    assert ratios == [0.95, 0.8, 0.95]
    assert app[0] / bare == 0.95
    assert median_round([10.0, 10.0], [9.0, 8.0])[1] == 8.0  # the lower of two
