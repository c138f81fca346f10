"""Neuron maps: each hidden and output neuron shows its output over the input plane."""

import time

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QSpinBox, QToolButton
from support.window import find, flat_out, set_spin, wait_paused, window  # noqa: F401

from playground.core.network.forward import forward_pass
from playground.ui.editor import neuron_maps as display_module
from playground.ui.editor.neuron_map_items import colour_table


def new_dataset(qtbot, w, kind):
    w.actions[f"dataset_{kind}"].trigger()  # File ▸ New with Data Set (noise: the default)
    qtbot.waitUntil(lambda: w.snapshot is not None and w.dataset.n_features ==
                    (4 if kind == "penguins" else 2), timeout=30_000)


def train(qtbot, w, epochs):
    flat_out(w)
    set_spin(w, "epochLimitInput", w.epoch + epochs)
    w.toggle_training()
    qtbot.waitUntil(lambda: w.epoch >= epochs, timeout=60_000)
    wait_paused(qtbot, w)


def drawn(w):
    """(column, index) of every hidden and output neuron the editor draws."""
    lay = w.editor.view.layout
    return [(c, i) for c, col in enumerate(lay.columns[1:], start=1) for i in col.shown]


def at(view, neuron):
    c, i = neuron
    col = view.layout.columns[c]
    return view.mapFromScene(QPointF(col.x, col.ys[col.shown.index(i)]))


def hover(view, point: QPoint):
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(point), QPointF(view.mapToGlobal(point)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def leave(view):
    QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))


def test_on_for_two_features_off_for_more_and_the_toggle_shows_every_map(qtbot, window):  # noqa: F811
    maps = window.neuron_maps
    assert not maps.action.isChecked()  # penguins: four features
    assert maps.items.visible() == []
    assert maps.action in [a for m in window.menuBar().actions() if m.text() == "&View"
                           for a in m.menu().actions()]
    new_dataset(qtbot, window, "xor")
    assert maps.action.isChecked()
    qtbot.waitUntil(lambda: maps.items.visible() == drawn(window), timeout=5_000)
    assert sorted(maps.items.items) == sorted(drawn(window))  # every hidden and output one
    button = find(window, "neuronMapsButton", QToolButton)
    button.click()  # the editor's button and the View menu's entry are one action
    assert not maps.action.isChecked() and maps.items.visible() == []
    window.actions["neuron_maps"].trigger()
    assert button.isChecked() and maps.items.visible() == drawn(window)
    button.click()
    # A person's choice is remembered for data sets of that kind, not for the others.
    new_dataset(qtbot, window, "circles")
    assert not maps.action.isChecked()
    new_dataset(qtbot, window, "penguins")
    assert not maps.action.isChecked()
    maps.action.trigger()
    new_dataset(qtbot, window, "spirals")
    assert not maps.action.isChecked()
    new_dataset(qtbot, window, "penguins")
    assert maps.action.isChecked()


