"""A fresh network with random weights already has probabilities: the prediction panel
shows them from the moment a network exists (after Reset, an edit, undo, another data
set), not "—" until the training thread has sent its weights."""
# ruff: noqa: F811 (tests take the `window` fixture imported from support.window)

import numpy as np
import pytest
from support.window import wait_paused, window  # noqa: F401 (a fixture)

from playground.core.network.forward import forward_pass
from playground.core.network.initial_weights import initial_weights
from playground.core.network.model import initial_snapshot
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer


def test_initial_snapshot_is_the_trainers_own_start(data):
    spec = NetworkSpec(4, 3, (LayerSpec(7, "tanh", 0.2), LayerSpec(5, "gelu")))
    for seed in (0, 11):
        trainer = Trainer(data, spec, TrainingConfig(seed=seed, device="cpu"))
        expected, got = trainer.snapshot(), initial_snapshot(spec, seed)
        assert got.activations == expected.activations and got.epoch == 0
        for a, b in zip(got.weights + got.biases, expected.weights + expected.biases,
                        strict=True):
            np.testing.assert_array_equal(a, b)


def bar_texts(window) -> list[str]:
    return [window.prediction.bars[name].format() for name in window.dataset.class_names]


def shown_now(window) -> list[str]:
    """What the panel shows right after a change, before the training thread answers:
    the window's own forward pass of what it knows."""
    assert "—" not in bar_texts(window), bar_texts(window)
    assert window.prediction.predicted.text() in window.dataset.class_names
    return bar_texts(window)


def expected_texts(window, snapshot) -> list[str]:
    x = window.session.split.standardizer.transform(window.prediction.values())
    p = forward_pass(snapshot, x)[-1].activations
    return [f"{100 * float(v):.1f} %" for v in p]


def settle(qtbot, window) -> list[str]:
    """The texts once the training thread's own weights for the network have arrived."""
    generation = window.generation
    qtbot.waitUntil(lambda: window.controller._worker._generation == generation
                    and window.snapshot is not None, timeout=20_000)
    wait_paused(qtbot, window)
    qtbot.wait(50)
    return bar_texts(window)


def test_probabilities_show_at_once_after_reset_edit_undo_and_data_switch(qtbot, window):
    from playground.core.data.builtin_data import make_toy

    # At start-up the training thread's first weights (the fixture waited for them).
    first = settle(qtbot, window)
    assert "—" not in first
    assert first == expected_texts(window, initial_snapshot(window.spec, 0))

    # Trained a little, then Reset: the fresh network's numbers at once, and the very
    # numbers the training thread then sends (the same seeded initialization).
    window.controls.epochs.setValue(30)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.epoch >= 30, timeout=30_000)
    trained = settle(qtbot, window)
    window.reset_training()
    assert shown_now(window) == first
    assert settle(qtbot, window) == first

    # An edit: a new network of a new shape, shown at once, as the thread later has it.
    window.editor.add_layer()
    now = shown_now(window)
    assert now == expected_texts(window, initial_snapshot(window.spec, 0))
    assert settle(qtbot, window) == now

    # Undo twice: back to the trained network, with its trained weights at once.
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert shown_now(window) == trained
    assert settle(qtbot, window) == trained

    # Another data set: its fresh network's probabilities at once.
    window.use_dataset(make_toy("xor", 0.1))
    assert window.spec.n_inputs == 2
    now = shown_now(window)
    assert settle(qtbot, window) == now


@pytest.mark.parametrize("seed", [0, 7, 2**32 - 1])
def test_numpy_initial_weights_are_torchs_to_the_bit(seed):
    for spec in (NetworkSpec(4, 3, (LayerSpec(8),)), NetworkSpec(2, 2, ()),
                 NetworkSpec(13, 1, (LayerSpec(300, "tanh", 0.3), LayerSpec(5, "gelu"))),
                 NetworkSpec(2, 2, (LayerSpec(4),), (("square", 0), ("product", 0, 1)))):
        got, expected = initial_weights(spec, seed), initial_snapshot(spec, seed)
        assert got.activations == expected.activations and got.epoch == 0
        assert got.engineered == expected.engineered == spec.engineered
        for a, b in zip(got.weights + got.biases, expected.weights + expected.biases,
                        strict=True):
            assert a.dtype == b.dtype == np.float32
            np.testing.assert_array_equal(a, b)
    assert initial_weights(NetworkSpec(4, 3, ()), 2**32) is None  # beyond numpy's seeding


def test_probabilities_show_before_torch_has_loaded(tmp_path):
    """Right after the window's first frame, the fresh network's probabilities show:
    they come from numpy, before the training thread (loading torch) sends anything."""
    import os
    import subprocess
    import sys

    code = (
        "import time\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from playground.ui.main_window import MainWindow\n"
        "w = MainWindow()\n"
        "before = w.prediction.predicted.text()\n"
        "w.show()\n"
        "end = time.monotonic() + 20\n"
        "while not w._started and time.monotonic() < end:\n"
        "    app.processEvents()\n"
        "print(w._started, w.known_weights.torch_ready, before, w.prediction.predicted.text(),"
        " *[b.format().replace(' ', '') for b in w.prediction.bars.values()])\n"
        "w.close()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    started, thread_answered, before, label, *bars = done.stdout.split()
    assert (started, thread_answered, before) == ("True", "False", "—")
    assert label in ("Adelie", "Gentoo", "Chinstrap")
    assert len(bars) == 3 and all(b.endswith("%") for b in bars)
