"""The lateness a piece of work caused, read from the same ticks (Qt-free)."""

import numpy as np
import pytest

from playground.bench.own_work import lateness, taken_out

TICK = 0.005


def test_lateness_is_the_wait_beyond_the_interval_in_milliseconds():
    late = lateness([0.0, 0.005, 0.012, 0.016], TICK)
    assert late == pytest.approx([0.0, 2.0, 0.0])  # early ticks count as on time


def test_work_during_a_ticks_wait_is_taken_out_of_its_lateness():
    ticks = [0.0, 0.005, 0.013, 0.018]  # the second tick is 3 ms late
    # 1 ms of work before the tick was due (no delay), 2 ms while it waited.
    without = taken_out(ticks, [(0.0055, 0.0065), (0.011, 0.013)], TICK)
    assert without == pytest.approx([0.0, 1.0, 0.0])
    # Work that began before the tick was due counts only from when it was due.
    assert taken_out(ticks, [(0.009, 0.0115)], TICK) == pytest.approx([0.0, 1.5, 0.0])
    # Work between ticks that fired on time changes nothing; nor does no work.
    assert taken_out(ticks, [(0.001, 0.004), (0.0135, 0.017)], TICK) == \
        pytest.approx(lateness(ticks, TICK))
    assert taken_out(ticks, [], TICK) == pytest.approx(lateness(ticks, TICK))


def test_work_across_several_waits_is_taken_from_each():
    ticks = [0.0, 0.006, 0.012, 0.018]  # every tick 1 ms late
    without = taken_out(ticks, [(0.0052, 0.0175)], TICK)
    # The first waited 0.8 ms of its 1 ms under it, the second all, the last 0.5 ms.
    assert without == pytest.approx([0.2, 0.0, 0.5])


def test_work_that_makes_the_slow_ticks_slower_shows_in_the_99th_percentile():
    rng = np.random.default_rng(0)
    n = 20_000
    late = rng.exponential(0.0005, n)  # the machine's own lateness
    # 2 ms of work in front of every 50th tick: 2 % of the ticks 2 ms later.
    hit = np.arange(n) % 50 == 0
    waits = TICK + late + np.where(hit, 0.002, 0.0)
    ticks = np.concatenate([[0.0], np.cumsum(waits)])
    due = ticks[:-1] + TICK
    work = [(d, d + 0.002) for d in due[hit]]
    with_work, without = lateness(ticks, TICK), taken_out(ticks, work, TICK)
    assert without == pytest.approx(late * 1000)
    assert np.percentile(with_work, 99) > 1.1 * np.percentile(without, 99)


def test_work_recorded_twice_over_the_same_time_counts_once():
    ticks = [0.0, 0.005, 0.013]  # the second tick 3 ms late
    once = taken_out(ticks, [(0.011, 0.013)], TICK)
    assert taken_out(ticks, [(0.012, 0.013), (0.011, 0.0125), (0.0115, 0.012)], TICK) == \
        pytest.approx(once) and once == pytest.approx([0.0, 1.0])
