"""The see-inside views show the right numbers: confusion matrix and data explorer."""
# ruff: noqa: F811 (tests take the `window` fixture imported from support.window as a parameter)

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QProgressBar
from support.window import find, flat_out, wait_paused, window  # noqa: F401 (a fixture)

from playground.core.data.dataset import Dataset, Feature
from playground.core.data.split import PreparedData, Standardizer
from playground.core.network.forward import WeightSnapshot, forward_pass
from playground.core.network.spec import default_spec
from playground.core.training.metrics import (
    accuracy,
    cell_members,
    confusion_matrix,
    per_class_precision,
    per_class_recall,
)
from playground.ui.files.data_table import MISSING, DatasetTableModel
from playground.ui.insight.confusion_view import ConfusionView
from playground.ui.insight.insight_views import ModelState

# A hand-made validation set: the "network" predicts the largest feature, so the true
# and predicted class of every row are chosen by hand. Its confusion matrix:
#   true 0: 5 → 0, 1 → 1        precision  5/7  3/5  4/4
#   true 1: 2 → 0, 3 → 1        recall     5/6  3/5  4/5
#   true 2: 1 → 1, 4 → 2        accuracy   12/16
HAND_MATRIX = np.array([[5, 1, 0], [2, 3, 0], [0, 1, 4]])


def hand_made_state(epoch=7) -> ModelState:
    truth, predicted = [], []
    for i in range(3):
        for j in range(3):
            truth += [i] * HAND_MATRIX[i, j]
            predicted += [j] * HAND_MATRIX[i, j]
    x = np.eye(3)[predicted] + 0.01 * np.arange(len(truth))[:, None]  # distinct rows
    y = np.array(truth)
    dataset = Dataset("hand", tuple(Feature(c) for c in "abc"), ("A", "B", "C"), x, y)
    rows = np.arange(len(y))
    split = PreparedData(x, y, x, y, Standardizer(np.zeros(3), np.ones(3)), x.min(0),
                         x.max(0), rows)
    snapshot = WeightSnapshot((10 * np.eye(3),), (np.zeros(3),), ())
    return ModelState(dataset, split, default_spec(3, 3), snapshot, x[0], epoch)


def shown_row(model, table_row: int) -> int:
    """The data-set row of a table row, as the person reads it in the "#" column."""
    return int(model.index(table_row, 0).data()) - 1


def show_dock(qtbot, w, name):
    w.insights.docks[name].show()
    qtbot.waitUntil(lambda: w.insights._showing(w.insights.docks[name]), timeout=5_000)


def test_forward_pass_takes_a_batch_of_rows():
    rng = np.random.default_rng(0)
    snapshot = WeightSnapshot((rng.normal(size=(5, 4)), rng.normal(size=(3, 5))),
                              (rng.normal(size=5), rng.normal(size=3)), ("tanh",))
    rows = rng.normal(size=(6, 4))
    batch = forward_pass(snapshot, rows)
    for layer in range(2):
        one_by_one = np.array([forward_pass(snapshot, r)[layer].activations for r in rows])
        np.testing.assert_allclose(batch[layer].activations, one_by_one, rtol=1e-12)
    np.testing.assert_allclose(batch[-1].activations.sum(axis=1), 1.0)


def test_precision_recall_and_accuracy_by_hand():
    truth = np.repeat([0, 0, 1, 1, 2, 2], HAND_MATRIX[HAND_MATRIX > 0])
    predicted = np.repeat([0, 1, 0, 1, 1, 2], HAND_MATRIX[HAND_MATRIX > 0])
    m = confusion_matrix(truth, predicted, 3)
    np.testing.assert_array_equal(m, HAND_MATRIX)
    np.testing.assert_allclose(per_class_precision(m), [5 / 7, 3 / 5, 1.0])
    np.testing.assert_allclose(per_class_recall(m), [5 / 6, 3 / 5, 4 / 5])
    assert accuracy(m) == 12 / 16
    np.testing.assert_array_equal(cell_members(truth, predicted, 1, 0), [6, 7])
    assert math.isnan(accuracy(np.zeros((2, 2))))
    assert np.isnan(per_class_precision(np.array([[1, 0], [1, 0]]))[1])


def test_confusion_view_shows_hand_made_numbers(qtbot):
    state = hand_made_state()
    view = ConfusionView(state.dataset)
    qtbot.addWidget(view)
    view.show_state(state)
    np.testing.assert_array_equal(view.counts(), HAND_MATRIX)
    shown = [[view.matrix.item(i, j).text() for j in range(3)] for i in range(3)]
    assert shown == HAND_MATRIX.astype(str).tolist()
    assert view.precision_recall() == (["71 %", "60 %", "100 %"], ["83 %", "60 %", "80 %"])
    assert "75 %" in view.summary.text() and "12 of 16" in view.summary.text()
    assert "epoch 7" in view.summary.text()
    # The cell "true B, predicted A" holds rows 6 and 7; choosing one emits its row.
    view.matrix.setCurrentCell(1, 0)
    assert list(view.members.model().rows()) == [6, 7]
    # The hand-made set is not the penguins: its rows are samples (Dataset.nouns).
    assert "2 B samples wrongly predicted as A" in view.members_label.text()
    with qtbot.waitSignal(view.rowChosen) as chosen:
        view.members.selectRow(1)
    assert chosen.args == [7]
    # The recall column is not a cell of penguins.
    view.matrix.setCurrentCell(0, 3)
    assert view.members.model().rowCount() == 0


