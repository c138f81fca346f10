"""File ▸ Import Data… driven through the window, with the dialog seam faked."""

import numpy as np
import pytest
from import_files import BAD_FILES, bad_file, houses, shops
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox
from support.window import open_window, train_to, window  # noqa: F401

from playground.core.data.table_import import preview
from playground.ui.threads.import_worker import ImportWorker


def start_import(window, path):  # noqa: F811
    pf = window.project_file
    pf.import_dialog = None
    window.dialogs.answers.append(str(path))
    window.actions["import_data"].trigger()
    return pf.import_dialog


def finish(qtbot, window, dialog):  # noqa: F811
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == window.dataset.n_features,
                    timeout=20_000)


def test_import_a_file_through_the_dialog(qtbot, tmp_path, window):  # noqa: F811
    dialog = start_import(window, shops(tmp_path))
    assert dialog.isVisible() and dialog.ok.isEnabled()
    assert dialog.summary.text() == "Classification: 2 classes, 59 rows, 5 inputs"
    assert dialog.rows.item(0, 1).text() == "Shop 0, North Street"
    assert "ID" in dialog.columns.item(0, 2).text()  # customer_id
    dialog.set_role("visits", "ignore")
    assert dialog.summary.text() == "Classification: 2 classes, 59 rows, 4 inputs"
    dialog.fill.setChecked(True)
    assert "1 gaps will be filled" in dialog.missing_label.text()
    finish(qtbot, window, dialog)

    assert window.dataset.name == "shops" and len(window.dataset) == 60
    assert (window.spec.n_inputs, window.spec.n_outputs) == (4, 2)
    combo = window.findChild(QComboBox, "featureInput:region")
    assert [combo.itemText(i) for i in range(combo.count())] == ["east", "north", "south"]
    assert window.findChild(QDoubleSpinBox, "featureInput:spend") is not None
    assert window.findChild(QDoubleSpinBox, "featureInput:visits") is None
    assert window.findChild(QDoubleSpinBox, "featureInput:bill_length_mm") is None
    assert not window.isWindowModified()  # a new project on the imported data
    combo.setCurrentIndex(2)
    values = window.prediction.values()
    assert values[:3].tolist() == [0.0, 0.0, 1.0] and len(values) == 4
    window.prediction.set_values(np.array([1.0, 0.0, 0.0, 250.0]))
    assert combo.currentText() == "east"
    assert window.findChild(QDoubleSpinBox, "featureInput:spend").value() == 250.0


def test_choosing_the_label_suggests_the_task(qtbot, tmp_path, window):  # noqa: F811
    dialog = start_import(window, shops(tmp_path))
    dialog.set_role("spend", "label")
    assert dialog.roles["segment"] == "feature"  # the old label became a feature
    assert dialog.task.currentData() == "regression"
    assert dialog.summary.text().startswith("Regression: predicts spend")
    dialog.set_role("spend", "ignore")
    assert not dialog.ok.isEnabled() and "label" in dialog.reason.text()
    dialog.reject()


DIALOG_WORDS = {"one_class.csv": ["only one class"], "no_feature.csv": ["no usable feature"]}


@pytest.mark.parametrize("name", [n for n, _, _ in BAD_FILES])
def test_bad_files_leave_the_data_set(qtbot, tmp_path, window, name):  # noqa: F811
    words = DIALOG_WORDS.get(name, dict((n, w) for n, _, w in BAD_FILES)[name])
    before = window.dataset
    dialog = start_import(window, bad_file(tmp_path, name))
    errors = [c for c in window.dialogs.calls if c[0] == "error"]
    if not errors and dialog is not None and not dialog.ok.isEnabled():
        message = dialog.reason.text()  # the plan cannot be imported: Import is disabled
        dialog.reject()
    else:
        if not errors:
            dialog.ok.click()
            qtbot.waitUntil(lambda: not dialog.busy(), timeout=10_000)
            errors = [c for c in window.dialogs.calls if c[0] == "error"]
            dialog.reject()
        assert errors and errors[-1][1] == "Could not import the data"
        message = errors[-1][2]
    for word in words:
        assert word.lower() in message.lower(), (word, message)
    assert window.dataset is before


def test_unsaved_work_is_asked_about_before_the_switch(qtbot, tmp_path, window):  # noqa: F811
    train_to(qtbot, window, 5)
    dialog = start_import(window, shops(tmp_path))
    window.dialogs.answers.append("Cancel")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=10_000)
    assert ("ask", "Unsaved changes") in [c[:2] for c in window.dialogs.calls]
    assert window.dataset.name == "Palmer penguins" and window.epoch == 5


def test_cancel_stops_between_blocks(qtbot, tmp_path):
    path = shops(tmp_path)
    worker = ImportWorker(str(path), preview(path).default_plan())
    worker.cancel()
    with qtbot.waitSignal(worker.cancelled, timeout=5000):
        worker.run()


def test_a_project_of_imported_data_round_trips(qtbot, tmp_path, window):  # noqa: F811
    csv = shops(tmp_path)
    finish(qtbot, window, start_import(window, csv))
    train_to(qtbot, window, 10)
    path = tmp_path / "shops.pgproj"
    window.dialogs.answers.append(str(path))
    window.actions["save"].trigger()
    saved = window.capture_project()
    assert saved.dataset["import"]["label"] == "segment"

    other = open_window(qtbot, tmp_path, "other.ini")
    assert other.project_file.open_path(path)
    qtbot.waitUntil(lambda: other.epoch == 10, timeout=10_000)
    assert [f.column for f in other.dataset.features] == [
        f.column for f in window.dataset.features]
    np.testing.assert_array_equal(other.dataset.x, window.dataset.x)
    assert other.findChild(QComboBox, "featureInput:region") is not None

    # The file changed: a new category is a new input column, so the weights do not fit.
    csv.write_text(csv.read_text().replace(",east,", ",west,"))
    third = open_window(qtbot, tmp_path, "third.ini")
    assert not third.project_file.open_path(path)
    title, message = third.dialogs.calls[-1][1:]
    assert title == "Could not open the project"
    assert "changed" in message and "region=east" in message
    assert third.dataset.name == "Palmer penguins"

    csv.unlink()
    assert not third.project_file.open_path(path)
    assert "missing" in third.dialogs.calls[-1][2]
    other.close()
    third.close()


def test_a_regression_file_trains_in_the_window(qtbot, tmp_path, window):  # noqa: F811
    dialog = start_import(window, houses(tmp_path))
    assert dialog.summary.text().startswith("Regression")
    finish(qtbot, window, dialog)
    assert window.dataset.is_regression and window.spec.n_outputs == 1
    assert window.prediction.bars == {}
    garden = window.findChild(QComboBox, "featureInput:garden")
    assert [garden.itemText(i) for i in range(garden.count())] == ["no", "yes"]
    window.controls.learning_rate.setValue(0.03)
    train_to(qtbot, window, 200)
    assert window.plots.history.last("val_accuracy") > 0.5  # R²
    assert window.prediction.predicted.text().startswith("price ≈")
