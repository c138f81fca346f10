""""Explain this training step" in the window: the loss, the gradients in the editor, and
a Step that moves every weight by exactly the step shown."""
# ruff: noqa: F811 (tests take the `window` fixture imported from support.window as a parameter)

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGraphicsRectItem, QLabel
from support.window import find, open_step_view, wait_paused, window  # noqa: F401 (a fixture)

from playground.core.network.backprop import backprop


def test_the_view_shows_the_loss_of_a_validation_penguin(qtbot, window):
    row = int(window.session.split.val_index[2])
    view = open_step_view(qtbot, window, row)
    truth = int(window.dataset.y[row])
    assert find(window, "stepTargetInput", QComboBox).currentIndex() == truth
    want = backprop(window.snapshot, window.session.split.standardizer, window.dataset.x[row],
                    truth)
    p = want.forward.probabilities[truth]
    assert math.isclose(view.backward.loss, -math.log(p), rel_tol=1e-9)
    text = find(window, "explainStepText").toPlainText()
    assert f"{view.backward.loss:.4f}" in text and "Backward pass" in text
    assert f"row {row + 1}" in text and "new = old − step" in text
    # The worker's autograd gradients are the numpy ones, and its loss the same.
    assert math.isclose(view.step.loss, view.backward.loss, rel_tol=1e-5)
    for mine, theirs in zip(view.backward.weight_gradients, view.step.weight_gradients,
                            strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)


def test_the_editor_draws_gradients_while_the_view_is_open(qtbot, window):
    edges = window.editor.view._edges
    weights = edges.values_from(window.snapshot.weights)
    np.testing.assert_array_equal(edges.weights, weights)
    view = open_step_view(qtbot, window, int(window.session.split.val_index[0]))
    legend = find(window, "gradientLegend", QLabel)
    assert legend.isVisible() and "∂loss/∂w" in legend.text()
    edges = window.editor.view._edges
    np.testing.assert_allclose(edges.weights, edges.values_from(view.backward.weight_gradients))
    assert not np.allclose(edges.weights, edges.values_from(window.snapshot.weights))
    # Each neuron's error term: under it, and in its hover text.
    editor = window.editor.view
    shown = 0
    for item, column, i in view.overlay._labels:  # each shown neuron's error term under it
        delta = view.backward.layers[column - 1].deltas[i]
        if abs(delta) >= 5e-5:
            assert item.text() == f"δ {delta:+.2g}".replace("-", "−")
            shown += 1
    assert shown >= 3 and len(view.overlay._labels) == sum(
        len(c.shown) for c in editor.layout.columns[1:])
    deltas = view.backward.layers[0].deltas
    assert f"{deltas[0]:+.4g}" in view.overlay.neuron_text("hidden", 1, 0)
    # A connection's hover text: its weight, and the gradient it is drawn with.
    gap, to, frm = editor._edges.index[0]
    text = view.overlay.edge_text(editor.info, gap, to, frm, edges.weights[0])
    assert f"weight {window.snapshot.weights[gap][to, frm]:+.4f}" in text
    assert f"∂loss/∂w = {view.backward.weight_gradients[gap][to, frm]:+.4g}" in text
    window.docks["explainStepDock"].hide()
    assert editor.overlay is None and not legend.isVisible()
    edges = editor._edges
    np.testing.assert_array_equal(edges.weights, edges.values_from(window.snapshot.weights))
    assert not any(item.scene() for item, _, _ in view.overlay._labels)