def test_confusion_matrix_equals_the_models_own_and_loads_a_penguin(qtbot, window):
    w = window
    show_dock(qtbot, w, "confusionDock")
    view = find(w, "confusionView", ConfusionView)
    qtbot.waitUntil(lambda: view.counts() is not None, timeout=5_000)
    flat_out(w)
    w.toggle_training()
    qtbot.waitUntil(lambda: w.epoch >= 30, timeout=30_000)
    w.toggle_training()
    wait_paused(qtbot, w)
    # "Paused" is signalled just before the update carrying the last epochs: wait for it.
    trainer = w.controller._worker._trainer
    qtbot.waitUntil(lambda: w.epoch == trainer.epoch, timeout=5_000)
    w.insights.refresh()

    # Independently: the trainer's torch model on its own validation rows.
    predicted = trainer.predict_proba(trainer.data.val_x).argmax(axis=1)
    truth = trainer.data.val_y
    expected = confusion_matrix(truth, predicted, 3)
    np.testing.assert_array_equal(view.counts(), expected)
    assert expected.sum() == len(w.session.split.val_index)
    for i in range(3):
        for j in range(3):
            assert view.matrix.item(i, j).text() == str(expected[i, j])
    assert view.precision_recall() == (
        [f"{100 * p:.0f} %" for p in per_class_precision(expected)],
        [f"{100 * r:.0f} %" for r in per_class_recall(expected)])
    assert f"epoch {w.epoch:,}" in view.summary.text()

    # Click the fullest cell off the diagonal (else the diagonal's): exactly its penguins.
    off = np.where(np.eye(3, dtype=bool), -1, expected)
    i, j = np.unravel_index(np.argmax(off if off.max() > 0 else expected), (3, 3))
    rect = view.matrix.visualItemRect(view.matrix.item(i, j))
    qtbot.mouseClick(view.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    members = w.session.split.val_index[(truth == i) & (predicted == j)]
    assert sorted(view.members.model().rows()) == sorted(members)

    model = view.members.model()
    row = shown_row(model, 0)
    rect = view.members.visualRect(model.index(0, 2))
    qtbot.mouseClick(view.members.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    np.testing.assert_allclose(w.prediction.values(), w.dataset.x[row])
    assert w.dataset.class_names[i] in find(w, "trueLabel", QLabel).text()


def test_data_table_shows_missing_values_and_sorts_them_last(qtbot):
    x = np.array([[1.0, 5.0], [np.nan, 3.0], [2.0, 4.0]])
    dataset = Dataset("tiny", (Feature("a"), Feature("b")), ("P", "Q"), x, np.array([0, 1, 0]))
    model = DatasetTableModel(dataset)
    assert model.index(1, 2).data() == MISSING
    assert model.index(1, 3).data() == "3"
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert list(model.rows()) == [0, 2, 1]
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert list(model.rows()) == [0, 2, 1]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["Q", "P", "P"]


def test_data_explorer_lists_sorts_and_loads_every_row(qtbot, window):
    w = window
    show_dock(qtbot, w, "dataExplorerDock")
    table = find(w, "dataTable")
    model = table.model()
    d = w.dataset
    assert model.rowCount() == len(d) == 342
    assert sorted(int(model.index(r, 0).data()) for r in range(len(d))) == \
        list(range(1, len(d) + 1))
    assert "2 of the file's 344 rows" in find(w, "dataSummary", QLabel).text()
    for name, count in d.class_counts().items():
        assert find(w, f"classCount:{name}", QProgressBar).value() == count

    # Sort by body mass (the last column), heaviest first, by clicking its header twice.
    header = table.horizontalHeader()
    column = model.columnCount() - 1
    for _ in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=_section_centre(header, column))
    masses = [float(model.index(r, column).data()) for r in range(len(d))]
    assert masses == sorted(d.x[:, -1], reverse=True)

    # Choosing a row (click, then the arrow key) loads that penguin with its species.
    rect = table.visualRect(model.index(3, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    row = shown_row(model, 3)
    assert d.x[row, -1] == masses[3]
    np.testing.assert_allclose(w.prediction.values(), d.x[row])
    assert d.class_names[d.y[row]] in find(w, "trueLabel", QLabel).text()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    np.testing.assert_allclose(w.prediction.values(), d.x[shown_row(model, 4)])


def _section_centre(header, section):
    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                  header.height() // 2)


@pytest.mark.parametrize("axes", [(0, 1), (2, 3)])
def test_scatter_marks_the_prediction_panels_penguin(qtbot, window, axes):
    w = window
    show_dock(qtbot, w, "dataExplorerDock")
    scatter = find(w, "featureScatter")
    find(w, "scatterX", QComboBox).setCurrentIndex(axes[0])
    find(w, "scatterY", QComboBox).setCurrentIndex(axes[1])
    find(w, "featureInput:bill_length_mm", QDoubleSpinBox).setValue(51.5)
    find(w, "featureInput:body_mass_g", QDoubleSpinBox).setValue(5200)
    values = w.prediction.values()
    assert values[0] == 51.5 and values[3] == 5200
    qtbot.waitUntil(lambda: scatter.marked_point() == (values[axes[0]], values[axes[1]]),
                    timeout=5_000)
    # Every penguin is drawn once, at its own feature values, in its species' item.
    for k, dots in enumerate(scatter.species):
        xs, ys = dots.getData()
        rows = np.flatnonzero(w.dataset.y == k)
        np.testing.assert_array_equal(xs, w.dataset.x[rows, axes[0]])
        np.testing.assert_array_equal(ys, w.dataset.x[rows, axes[1]])


def test_open_views_share_at_most_sixteen_refreshes_a_second():
    from playground.ui.insight.insight_views import MIN_GAP, REFRESH_INTERVAL, _gap

    assert _gap(1) == REFRESH_INTERVAL  # one view: four times a second
    assert _gap(2) == REFRESH_INTERVAL / 2  # each still four times a second
    assert _gap(8) == MIN_GAP == 1 / 16  # eight views: each twice a second
