"""The benchmark finds the neuron maps' own work in the GUI timer's ticks it delayed."""

import time

from PySide6.QtWidgets import QApplication
from support.window import open_window

import playground.ui.editor.neuron_maps as maps
from playground.bench import neuron_maps as bench
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig


def test_the_time_the_maps_held_the_gui_thread_is_taken_out_of_the_ticks(
        qtbot, tmp_path, monkeypatch):
    real = maps.NeuronMapDisplay._paint

    def slow(self):  # maps that take 20 ms to paint: ticks due then wait for them
        end = time.perf_counter() + 0.02
        while time.perf_counter() < end:
            pass
        return real(self)

    monkeypatch.setattr(maps.NeuronMapDisplay, "_paint", slow)
    # Slow as they are, updated eight times a second: a tick in fifty or more waits.
    monkeypatch.setattr(maps, "SHARE", 1.0)
    monkeypatch.setattr(maps, "LIVE_RATE", 8.0)
    window = open_window(qtbot, tmp_path)
    spec = NetworkSpec(4, 3, (LayerSpec(8, "tanh"),))
    try:
        _, on, _, own = bench.switched(QApplication.instance(), window, spec,
                                       TrainingConfig(device="cpu", seed=0), 3.0)
    finally:
        window.close()
    assert on["lateness_p99_ms"] > 10 and own["delayed_share"] > 0.02
    assert own["lateness_p99_ms_taken_out"] < on["lateness_p99_ms"] - 5
    assert own["shown_us"] > 0 and own["draw_us"] >= 0
