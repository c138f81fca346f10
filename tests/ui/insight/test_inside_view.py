"""'Inside the network': the histograms are the model's own weights and gradients, and
dead or saturated units are reported in plain words."""
# ruff: noqa: F811 (tests take the `window` fixture imported from support.window as a parameter)

import numpy as np
import torch
from support.window import find, train, wait_paused, window  # noqa: F401 (a fixture)

from playground.core.files.project import trainer_from_project
from playground.core.network.layer_health import BINS
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.ui.insight.inside_view import HEALTHY, InsideView


def open_inside(qtbot, window) -> InsideView:
    window.docks["insideDock"].show()
    qtbot.waitUntil(lambda: window.insights._showing(window.docks["insideDock"]),
                    timeout=5_000)
    view = window.insights.view("insideDock")
    qtbot.waitUntil(lambda: view.warnings is not None, timeout=10_000)
    return view


def shown_warnings(window) -> list[str]:
    return [label.text() for label in find(window, "insideWarnings").findChildren(
        type(find(window, "insideEpochLabel")), "insideWarningText")]


def step_with(qtbot, window, change) -> None:
    """Apply `change(trainer)` to the training thread's paused trainer, then train one
    epoch so the window gets a snapshot of it (and of its gradients)."""
    wait_paused(qtbot, window)
    change(window.controller._worker._trainer)
    epoch = window.epoch
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == epoch + 1, timeout=30_000)
    window.insights.refresh()


def test_histograms_are_the_models_own_weights_and_gradients(qtbot, window):
    view = open_inside(qtbot, window)
    assert "gradients appear once" in find(window, "insideEpochLabel").text()
    train(qtbot, window, 80)
    trainer = trainer_from_project(window.capture_project(), window.dataset)
    assert trainer.epoch == window.epoch == view._snapshot.epoch
    assert len(view.weights) == len(trainer._linears) == 2
    for hist, layer in zip(view.weights, trainer._linears, strict=True):
        w = layer.weight.detach().numpy()
        expected = np.histogram(w, BINS, (-hist.limit, hist.limit))[0]
        np.testing.assert_array_equal(hist.counts, expected)
        assert expected.sum() == w.size  # the axis holds every weight
        assert hist.limit >= np.abs(w).max() and hist.top >= expected.max()
        np.testing.assert_array_equal(hist.curve.getData()[1], expected)  # as drawn

    # The gradients: those the training thread's model holds from its last batch.
    live = window.controller._worker._trainer
    assert live.epoch == window.epoch
    for hist, layer in zip(view.gradients, live._linears, strict=True):
        g = layer.weight.grad.numpy()
        expected = np.histogram(g, BINS, (-hist.limit, hist.limit))[0]
        np.testing.assert_array_equal(hist.counts, expected)
        assert expected.sum() == g.size and np.abs(g).max() > 0
    assert f"epoch {window.epoch:,}; gradients of its last training batch" in \
        find(window, "insideEpochLabel").text()

    # A healthy default network after training: no warnings, and a line saying so.
    assert view.warnings == [] and shown_warnings(window) == [HEALTHY]
    assert find(window, "insideHealthy") is not None


def test_dead_relu_units_are_reported(qtbot, window):
    view = open_inside(qtbot, window)

    def kill_three(trainer):
        with torch.no_grad():  # no standardized penguin gets past a bias of −100
            trainer.model[0].bias[[1, 4, 6]] = -100.0

    step_with(qtbot, window, kill_three)
    assert [(h.activation, h.units, h.stopped) for h in view.health] == [("relu", 8, 3)]
    assert shown_warnings(window) == view.warnings == [
        "Hidden layer 1: 3 of 8 ReLU units are dead — they output 0 for every training "
        "penguin, so they no longer learn. Try a smaller learning rate or leaky ReLU."]
    # Their incoming weights get no gradient at all.
    grads = window.snapshot.gradients[0]
    assert not grads[[1, 4, 6]].any() and grads[[0, 2, 3, 5, 7]].any()


