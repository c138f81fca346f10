"""Engineered inputs in the window: the Inputs header's menu adds input neurons to the
drawn network as an undoable edit; they show their values and say what they compute."""

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QToolButton
from support.window import find, torch_classes, train, window  # noqa: F401

from playground.core.network.explain import explain
from playground.ui.insight.forward_explainer import explanation_html
from playground.ui.insight.learn_panel import engineered_text


def kind_action(w, kind) -> QAction:
    # The current header's (a replaced header is deleted later, and may still be found)
    action = w.editor.strip.titles[0].findChild(QAction, f"inputKind:{kind}")
    assert action is not None, f"no menu item for {kind}"
    return action


def input_labels(w) -> list[str]:
    view = w.editor.view
    return [item.text() for item in view._labels[:len(view.layout.columns[0].shown)]]


def test_the_menu_adds_input_neurons_and_undo_takes_them_away(qtbot, window):  # noqa: F811
    assert find(window, "engineeredInputsButton", QToolButton).isEnabled()
    kind_action(window, "square").trigger()
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == 8, timeout=10_000)
    assert window.spec.engineered == tuple(("square", i) for i in range(4))
    assert window.spec.widths[0] == 8 and window.editor.view._widths[0] == 8
    assert window.undo_stack.undoText() == "Engineered inputs: x²"
    labels = input_labels(window)
    assert labels[4].startswith("Bill length²  ") and len(labels) == 8
    assert "Inputs</b> (4 + 4)" in window.editor.strip.titles[0].text()
    # The menu of the rebuilt header shows what is on.
    assert kind_action(window, "square").isChecked()

    kind_action(window, "sin").trigger()
    qtbot.waitUntil(lambda: window.spec.widths[0] == 12, timeout=5_000)
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: window.spec.widths[0] == 8, timeout=5_000)
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == 4, timeout=10_000)
    assert window.spec.engineered == () and len(input_labels(window)) == 4
    assert not kind_action(window, "square").isChecked()
    window.actions["redo"].trigger()
    qtbot.waitUntil(lambda: window.spec.widths[0] == 8, timeout=5_000)


def test_engineered_neurons_show_their_value_and_formula(qtbot, window):  # noqa: F811
    kind_action(window, "square").trigger()
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == 8, timeout=10_000)
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=5_000)
    view = window.editor.view
    info = view.info
    bill = info.standardized[0]
    assert info.standardized[4] == np.float32(bill) ** 2  # what the network sees
    assert input_labels(window)[4] == f"Bill length²  {bill ** 2:+.3g}"
    column = view.layout.columns[0]
    text = view.tooltip_at(view.mapFromScene(QPointF(column.x, column.ys[4])))
    assert "an engineered input" in text and "(standardized Bill length)²" in text
    # A hidden neuron's weighted sum takes them in: the prediction panel's numbers agree.
    hidden = view.layout.columns[1]
    text = view.tooltip_at(view.mapFromScene(QPointF(hidden.x, hidden.ys[0])))
    snap = window.snapshot
    z = snap.weights[0][0] @ info.standardized.astype(np.float64) + snap.biases[0][0]
    assert f"{z:+.4f}" in text
    assert window.prediction.findChild(object, "predictedLabel").text()
    assert "Bill length²" in engineered_text(window.spec, window.dataset)
    # "Explain this prediction" lists them after the standardized input.
    e = explain(snap, window.session.split.standardizer, window.prediction.values())
    page = explanation_html(e, ["Bill length", "Bill depth", "Flipper length", "Body mass"],
                            ["mm", "mm", "mm", "g"], list(window.dataset.class_names))
    assert f"<i>Bill length²</i></td><td align=right>=&nbsp;{bill ** 2:+.3f}" in page
    assert "adds up its 8 inputs" in page


def test_a_product_multiplies_the_decision_map_s_features(qtbot, window):  # noqa: F811
    window.docks["decisionMapDock"].show()
    window.insights.view("decisionMapDock")
    find(window, "mapXInput", QComboBox).setCurrentIndex(2)  # flipper length
    find(window, "mapYInput", QComboBox).setCurrentIndex(3)  # body mass
    kind_action(window, "product").trigger()
    qtbot.waitUntil(lambda: window.spec.engineered == (("product", 2, 3),), timeout=5_000)
    assert input_labels(window)[4].startswith("Flipper length·Body mass")
    # Adding squares keeps the product's pair.
    kind_action(window, "square").trigger()
    qtbot.waitUntil(lambda: len(window.spec.engineered) == 5, timeout=5_000)
    assert ("product", 2, 3) in window.spec.engineered
    # The map is the model's prediction over the plane, engineered inputs and all.
    train(qtbot, window, 100)
    view = window.insights.view("decisionMapDock")
    classes, _ = torch_classes(window, view)
    assert (view.classes == classes).mean() > 0.99


def test_the_training_step_and_neuron_maps_see_the_engineered_inputs(qtbot, window):  # noqa: F811
    from support.window import open_step_view

    from playground.core.network.backprop import backprop

    kind_action(window, "square").trigger()
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[0].shape[1] == 8, timeout=10_000)
    row = int(window.session.split.val_index[1])
    view = open_step_view(qtbot, window, row)
    truth = int(window.dataset.y[row])
    want = backprop(window.snapshot, window.session.split.standardizer, window.dataset.x[row],
                    truth)
    assert view.backward.layers[0].weights.shape == (8, 8)  # a column per input neuron
    for mine, theirs in zip(want.weight_gradients, view.step.weight_gradients, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)  # numpy against autograd
    window.actions["neuron_maps"].setChecked(True)
    window.neuron_maps.update()
    shown = window.neuron_maps.items.visible()  # a map in every hidden and output neuron
    assert len(shown) == sum(window.spec.widths[1:])
