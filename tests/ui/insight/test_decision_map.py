"""The decision map shows what the network predicts over a plane of two features."""

import numpy as np
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox
from support.window import find, flat_out, set_spin, torch_classes, train, wait_paused, window  # noqa: F401  # noqa: F401


def open_map(qtbot, window):  # noqa: F811
    window.docks["decisionMapDock"].show()
    view = window.insights.view("decisionMapDock")
    qtbot.waitUntil(lambda: view.classes is not None, timeout=10_000)
    return view


def test_the_map_is_the_models_prediction_over_the_plane(qtbot, window):  # noqa: F811
    view = open_map(qtbot, window)
    train(qtbot, window, 200)
    classes, sorted_probs = torch_classes(window, view)
    clear = (sorted_probs[:, -1] - sorted_probs[:, -2]).reshape(classes.shape) > 1e-4
    assert np.array_equal(view.classes[clear], classes[clear])  # float32 vs float64 at ties
    assert len(np.unique(view.classes)) == 3  # all three species have a region

    # At the current penguin the map shows the class the prediction panel names.
    raw = window.prediction.values()
    predicted = window.dataset.class_names.index(find(window, "predictedLabel").text())
    ix, iy = view.scatter.axes()
    assert view.class_at(raw[ix], raw[iy]) == predicted
    # ... in that class's colour (blended toward the background, never toward another).
    row = int(np.abs(view.axes_values[1] - raw[iy]).argmin())
    col = int(np.abs(view.axes_values[0] - raw[ix]).argmin())
    pixel = view.rgb[row, col].astype(float)
    from playground.ui import theme

    background = np.array(theme.background().getRgb()[:3], float)
    hues = [np.array(theme.class_colour(i).getRgb()[:3], float) - background for i in range(3)]
    shift = pixel - background

    def off_line(h):  # distance from the line background → that class's colour
        return np.linalg.norm(shift - (shift @ h) / (h @ h) * h)

    assert off_line(hues[predicted]) < 2.0  # on it, up to rounding to 8 bits
    assert int(np.argmin([off_line(h) for h in hues])) == predicted

    # The star marks the penguin.
    x, y = view.scatter.marker.getData()
    assert (x[0], y[0]) == (raw[ix], raw[iy])


def test_held_features_and_axes_follow_the_person(qtbot, window):  # noqa: F811
    view = open_map(qtbot, window)
    train(qtbot, window, 150)
    before = view.classes.copy()
    # A held feature (flipper length is not on the default axes) moves the whole slice.
    find(window, "featureInput:flipper_length_mm", QDoubleSpinBox).setValue(230)
    qtbot.waitUntil(lambda: not np.array_equal(view.classes, before), timeout=5_000)
    assert "flipper length 230 mm" in find(window, "mapHeldLabel").text()
    classes, _ = torch_classes(window, view)
    assert (view.classes == classes).mean() > 0.99

    # New axes: the points are the data set's values on those features.
    find(window, "mapXInput", QComboBox).setCurrentIndex(2)
    find(window, "mapYInput", QComboBox).setCurrentIndex(3)
    for dots in view.scatter.species:
        x, y = dots.getData()
        rows = np.array([p.data() for p in dots.points()], dtype=int)
        np.testing.assert_array_equal(x, window.dataset.x[rows, 2])
        np.testing.assert_array_equal(y, window.dataset.x[rows, 3])
    assert sum(len(d.getData()[0]) for d in view.scatter.species) == len(window.dataset.y)
    assert view.scatter.marker.getData()[0][0] == 230


def test_a_hidden_map_costs_nothing(qtbot, window, monkeypatch):  # noqa: F811
    calls = []
    assert "decisionMapDock" not in window.insights.views  # not even built until shown
    monkeypatch.setattr(window.insights.view("decisionMapDock"), "show_state", calls.append)
    assert not window.docks["decisionMapDock"].isVisible()  # closed until asked for
    train(qtbot, window, 100)
    window.insights.state_changed()
    assert calls == []
