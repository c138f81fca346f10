"""What the editor's neuron maps cost: the window with them on against the window with
them off, on the two-feature sets where they are on by default.

One window trains one network; the maps are switched on for some turns and off for
the others, with the bare loop taking turns beside them (turns.py), so both states
share the machine's phases and the same network at the same stage of training.
Turns of seconds still differ by ±5 % on this machine, so the cost is also measured
within one training run, the maps' updates switched off and on every half second
(`switched`): the epochs trained in each state, over the same four minutes, and the
lateness of a 5 ms GUI timer in each. The lateness is measured that way only: its
99th percentile, from the slowest 1 % of the ticks, moved by ±10 % between runs of
ten seconds one after the other, and by about ±5 % between the two states of one
switched minute with the maps off in both (hence four minutes).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from playground.bench import throughput
from playground.bench.harness import close_window, open_window
from playground.bench.turns import median_round, take_turns

# (key, name in the table, data set, hidden layers of 8 tanh units)
SETS = (("xor", "XOR 2×8", "xor", 2), ("spirals", "spirals 3×8", "spirals", 3))
TARGET = 0.03  # maps on: within 3 % of the figures with them off
SWITCH_S = 0.5  # the maps' updates change state this often in `switched`
TICK_S = 0.005  # the GUI timer whose lateness is measured, as throughput.timer_lateness's
WARM_S = 2.0  # training runs this long, maps on, before `switched` counts: its start is slow


class MapsRun:
    """Training in the shared window with the neuron maps on or off; it counts its own
    window updates and the Python time of its frames (the frame budget's estimate)."""

    def __init__(self, window_run: throughput.WindowRun, on: bool) -> None:
        self.window_run, self.on = window_run, on
        self.seconds, self.frames, self.costs = 0.0, 0, []

    def __call__(self, epochs: int) -> float:
        window = self.window_run.window
        window.neuron_maps.set_enabled(self.on)
        frames = window.frames
        seconds = self.window_run(epochs)
        self.frames += window.frames - frames
        self.seconds += seconds
        self.costs.append(window.budget.cost)
        return seconds

    def updates_per_second(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0


def measures(results: dict, sizes, log) -> None:
    from playground.core.data.split import prepare
    from playground.core.data.toy_data import make_toy
    from playground.core.network.spec import LayerSpec, NetworkSpec
    from playground.core.training.config import TrainingConfig

    for key, name, kind, depth in SETS:
        dataset = make_toy(kind, 0.1, 0)
        spec = NetworkSpec(2, 2, tuple(LayerSpec(8, "tanh") for _ in range(depth)))
        config = TrainingConfig(device="cpu", seed=0, epochs=sizes.epochs)
        data = prepare(dataset, config.val_fraction, config.seed)
        app, window = open_window(dataset)
        try:
            _throughput(results, f"maps_{key}", name, sizes, app, window, data, spec, config,
                        log)
            log(f"Neuron maps, {name}: switched on and off every {SWITCH_S} s for "
                f"{sizes.switch_s:g} s of training…")
            ratio, on, off = switched(app, window, spec, config, sizes.switch_s)
            results[f"maps_{key}_switched_ratio"] = ratio
            for state, late in (("on", on), ("off", off)):
                for k, v in late.items():
                    results[f"maps_{key}_switched_{k}_{state}"] = v
            log(f"  epochs a second with maps on / off: {ratio:.3f}; GUI timer lateness "
                f"p99 {on['lateness_p99_ms']:.1f} / {off['lateness_p99_ms']:.1f} ms")
        finally:
            close_window(window)


def _throughput(results, prefix, name, sizes, app, window, data, spec, config, log) -> None:
    rounds = sizes.rounds
    rates: dict[str, list] = {"bare": [], "on": [], "off": []}
    costs: dict[str, list] = {"on": [], "off": []}
    for r in range(rounds):
        log(f"Neuron maps, {name} (round {r + 1} of {rounds}): the window with maps on and "
            f"off, and the bare loop, in {sizes.turns_full_batch} turns each…")
        shared = throughput.WindowRun(app, window, spec, config)
        runs = {"bare": throughput.BareRun(data, spec, config, sizes.epochs),
                "on": MapsRun(shared, True), "off": MapsRun(shared, False)}
        # Each window run gets the epochs of a whole run: the two take turns on one network.
        for state, rate in take_turns(runs, sizes.epochs, sizes.turns_full_batch,
                                      reverse=r % 2 == 1).items():
            rates[state].append(rate if state == "bare" else
                                (rate, runs[state].updates_per_second()))
            if state != "bare":
                costs[state].extend(runs[state].costs)
    for state in ("on", "off"):
        bare, (eps, fps), ratios = median_round(rates["bare"], rates[state])
        results[f"{prefix}_throughput_ratio_{state}"] = eps / bare
        results[f"{prefix}_throughput_ratios_{state}"] = ratios
        results[f"{prefix}_updates_per_second_{state}"] = fps
        results[f"{prefix}_frame_ms_{state}"] = 1000 * float(np.median(costs[state]))
    on, off = (results[f"{prefix}_throughput_ratio_{s}"] for s in ("on", "off"))
    log(f"  window / bare with maps on {on:.3f}, off {off:.3f}; frame (Python) "
        f"{results[f'{prefix}_frame_ms_on']:.2f} / {results[f'{prefix}_frame_ms_off']:.2f} ms")


def switched(app, window, spec, config, seconds: float) -> tuple[float, dict, dict]:
    """Epochs a second with the maps updating over those with them frozen, in one run
    flat out, and the lateness of a 5 ms GUI timer in each state: every SWITCH_S seconds
    the maps' updates stop or start again (frozen maps stay drawn, as they cost nothing
    then). The epochs trained are credited to the state they were trained in (read at
    the switch: the window's epoch as of its last update, a frame or less behind; the
    same for both states), and each timer tick to the state it fired in, so that both
    states share the machine's phases (turns of seconds differ by ±5 % here).
    Returns (the ratio, the lateness with maps on, with them off)."""
    from PySide6.QtCore import Qt, QTimer

    from playground.bench.harness import prepare_run, wait_until

    prepare_run(app, window, spec, replace(config, epochs=10**8))
    display = window.neuron_maps
    display.set_enabled(True)
    live = display.update
    state = {"on": True}

    def update(**kwargs) -> None:
        if state["on"]:
            live(**kwargs)

    epochs, spent = {True: 0, False: 0}, {True: 0.0, False: 0.0}
    late: dict[bool, list[float]] = {True: [], False: []}
    mark = [0.0, 0]
    last_tick = [0.0]

    def switch() -> None:
        now, epoch = time.perf_counter(), window.epoch
        epochs[state["on"]] += epoch - mark[1]
        spent[state["on"]] += now - mark[0]
        mark[:] = [now, epoch]
        state["on"] = not state["on"]

    def tick() -> None:
        now = time.perf_counter()
        late[state["on"]].append(max(now - last_tick[0] - TICK_S, 0.0) * 1000)
        last_tick[0] = now

    display.update = update  # the instance's: the window's frames call it
    timers = []
    for interval, slot in ((SWITCH_S, switch), (TICK_S, tick)):
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(int(interval * 1000))
        timer.timeout.connect(slot)
        timers.append(timer)
    try:
        window.toggle_training()
        wait_until(app, lambda: window.controller.running and window.epoch > 0, 60, window)
        warm = time.perf_counter() + WARM_S
        wait_until(app, lambda: time.perf_counter() > warm, WARM_S + 60)
        mark[:] = [time.perf_counter(), window.epoch]
        last_tick[0] = mark[0]
        for timer in timers:
            timer.start()
        end = time.perf_counter() + seconds
        wait_until(app, lambda: time.perf_counter() > end, seconds + 60)
        for timer in timers:
            timer.stop()
        window.toggle_training()
        wait_until(app, lambda: not window.controller.running, 30, window)
    finally:
        del display.update
    ratio = (epochs[True] / spent[True]) / (epochs[False] / spent[False])
    # The first tick of a run measures the start, not a wait.
    return ratio, *(throughput.lateness_summary(late[on][1:]) for on in (True, False))


def rows(r: dict, row) -> list[str]:
    """The table's rows (none for results from before the maps were measured)."""
    lines = []
    for key, name, _, _ in SETS:
        p = f"maps_{key}"
        if f"{p}_throughput_ratio_on" not in r:
            continue
        on, off = r[f"{p}_throughput_ratio_on"], r[f"{p}_throughput_ratio_off"]
        lines.append(row(f"neuron maps, {name}: window/bare on/off",
                         f"{on:.3f} / {off:.3f} ({100 * (on / off - 1):+.1f} %)",
                         "≥ off − 3 %", on >= off * (1 - TARGET)))
        if f"{p}_switched_ratio" in r:
            v = r[f"{p}_switched_ratio"]
            lines.append(row("  epochs/s on / off, switched every 0.5 s", f"{v:.3f}",
                             "≥ 0.97", v >= 1 - TARGET))
        lines.append(row("  window updates, on / off", f"{r[f'{p}_updates_per_second_on']:.1f}"
                         f" / {r[f'{p}_updates_per_second_off']:.1f} /s"))
        lines.append(row("  Python time of a frame, on / off",
                         f"{r[f'{p}_frame_ms_on']:.2f} / {r[f'{p}_frame_ms_off']:.2f} ms"))
        # Interleaved within one run; results from before it, in separate runs.
        late = f"{p}_switched_lateness_p99_ms" if f"{p}_switched_lateness_p99_ms_on" in r \
            else f"{p}_lateness_p99_ms"
        lon, loff = r[f"{late}_on"], r[f"{late}_off"]
        name = "  GUI timer lateness p99, on / off" + (", switched" if "switched" in late else "")
        lines.append(row(name, f"{lon:.2f} / {loff:.2f} ms", "≤ off + 3 %",
                         lon <= loff * (1 + TARGET)))
    return lines
