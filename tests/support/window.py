"""The real window opened offscreen, with its dialogs faked, and ways to drive it."""

import numpy as np
import pytest
from fake_dialogs import FakeDialogs
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QSlider, QSpinBox, QWidget

from playground.core.files.project import trainer_from_project
from playground.ui.main_window import MainWindow


def open_window(qtbot, tmp_path, name="s.ini"):
    w = MainWindow(settings=QSettings(str(tmp_path / name), QSettings.Format.IniFormat))
    w.dialogs = FakeDialogs()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.known_weights.torch_ready, timeout=60_000)  # torch loaded
    return w


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    w.close()


def find(w, name, kind=QWidget):
    widget = w.findChild(kind, name)
    assert widget is not None, f"no widget named {name!r}"
    return widget


def flat_out(w):
    speed = find(w, "speedInput", QSlider)
    speed.setValue(speed.maximum())


def set_spin(w, name, value, kind=QSpinBox):
    box = find(w, name, kind)
    box.setValue(value)
    return box


def wait_paused(qtbot, w, timeout=30_000):
    qtbot.waitUntil(lambda: not w.controller.running, timeout=timeout)


def train_to(qtbot, w, epochs):
    w.controls.epochs.setValue(epochs)
    w.toolbar.speed.setValue(w.toolbar.speed.maximum())
    w.toggle_training()
    qtbot.waitUntil(lambda: w.epoch == epochs and not w.controller.running, timeout=30_000)


def train(qtbot, window, epochs):
    """Train flat out until the epoch limit, then refresh the see-inside views."""
    flat_out(window)
    set_spin(window, "epochLimitInput", epochs)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.epoch >= epochs, timeout=60_000)
    wait_paused(qtbot, window)
    window.insights.refresh()


def switch(qtbot, w, kind, *answers):
    """File ▸ New with Data Set, answering the questions it asks with `answers`."""
    w.dialogs.answers += list(answers)
    w.actions[f"dataset_{kind}"].trigger()
    qtbot.waitUntil(lambda: w.snapshot is not None
                    and w.snapshot.weights[0].shape[1] == w.dataset.n_features, timeout=10_000)


def torch_classes(window, view):
    """The class of every cell, computed by PyTorch from a copy of the trained model."""
    trainer = trainer_from_project(window.capture_project(), window.dataset)
    ix, iy = view.scatter.axes()
    gx, gy = view.axes_values
    rows = np.repeat(window.prediction.values()[None, :], len(gx) * len(gy), axis=0)
    rows[:, ix] = np.tile(gx, len(gy))
    rows[:, iy] = np.repeat(gy, len(gx))
    probs = trainer.predict_proba(window.session.split.standardizer.transform(rows))
    return probs.argmax(1).reshape(len(gy), len(gx)), np.sort(probs, 1)


def open_step_view(qtbot, w, row=None):
    if row is not None:
        w.insights.load_row(row)
    w.docks["explainStepDock"].show()
    w.insights.refresh()
    view = w.insights.view("explainStepDock")
    qtbot.waitUntil(lambda: view.step is not None, timeout=10_000)  # the training thread's
    return view


def open_learn(qtbot, w):
    w.actions["learn"].trigger()  # Help ▸ Learn the concepts (F1)
    qtbot.waitUntil(lambda: "learnDock" in w.insights.views, timeout=5_000)
    panel = w.insights.view("learnDock")
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    return panel
