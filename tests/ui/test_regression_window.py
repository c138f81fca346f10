"""Regression in the window: one linear output, its predicted value, R² on the plots."""

import numpy as np
import pytest
from support.window import switch, train_to, window  # noqa: F401

from playground.core.network.predictor import Predictor


def test_the_surface_in_the_window_predicts_a_value_and_scores_r2(qtbot, window):  # noqa: F811
    switch(qtbot, window, "surface", 0.1)
    assert window.dataset.is_regression and window.spec.n_outputs == 1
    titles = [t.text() for t in window.editor.strip.titles]
    assert "linear (1)" in titles[1]
    assert "R²" in window.plots.accuracy_plot.getPlotItem().titleLabel.text
    assert "squared" in window.plots.loss_plot.getPlotItem().titleLabel.text
    assert window.docks["plots"].windowTitle() == "Loss and R²"
    assert window.prediction.bars == {}  # no classes, no probability bars

    window.controls.learning_rate.setValue(0.03)
    train_to(qtbot, window, 300)
    assert window.plots.history.last("val_accuracy") > 0.5  # R², learning

    # The panel shows what the network predicts for its input, in the data's units.
    split = window.session.split
    raw = np.array([0.7, -0.4])
    window.prediction.set_values(raw)
    value = Predictor(window.dataset.features, (), split.standardizer, window.snapshot,
                      split.target).predict(raw).value
    text = window.prediction.predicted.text()
    assert text.startswith("height ≈") and float(text.split("≈")[1]) == pytest.approx(
        value, abs=1e-3)
    assert f"{value:.4g}" in window.editor.view._labels[-1].text()  # the output neuron

    # A validation row brings its true value along.
    window.prediction.random_button.click()
    assert window.prediction.truth.text().startswith("True height:")
    row_values = window.prediction.values()
    row = int(np.abs(window.dataset.x - row_values).sum(axis=1).argmin())  # boxes round
    assert f"{window.dataset.y[row]:.3f}" in window.prediction.truth.text()
