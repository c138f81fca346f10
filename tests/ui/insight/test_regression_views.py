"""The "see inside" views on a regression data set (the surface): the right numbers, in
the data's units, and no classes anywhere."""
# ruff: noqa: F811 (tests take the `window` fixture imported as a parameter)

import math

import numpy as np
import pyqtgraph as pg
import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from support.window import switch, train_to, window  # noqa: F401

from playground.core.data.dataset import Dataset, Feature
from playground.core.data.split import Standardizer
from playground.core.files.project import trainer_from_project
from playground.core.lessons import LESSONS
from playground.core.network.explain import explain
from playground.core.network.forward import WeightSnapshot
from playground.core.network.predictor import Predictor
from playground.core.training.metrics import regression_scores
from playground.ui.files.data_explorer import TargetSummary
from playground.ui.files.data_table import DatasetTableModel
from playground.ui.insight.predicted_actual_view import PredictedActualView
from playground.ui.plots.value_colours import ValueColours, value_range

VIEWS = ("decisionMapDock", "explainDock", "insideDock", "confusionDock",
         "dataExplorerDock", "runsDock", "learnDock")


def tiny_regression() -> Dataset:
    x = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0], [4.0, 1.0]])
    return Dataset("tiny", (Feature("a"), Feature("b")), (), x,
                   np.array([10.0, -2.5, 100.0, 7.0]), label="price", task="regression")


def test_the_data_table_shows_and_sorts_the_value_as_a_number(qtbot):
    model = DatasetTableModel(tiny_regression())
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Price"
    assert [model.index(r, 1).data() for r in range(4)] == ["10", "-2.5", "100", "7"]
    assert model.index(0, 1).data(Qt.ItemDataRole.DecorationRole) is None  # no class colour
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert list(model.rows()) == [1, 3, 0, 2]  # −2.5 < 7 < 10 < 100, not "10" < "7"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert list(model.rows()) == [2, 0, 3, 1]


def test_the_target_summary_and_the_colour_scale(qtbot):
    d = tiny_regression()
    summary = TargetSummary(d)
    qtbot.addWidget(summary)
    assert summary.stats == (-2.5, np.mean(d.y), 100.0)
    assert summary.counts.sum() == 4
    assert "-2.5" in summary.text.text() and "100" in summary.text.text()
    colours = ValueColours(*value_range(d.y))
    table = colours.map.getLookupTable(0.0, 1.0, 256, alpha=False)
    np.testing.assert_array_equal(colours.rgb(np.array([-2.5, 100.0, 1e9])),
                                  [table[0], table[-1], table[-1]])  # clipped at the ends
    assert value_range(np.array([3.0, 3.0])) == (2.5, 3.5)  # a flat target still has a scale


def test_explaining_a_linear_output_by_hand():
    snap = WeightSnapshot((np.array([[1.0, -1.0]]), np.array([[2.0]])),
                          (np.array([0.5]), np.array([-1.0])), ("relu",))
    target = Standardizer(np.array([10.0]), np.array([4.0]))
    e = explain(snap, Standardizer(np.zeros(2), np.ones(2)), np.array([3.0, 1.0]),
                target=target, true_value=18.0)
    assert e.is_regression and e.layers[-1].activation == "linear"
    assert e.layers[1].weighted_sums.tolist() == [4.0]  # 2 · relu(3 − 1 + 0.5) − 1
    assert e.value == 4.0 * 4.0 + 10.0  # z × scale + mean
    assert e.true_standardized == 2.0 and e.loss == (4.0 - 2.0) ** 2
    assert explain(snap, Standardizer(np.zeros(2), np.ones(2)), np.array([3.0, 1.0]),
                   target=target).loss is None


