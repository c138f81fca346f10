"""Switching the window to a generated data set, and projects that remember theirs."""

import numpy as np
from PySide6.QtWidgets import QDoubleSpinBox
from support.window import (  # noqa: F401
    open_window,
    switch,  # noqa: F401
    train_to,
    window,
)


def test_xor_in_the_window_learns_with_a_hidden_layer(qtbot, window):  # noqa: F811
    assert window.controls.batch_size.toolTip().startswith("Penguins per gradient step")
    switch(qtbot, window, "xor", 0.2)  # the noise asked for
    # The settings' words follow the data set (Dataset.nouns).
    assert window.controls.batch_size.toolTip().startswith("Samples per gradient step")
    assert "Share of the samples held back" in window.controls.val_fraction.toolTip()
    assert window.dataset.name == "xor"
    assert window.dataset.identity["generator"]["noise"] == 0.2
    assert (window.spec.n_inputs, window.spec.n_outputs) == (2, 2)
    assert window.findChild(QDoubleSpinBox, "featureInput:x1") is not None
    assert window.findChild(QDoubleSpinBox, "featureInput:bill_length_mm") is None
    assert window.undo_stack.count() == 0  # old networks do not fit the new data
    window.controls.learning_rate.setValue(0.05)
    train_to(qtbot, window, 400)
    assert window.plots.history.last("val_accuracy") >= 0.9

    # The decision map follows the data set: two classes over x1 and x2.
    window.docks["decisionMapDock"].show()
    view = window.insights.view("decisionMapDock")
    window.insights.refresh()
    assert view.dataset is window.dataset and set(np.unique(view.classes)) == {0, 1}


def test_a_project_brings_its_generated_data_back(qtbot, tmp_path, window):  # noqa: F811
    switch(qtbot, window, "spirals", 0.3)
    train_to(qtbot, window, 30)
    path = tmp_path / "spirals.pgproj"
    window.dialogs.answers.append(str(path))
    window.actions["save"].trigger()
    saved = window.capture_project()

    other = open_window(qtbot, tmp_path, "other.ini")  # on penguins
    assert other.project_file.open_path(path)
    qtbot.waitUntil(lambda: other.epoch == 30, timeout=10_000)
    assert other.dataset.name == "spirals"
    np.testing.assert_array_equal(other.dataset.x, window.dataset.x)  # same seed and noise
    reopened = other.capture_project()
    for key, value in saved.arrays.items():
        np.testing.assert_array_equal(reopened.arrays[key], value, err_msg=key)


def test_switching_asks_about_unsaved_work_and_cancel_keeps_it(qtbot, window):  # noqa: F811
    train_to(qtbot, window, 10)
    window.dialogs.answers.append("Cancel")
    window.actions["dataset_circles"].trigger()
    assert window.dataset.name == "Palmer penguins" and window.epoch == 10
    assert ("ask", "Unsaved changes") in [c[:2] for c in window.dialogs.calls]
    # Cancelling the noise question changes nothing either.
    window.project_file.mark_clean()
    window.dialogs.answers.append(None)
    window.actions["dataset_circles"].trigger()
    assert window.dataset.name == "Palmer penguins"