def test_step_moves_every_weight_by_exactly_the_step_shown(qtbot, window):
    view = open_step_view(qtbot, window, int(window.session.split.val_index[5]))
    shown, before = view.step, window.snapshot
    epoch = window.epoch
    for old, w in zip(shown.old_weights, before.weights, strict=True):
        np.testing.assert_allclose(old, w, atol=1e-7)  # the step starts from what is drawn
    qtbot.mouseClick(find(window, "applyStepButton", QAbstractButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.snapshot is not before, timeout=10_000)
    after = window.snapshot
    for k in range(len(after.weights)):
        np.testing.assert_allclose(after.weights[k], shown.old_weights[k] -
                                   shown.weight_steps[k], atol=1e-6)
        np.testing.assert_allclose(after.biases[k], shown.old_biases[k] - shown.bias_steps[k],
                                   atol=1e-6)
    assert max(np.abs(s).max() for s in shown.weight_steps) > 1e-4
    assert window.epoch == epoch and len(window.plots.history.epochs) == epoch
    window.insights.refresh()
    assert "went from" in find(window, "stepStatus", QLabel).text()
    assert view.backward.loss < shown.loss  # a step downhill on this very example


def test_a_chosen_target_for_an_edited_penguin(qtbot, window):
    from PySide6.QtWidgets import QDoubleSpinBox

    view = open_step_view(qtbot, window, 0)
    find(window, "featureInput:body_mass_g", QDoubleSpinBox).setValue(5100)
    combo = find(window, "stepTargetInput", QComboBox)
    combo.setCurrentIndex(1)
    window.insights.refresh()
    qtbot.waitUntil(lambda: view.step is not None, timeout=10_000)
    assert view.backward.forward.true_class == 1
    assert "no known species" in find(window, "explainStepText").toPlainText()


def test_no_network_yet_and_training_disable_the_step(qtbot, window):
    view = open_step_view(qtbot, window)
    button = find(window, "applyStepButton", QAbstractButton)
    assert button.isEnabled()
    window.snapshot = None  # as right after an edit, before the new network reports
    window.insights.refresh()
    assert "still being built" in find(window, "explainStepText").toPlainText()
    assert not button.isEnabled() and window.editor.view.overlay is None
    window.toggle_training()
    qtbot.waitUntil(lambda: window.controller.running, timeout=10_000)
    assert not button.isEnabled() and "Pause" in button.toolTip()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10_000)  # trained weights
    window.insights.refresh()  # while training runs, no update is asked for
    assert view.step is None and "update is shown when it pauses" in view.text.toPlainText()
    window.toggle_training()
    wait_paused(qtbot, window)
    qtbot.waitUntil(lambda: view.step is not None, timeout=10_000)  # asked for on pausing
    assert button.isEnabled()
    for old, w in zip(view.step.old_weights, window.snapshot.weights, strict=True):
        np.testing.assert_allclose(old, w, atol=1e-7)  # the paused network's weights


def test_a_regression_step_after_a_switch_of_data_set(qtbot, window):
    from PySide6.QtWidgets import QDoubleSpinBox

    from playground.core.data.toy_data import make_toy

    old = open_step_view(qtbot, window, 0)
    window.use_dataset(make_toy("surface", 0.1, 0))
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == 2, timeout=10_000)
    assert window.editor.view.overlay is not old.overlay  # the old view let go of the editor
    row = int(window.session.split.val_index[1])
    view = open_step_view(qtbot, window, row)
    assert view is not old and window.editor.view.overlay is view.overlay
    target = find(window, "stepTargetInput", QDoubleSpinBox)
    assert target.value() == pytest.approx(float(window.dataset.y[row]), abs=1e-4)
    e = view.backward.forward
    assert e.is_regression and view.backward.loss == pytest.approx(
        (e.layers[-1].weighted_sums[0] - e.true_standardized) ** 2)
    assert "Squared error" in find(window, "explainStepText").toPlainText()
    for mine, theirs in zip(view.backward.weight_gradients, view.step.weight_gradients,
                            strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)
    shown, before = view.step, window.snapshot
    find(window, "applyStepButton", QAbstractButton).click()
    qtbot.waitUntil(lambda: window.snapshot is not before, timeout=10_000)
    for w, old_w, s in zip(window.snapshot.weights, shown.old_weights, shown.weight_steps,
                           strict=True):
        np.testing.assert_allclose(w, old_w - s, atol=1e-6)
    # Only the new view's error terms are drawn: one label per shown neuron.
    plates = [i for i in window.editor.view.scene().items()
              if isinstance(i, QGraphicsRectItem) and i.childItems()]
    assert len(plates) == len(view.overlay._labels)