def test_saturated_tanh_units_in_a_two_layer_network(qtbot, window):
    window.spec = NetworkSpec(4, 3, (LayerSpec(8, "relu"), LayerSpec(6, "tanh")))
    window.reset_training()
    qtbot.waitUntil(lambda: window.snapshot is not None and len(window.snapshot.weights) == 3,
                    timeout=30_000)
    view = open_inside(qtbot, window)
    assert len(view.weights) == len(view.gradients) == 3  # a row per layer

    def huge(trainer):
        with torch.no_grad():
            trainer.model[2].weight.mul_(1000.0)
            trainer.model[2].bias.mul_(1000.0)

    step_with(qtbot, window, huge)
    relu, tanh = view.health
    assert (tanh.activation, tanh.units) == ("tanh", 6)
    assert tanh.stopped >= 5  # a unit fed only by dead ReLUs may sit at its bias alone
    assert any(t.startswith(f"Hidden layer 2: {tanh.stopped} of 6 tanh units are saturated")
               for t in shown_warnings(window))
    # The weights axis grew to hold the huge weights, in a round step.
    w = window.snapshot.weights[1]
    assert view.weights[1].limit >= np.abs(w).max()
    assert view.weights[1].counts.sum() == w.size


def test_a_hidden_inside_view_is_never_built_or_refreshed(qtbot, window, monkeypatch):
    train(qtbot, window, 40)
    window.insights.state_changed()
    assert "insideDock" not in window.insights.views  # closed: not even built
    calls = []
    monkeypatch.setattr(window.insights.view("insideDock"), "show_state", calls.append)
    assert not window.docks["insideDock"].isVisible()
    train(qtbot, window, 80)
    window.insights.state_changed()
    window.insights.refresh()
    assert calls == []


def rows_become(qtbot, window, view, n) -> None:
    def done() -> bool:
        window.insights.refresh()
        return len(view.weights) == n
    qtbot.waitUntil(done, timeout=10_000)


def test_plots_are_kept_when_the_network_changes_and_follow_its_depth(qtbot, window):
    view = open_inside(qtbot, window)
    train(qtbot, window, 3)
    first = view.weights[0].plot
    window.editor.add_button.click()  # one more hidden layer: one more row
    rows_become(qtbot, window, view, 3)
    assert view.weights[0].plot is first  # kept, not rebuilt
    assert "Hidden 2" in view._row_labels[1].text and "Output" in view._row_labels[2].text
    window.editor.remove_button.click()
    rows_become(qtbot, window, view, 2)
    assert view.weights[0].plot is first and len(view._row_labels) == 2
    items = [view.plots.ci.getItem(r, c) for r in range(1, 4) for c in range(3)]
    assert sum(item is not None for item in items) == 2 * 3  # no stale row left behind


def test_l1_setting_reaches_the_trainer_live_and_the_view_counts_weights_at_zero(
        qtbot, window):
    from PySide6.QtWidgets import QDoubleSpinBox

    from playground.core.network.layer_health import near_zero

    view = open_inside(qtbot, window)
    label = find(window, "insideNearZero")
    assert label.text().startswith("Weights at about 0 (|w| < 0.01): Hidden 1: ")
    assert "L1" not in label.text()
    train(qtbot, window, 20)
    find(window, "l1Input", QDoubleSpinBox).setValue(0.01)
    wait_paused(qtbot, window)
    # Live: the paused trainer takes it with its next step, keeping its weights.
    step_with(qtbot, window, lambda trainer: None)
    assert window.controller._worker._trainer.config.l1 == 0.01
    assert window.capture_project().config.l1 == 0.01  # and the project keeps it
    train(qtbot, window, 300)
    counts = near_zero(window.snapshot.weights)
    assert view.near_zero == counts
    n, total = sum(c[0] for c in counts), sum(c[1] for c in counts)
    assert n >= total // 2  # L1 0.01 with Adam: most of the default network's 56 weights
    text = label.text()
    last = len(counts) - 1
    for i, (k, size) in enumerate(counts):
        name = "Output" if i == last else f"Hidden {i + 1}"
        assert f"{name}: {k} of {size}" in text
    assert f"L1 (0.01) drove {n} of {total} weights there" in text