def test_every_view_is_right_for_regression_while_it_trains(qtbot, window):
    w = window
    switch(qtbot, w, "surface", 0.1)
    w.controls.learning_rate.setValue(0.03)
    for name in VIEWS:  # every view open while the network trains: no exception anywhere
        w.docks[name].show()
    assert w.docks["confusionDock"].windowTitle() == "Predicted vs. actual"
    train_to(qtbot, w, 300)
    assert w.plots.history.last("val_accuracy") > 0.5
    row = int(w.session.split.val_index[3])
    w.insights.load_row(row)  # a validation sample with a known height
    for name in VIEWS:  # the visible ones only refresh: look at each in turn
        w.docks[name].raise_()
        w.insights.refresh()
    split, d = w.session.split, w.dataset
    trainer = trainer_from_project(w.capture_project(), d)
    predictor = Predictor(d.features, (), split.standardizer, w.snapshot, split.target)

    # Predicted versus actual: the model's own predictions of the validation rows.
    w.docks["confusionDock"].raise_()
    w.insights.refresh()
    view = w.insights.view("confusionDock")
    assert isinstance(view, PredictedActualView)
    np.testing.assert_array_equal(view.rows, split.val_index)
    np.testing.assert_array_equal(view.truth, d.y[split.val_index])
    np.testing.assert_allclose(view.predicted, trainer.predict_values(split.val_x), atol=1e-4)
    xs, ys = view.dots.getData()
    np.testing.assert_array_equal(xs, view.truth)
    np.testing.assert_array_equal(ys, view.predicted)
    r2, mae = regression_scores(view.truth, view.predicted)
    assert view.scores == (r2, mae)
    assert math.isclose(r2, w.plots.history.last("val_accuracy"), abs_tol=1e-3)  # the plot's
    text = view.summary.text()
    assert f"R² = <b>{r2:.3f}</b>" in text and f"<b>{mae:.4g}</b>" in text
    panel_value = predictor.predict(w.prediction.values()).value
    assert view.marker.getData()[0][0] == d.y[row]  # the star: this sample
    assert math.isclose(view.marker.getData()[1][0], panel_value, abs_tol=1e-9)
    # Clicking a dot loads its row, with its true value.
    k = 10
    other = int(view.rows[k])
    plot = view.plot
    scene = plot.getPlotItem().getViewBox().mapViewToScene(
        QPointF(float(view.truth[k]), float(view.predicted[k])))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=plot.mapFromScene(scene))
    qtbot.waitUntil(lambda: w.prediction.true_row is not None and w.prediction.true_row
                    != row, timeout=5_000)
    hit = w.prediction.true_row  # dots may overlap: the one under the pointer
    assert hit == other or abs(view.truth[list(view.rows).index(hit)] - view.truth[k]) < 0.05
    np.testing.assert_allclose(w.prediction.values(), d.x[hit], atol=1e-3)
    assert w.prediction.truth.text().startswith("True height:")
    w.insights.load_row(row)

    # The decision map: the predicted height over the plane, on the colour scale.
    w.docks["decisionMapDock"].raise_()
    w.insights.refresh()
    m = w.insights.view("decisionMapDock")
    assert m.classes is None and m.values is not None
    raw = w.prediction.values()
    ix, iy = m.scatter.axes()
    i_row = int(np.abs(m.axes_values[1] - raw[iy]).argmin())
    i_col = int(np.abs(m.axes_values[0] - raw[ix]).argmin())
    centre = raw.copy()
    centre[[ix, iy]] = m.axes_values[0][i_col], m.axes_values[1][i_row]
    assert math.isclose(m.value_at(raw[ix], raw[iy]), predictor.predict(centre).value,
                        abs_tol=1e-9)
    # The cell holding the star is within a cell's slope of the panel's own value.
    assert abs(m.value_at(raw[ix], raw[iy]) - panel_value) < 0.1
    colours = m.scatter.value_colours
    np.testing.assert_array_equal(m.rgb[i_row, i_col],
                                  colours.rgb(np.array([m.values[i_row, i_col]]))[0])
    assert (colours.low, colours.high) == (d.y.min(), d.y.max())
    assert isinstance(m.scatter.colour_bar, pg.ColorBarItem)
    assert tuple(m.scatter.colour_bar.levels()) == (d.y.min(), d.y.max())
    assert m.scatter.marker.getData()[0][0] == raw[ix]
    (dots,) = m.scatter.species  # one item, every point coloured by its true value
    assert len(dots.getData()[0]) == len(d)
    first = dots.points()[0]
    assert first.brush().color().getRgb()[:3] == tuple(
        colours.rgb(np.array([d.y[int(first.data())]]))[0])

    # Explain this prediction: a linear output, unstandardized, and a squared error.
    w.docks["explainDock"].raise_()
    w.insights.refresh()
    e = w.insights.view("explainDock").explanation
    assert e.is_regression and math.isclose(e.value, panel_value, rel_tol=1e-9)
    x = torch.as_tensor(split.standardizer.transform(raw)[None], dtype=torch.float32)
    trainer.model.eval()
    with torch.no_grad():
        z = trainer.model(x)[0, 0]
    y = torch.tensor(float(split.target.transform(np.array([[d.y[row]]]))[0, 0]))
    assert math.isclose(float(e.probabilities[0]), float(z), abs_tol=1e-4)
    assert math.isclose(e.loss, float(torch.nn.functional.mse_loss(z, y)), rel_tol=1e-3,
                        abs_tol=1e-6)
    text = w.insights.view("explainDock").text.toPlainText()
    assert "linear" in text and "Softmax" not in text and "squared error" in text
    assert f"= {e.value:.4g}" in text and f"= {e.loss:.4f}" in text

    # Inside the network: the output layer is linear.
    w.docks["insideDock"].raise_()
    w.insights.refresh()
    labels = [item.text for item in w.insights.view("insideDock").plots.ci.items
              if isinstance(item, pg.LabelItem)]
    assert any("Output" in t and "linear" in t for t in labels)
    assert not any("softmax" in t for t in labels)

    # Data explorer: the value, a summary of it, and no class balance.
    w.docks["dataExplorerDock"].raise_()
    explorer = w.insights.view("dataExplorerDock")
    assert isinstance(explorer.balance, TargetSummary)
    model = explorer.table.model()
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Height"
    assert model.index(0, 1).data() == f"{d.y[model.dataset_row(0)]:g}"

    # Runs: R² in the place of accuracy.
    w.docks["runsDock"].raise_()
    w.insights.refresh()
    runs = w.insights.view("runsDock").model
    assert runs.headerData(5, Qt.Orientation.Horizontal) == "Val. R²"
    assert runs.index(0, 5).data() == f"{w.plots.history.last('val_accuracy'):.3f}"

    # Learn: the lessons say where regression differs.
    w.docks["learnDock"].raise_()
    panel = w.insights.view("learnDock")
    w.insights.refresh()
    keys = [lesson.key for lesson in LESSONS]
    panel.list.setCurrentRow(keys.index("softmax"))
    assert "no softmax" in panel.text.toPlainText()
    panel.list.setCurrentRow(keys.index("features"))
    assert "regression" in panel.text.toPlainText()


@pytest.mark.parametrize("kind", ["surface", "blobs"])
def test_switching_back_and_forth_rebuilds_the_views_for_the_task(qtbot, window, kind):
    w = window
    w.docks["confusionDock"].show()
    switch(qtbot, w, "surface", 0.1)
    assert isinstance(w.insights.view("confusionDock"), PredictedActualView)
    w.project_file.mark_clean()
    switch(qtbot, w, kind, 0.1)
    w.insights.refresh()
    view = w.insights.view("confusionDock")
    assert isinstance(view, PredictedActualView) == (kind == "surface")
    assert w.docks["confusionDock"].windowTitle() == (
        "Predicted vs. actual" if kind == "surface" else "Confusion matrix")
