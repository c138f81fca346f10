"""'Explain this prediction': the numbers are the model's own intermediate outputs."""

import math

import numpy as np
import torch
from support.window import find, train, window  # noqa: F401

from playground.core.files.project import trainer_from_project
from playground.core.network.explain import explain


def torch_layer_outputs(trainer, standardized):
    """Every module's output in the live PyTorch model (Linear → z, activation → a)."""
    outs = []
    x = torch.as_tensor(standardized[None, :], dtype=torch.float32)
    trainer.model.eval()
    with torch.no_grad():
        for module in trainer.model:
            x = module(x)
            outs.append(x[0].numpy().astype(np.float64))
    return outs


def test_every_step_matches_pytorch_and_the_loss_is_minus_log_p(qtbot, window):  # noqa: F811
    window.docks["explainDock"].show()
    train(qtbot, window, 120)
    # a penguin with a known species
    window.insights.load_row(int(window.session.split.val_index[0]))
    window.insights.refresh()
    e = window.insights.view("explainDock").explanation
    assert e is not None and \
        e.true_class == int(window.dataset.y[window.session.split.val_index[0]])

    trainer = trainer_from_project(window.capture_project(), window.dataset)
    outputs = torch_layer_outputs(trainer, e.standardized)
    z_hidden, a_hidden, z_out = outputs
    np.testing.assert_allclose(e.layers[0].weighted_sums, z_hidden, atol=1e-4)
    np.testing.assert_allclose(e.layers[0].outputs, a_hidden, atol=1e-4)
    np.testing.assert_allclose(e.layers[1].weighted_sums, z_out, atol=1e-4)
    np.testing.assert_allclose(e.probabilities, torch.softmax(torch.tensor(z_out), 0).numpy(),
                               atol=1e-5)
    loss = torch.nn.functional.cross_entropy(torch.tensor(z_out)[None],
                                             torch.tensor([e.true_class])).item()
    assert math.isclose(e.loss, loss, rel_tol=1e-4, abs_tol=1e-6)
    np.testing.assert_allclose(e.standardized, window.session.split.standardizer.transform(e.raw))

    text = find(window, "explainText").toPlainText()
    assert f"{e.loss:.4f}" in text and "Softmax" in text
    assert window.dataset.class_names[e.predicted] in text


def test_an_edited_penguin_has_no_known_species_and_no_loss(qtbot, window):  # noqa: F811
    window.docks["explainDock"].show()
    window.insights.load_row(0)
    from PySide6.QtWidgets import QDoubleSpinBox

    find(window, "featureInput:body_mass_g", QDoubleSpinBox).setValue(5000)
    window.insights.refresh()
    e = window.insights.view("explainDock").explanation
    assert e.true_class is None and e.loss is None
    assert "validation set" in find(window, "explainText").toPlainText()


def test_explain_by_hand_on_a_tiny_network():
    from playground.core.data.split import Standardizer
    from playground.core.network.forward import WeightSnapshot

    snap = WeightSnapshot((np.array([[1.0, -1.0]]), np.array([[2.0], [0.0]])),
                          (np.array([0.5]), np.array([0.0, 0.0])), ("relu",))
    e = explain(snap, Standardizer(np.zeros(2), np.ones(2)), np.array([3.0, 1.0]), 0)
    assert e.layers[0].weighted_sums.tolist() == [2.5]  # 3 − 1 + 0.5
    assert e.layers[1].weighted_sums.tolist() == [5.0, 0.0]
    p0 = math.exp(5) / (math.exp(5) + 1)
    assert math.isclose(e.probabilities[0], p0) and e.predicted == 0
    assert math.isclose(e.loss, -math.log(p0))


def test_a_step_s_title_marks_its_layer_in_the_editor(qtbot, window):  # noqa: F811
    from PySide6.QtCore import QUrl

    window.docks["explainDock"].show()
    window.insights.refresh()
    explainer = window.insights.view("explainDock")
    assert "column:1" in explainer.text.toHtml()  # the hidden layer's title is a link
    view = window.editor.view
    explainer.text.anchorClicked.emit(QUrl("column:1"))
    assert view.marked_column == 1
    column = view.layout.columns[1]
    mark = view._mark.sceneBoundingRect()
    assert all(mark.contains(column.x, y) for y in column.ys)  # every neuron of that layer
    assert not mark.contains(view.layout.columns[0].x, column.ys[0])  # and no other column
    view.resize(view.width() + 40, view.height())  # a rebuilt editor keeps the mark
    qtbot.waitUntil(lambda: view._mark is not None and view._mark.scene() is view.scene())
    assert view.marked_column == 1
