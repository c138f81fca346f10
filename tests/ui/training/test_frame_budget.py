"""The frame budget and the stepped axes that keep redraws cheap."""

import pytest

from playground.core.nice_numbers import nice_ceiling
from playground.ui.training.frame_budget import FrameBudget


def test_cheap_frames_run_at_the_minimum_interval():
    budget = FrameBudget(fraction=0.1, min_interval=1 / 30, max_interval=0.1)
    budget.frame_started(0.0)
    budget.record(0.001)
    budget.frame_started(0.05)  # folds the 1 ms frame into the average
    assert budget.interval() == pytest.approx(1 / 30)


def test_expensive_frames_stretch_the_interval_but_never_below_ten_a_second():
    budget = FrameBudget(fraction=0.1, min_interval=1 / 30, max_interval=0.1)
    budget.frame_started(0.0)
    budget.record(0.006)
    budget.frame_started(1.0)
    assert budget.interval() == pytest.approx(0.06)  # 6 ms at 10 % → 60 ms apart
    budget.record(0.050)
    budget.frame_started(2.0)
    assert budget.interval() == pytest.approx(0.1)


@pytest.mark.parametrize("x, expected", [(0, 1.0), (0.3, 0.5), (1.1, 2.0), (7, 10.0),
                                         (10, 10.0), (11, 20.0), (250, 500.0),
                                         (1_000_001, 2_000_000.0)])
def test_nice_ceiling(x, expected):
    assert nice_ceiling(x) == expected