def test_a_map_shows_its_neurons_output(qtbot, window):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    train(qtbot, window, 60)
    maps = window.neuron_maps
    qtbot.waitUntil(lambda: maps._snapshot is window.snapshot, timeout=5_000)
    rows = maps._plane.rows
    layers = forward_pass(window.snapshot, rows)
    table = colour_table()
    items = maps.items
    d = items.size
    lay = window.editor.view.layout  # drawn at the neurons' size, from the 32 × 32 grid
    assert d == round(2 * (lay.radius - 1.5) * window.editor.view.scale_factor)
    checked = 0
    for c, i in items.keys:
        values = layers[c - 1].activations
        if c < len(layers):
            shown = values[:, i] / np.abs(values).max()
        else:
            shown = (values[:, i] - 0.5) / 0.5
        grid = shown.reshape(32, 32)  # row 0: the lowest x2
        image = items.image_of((c, i))
        assert (image.width(), image.height()) == (d, d)
        for px, py in ((d // 2, d // 2), (d // 4, d // 2 + 5), (2 * d // 3, d // 3),
                       (d // 3, 3 * d // 4)):
            # The pixel's centre in grid cells: bilinear between the four around it.
            u = min(max((px + 0.5) * 32 / d - 0.5, 0), 31)
            v = min(max((d - 1 - py + 0.5) * 32 / d - 0.5, 0), 31)  # image row 0: the top
            x0, y0 = min(int(u), 30), min(int(v), 30)
            fx, fy = u - x0, v - y0
            value = (grid[y0, x0] * (1 - fx) * (1 - fy) + grid[y0, x0 + 1] * fx * (1 - fy)
                     + grid[y0 + 1, x0] * (1 - fx) * fy + grid[y0 + 1, x0 + 1] * fx * fy)
            pixel = image.pixelColor(px, py)
            assert pixel.alpha() == 255
            expected = table[int(round((np.clip(value, -1, 1) + 1) * 127))]
            assert abs(pixel.red() - int(expected[0])) <= 1, (c, i, px, py)
            assert abs(pixel.blue() - int(expected[2])) <= 1
            if abs(value) > 0.2:  # blue where positive, orange where negative
                assert (pixel.blue() > pixel.red()) == (value > 0)
                checked += 1
        assert image.pixelColor(0, 0).alpha() == 0  # round: the corners are clear
    assert checked > 10


def test_maps_are_computed_once_per_snapshot_and_not_when_off(qtbot, window, monkeypatch):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    seen = []
    real = display_module.maps_on

    def counting(snapshot, cells, *args):
        seen.append(snapshot)
        return real(snapshot, cells, *args)

    monkeypatch.setattr(display_module, "maps_on", counting)
    start = time.perf_counter()
    train(qtbot, window, 1500)
    seconds = time.perf_counter() - start
    assert len(seen) >= 2
    assert len({id(s) for s in seen}) == len(seen)  # no snapshot twice: one pass for all
    # While training, at most LIVE_RATE a second (however many frames), and the last
    # snapshot of the run always.
    assert len(seen) <= seconds * display_module.LIVE_RATE + 2
    assert seen[-1] is window.snapshot
    window._show_prediction()
    window.prediction.set_values(np.array([0.5, -0.5]))  # both on the plane: no new pass
    assert len(seen) == len({id(s) for s in seen})
    window.neuron_maps.set_enabled(False)
    seen.clear()
    train(qtbot, window, 100)
    assert seen == []


def test_held_features_move_the_maps(qtbot, window):  # noqa: F811
    maps = window.neuron_maps
    maps.set_enabled(True)
    window.step_epoch()
    qtbot.waitUntil(lambda: maps._snapshot is window.snapshot, timeout=10_000)
    before, computed = maps.items.images.copy(), maps.computed
    find(window, "featureInput:flipper_length_mm").setValue(230)  # held: not on the plane
    assert maps.computed == computed + 1 and not np.array_equal(maps.items.images, before)
    find(window, "featureInput:bill_length_mm").setValue(50)  # on the plane: same maps
    assert maps.computed == computed + 1
    view = window.editor.view
    text = view.tooltip_at(at(view, (1, 0)))
    assert "over Bill length (mm) (across) and Bill depth (mm) (up)" in text
    assert "held at the prediction panel's value" in text and "Esc" in text


def test_hover_shows_the_neuron_in_the_decision_map(qtbot, window):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    train(qtbot, window, 40)
    window.docks["decisionMapDock"].show()
    decision = window.insights.view("decisionMapDock")
    window.insights.refresh()
    assert decision.classes is not None
    view = window.editor.view
    hover(view, at(view, (1, 2)))
    assert decision.neuron == (1, 2) and decision.classes is None
    assert "Hidden layer 1, neuron 3" in find(window, "mapTitle").text()
    # Its large map is that neuron's output on the decision map's own grid.
    gx, gy = decision.axes_values
    from playground.core.network.neuron_maps import plane_rows

    rows = plane_rows(window.prediction.values(), (0, 1), gx, gy)
    z = forward_pass(window.snapshot, window.session.split.standardizer.transform(rows))[0]
    np.testing.assert_allclose(decision.neuron_values.ravel(), z.activations[:, 2],
                               rtol=1e-5, atol=1e-6)
    hover(view, at(view, (2, 1)))  # the output "class B"
    assert decision.neuron == (2, 1) and "class B" in find(window, "mapTitle").text()
    leave(view)
    assert decision.neuron is None and decision.classes is not None
    assert not find(window, "mapTitle").isVisible()


def test_a_click_pins_a_neuron_and_esc_unpins_it(qtbot, window):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=10_000)
    view = window.editor.view
    dock = window.docks["decisionMapDock"]
    assert not dock.isVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, (1, 4)))
    assert dock.isVisible()  # a click opens the decision map on that neuron
    decision = window.insights.view("decisionMapDock")
    assert decision.neuron == (1, 4) and "pinned" in find(window, "mapTitle").text()
    ring = window.neuron_maps.ring  # the editor marks the pinned neuron
    assert view.mapFromScene(ring.sceneBoundingRect().center()) == at(view, (1, 4))
    hover(view, at(view, (1, 0)))
    assert decision.neuron == (1, 0)
    leave(view)
    assert decision.neuron == (1, 4)  # back to the pinned one, not the prediction
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, (1, 4)))
    leave(view)
    assert decision.neuron is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, (2, 0)))
    leave(view)
    assert decision.neuron == (2, 0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert decision.neuron is None and window.neuron_maps.ring is None
    window.insights.refresh()
    assert decision.classes is not None  # the prediction again
    # Unpinned while the map is closed: reopened, it shows the prediction, not that neuron.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, (1, 2)))
    leave(view)
    assert decision.neuron == (1, 2)
    dock.close()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    dock.show()
    assert decision.neuron is None


def test_a_condensed_layer_has_maps_for_its_drawn_neurons_only(qtbot, window):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    find(window, "unitsInput:0", QSpinBox).setValue(512)
    qtbot.waitUntil(lambda: window.spec.hidden[0].units == 512, timeout=5_000)
    window.step_epoch()
    qtbot.waitUntil(lambda: window.snapshot is not None and window.epoch == 1,
                    timeout=10_000)
    maps = window.neuron_maps
    qtbot.waitUntil(lambda: maps._snapshot is window.snapshot, timeout=5_000)
    column = window.editor.view.layout.columns[1]
    assert column.hidden_count > 0
    ours = sorted(i for c, i in maps.items.visible() if c == 1)
    assert ours == sorted(column.shown) and len(ours) < 512
    assert maps.items.images.shape[0] == len(drawn(window))


def test_while_training_the_maps_are_painted_between_frames_then_shown(qtbot, window):  # noqa: F811
    new_dataset(qtbot, window, "xor")
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=10_000)
    maps = window.neuron_maps
    shown, computed = maps.items.images, maps.computed
    maps._snapshot, maps._shown_at = None, -np.inf  # as if this snapshot had just come

    # A frame while training only sets the painting for later, away from the frame ...
    maps.update(live=True, after=0.05)
    assert maps.computed == computed and maps.items.images is shown
    maps.update(live=True, after=0.05)  # ... once: the next frame waits for it
    qtbot.waitUntil(lambda: maps.computed == computed + 1, timeout=5_000)
    assert maps.items.images is shown  # painted, and shown a moment later
    qtbot.waitUntil(lambda: maps.items.images is not shown, timeout=5_000)
    np.testing.assert_array_equal(maps.items.images, shown)  # the same weights: the same maps

    # Training stops before the painting is due: the last frame paints at once.
    maps._snapshot, maps._shown_at = None, -np.inf
    maps.update(live=True, after=30)
    shown = maps.items.images
    maps.update()
    assert maps.computed == computed + 2 and maps.items.images is not shown
    assert not maps._between.isActive()
