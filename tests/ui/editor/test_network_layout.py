"""The editor's geometry: wide layers are condensed so the drawing stays cheap."""

import pytest
from support.window import window  # noqa: F401 (a fixture)

from playground.ui.editor.network_layout import MAX_SHOWN, layout_network


def test_a_wide_network_draws_a_bounded_number_of_neurons_and_connections():
    widths = [32, 256, 256, 256, 3]
    layout = layout_network(widths, 900, 2000)  # a very tall view: height is no limit
    shown = [len(c.shown) for c in layout.columns]
    assert max(shown) <= MAX_SHOWN and shown[-1] == 3
    for column, units in zip(layout.columns, widths, strict=True):
        assert len(column.shown) + column.hidden_count == units  # the ellipsis says the rest
        assert (column.ellipsis_y is not None) == (column.hidden_count > 0)
    edges = sum(a * b for a, b in zip(shown, shown[1:], strict=False))
    assert edges <= 3 * MAX_SHOWN**2 + 3 * MAX_SHOWN


def test_a_small_network_is_drawn_whole():
    layout = layout_network([4, 12, 8, 3], 900, 600)
    assert [len(c.shown) for c in layout.columns] == [4, 12, 8, 3]
    assert all(c.hidden_count == 0 for c in layout.columns)


def test_many_inputs_scroll_inside_the_prediction_panel(qtbot):
    from PySide6.QtWidgets import QScrollArea

    from playground.bench.scale import synthetic_dataset
    from playground.core.data.data_loaders import load_penguins
    from playground.ui.prediction.prediction_panel import PredictionPanel

    wide = PredictionPanel(synthetic_dataset(200))
    qtbot.addWidget(wide)
    assert wide.findChild(QScrollArea, "measurementsScroll") is not None
    assert wide.minimumSizeHint().height() < 700  # 32 inputs do not set the window's height
    penguins = PredictionPanel(load_penguins())
    qtbot.addWidget(penguins)
    assert penguins.findChild(QScrollArea, "measurementsScroll") is None


def test_neurons_are_shaded_by_their_values_and_only_changes_are_redone(qtbot):
    import numpy as np

    from playground.ui import theme
    from playground.ui.editor.network_view import NetworkView
    from playground.ui.editor.neuron_text import NeuronInfo

    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    names = ["a", "b", "c"]

    def info(standardized):
        return NeuronInfo([3, 2], names, ["", "", ""], ["x", "y"], [],
                          raw_input=np.zeros(3), standardized=np.array(standardized))

    view.set_info(info([0.5, -1.0, 0.0]))
    inputs, outputs = view._neurons
    base = theme.background()

    def colour(item):
        return item.brush().color().getRgb()

    expected = [theme.blend(base, theme.positive(), 0.5), theme.blend(base, theme.negative(), 1.0),
                base]
    assert [colour(i) for i in inputs] == [c.getRgb() for c in expected]
    assert all(colour(o) == base.getRgb() for o in outputs)  # no forward pass yet
    untouched = inputs[1].brush()
    view.info = info([0.25, -1.0, 0.0])  # only the first input's shade changes
    view.refresh()
    assert colour(inputs[0]) == theme.blend(base, theme.positive(), 0.25).getRgb()
    assert inputs[1].brush() == untouched and colour(inputs[2]) == base.getRgb()


def _penguin_info(hidden: list[int]):
    """What the editor shows for a random 4-…-3 network: the side labels carry their
    values and the class probabilities ("Chinstrap  38.7 %")."""
    import numpy as np

    from playground.core.network.forward import WeightSnapshot, forward_pass
    from playground.ui.editor.neuron_text import NeuronInfo

    widths = [4, *hidden, 3]
    rng = np.random.default_rng(0)
    snapshot = WeightSnapshot(tuple(rng.standard_normal((b, a)) for a, b in
                                    zip(widths, widths[1:], strict=False)),
                              tuple(np.zeros(b) for b in widths[1:]),
                              tuple("relu" for _ in hidden))
    standardized = np.zeros(4)
    return NeuronInfo(widths, ["Bill length (mm)", "Bill depth (mm)", "Flipper length (mm)",
                               "Body mass (g)"], ["mm", "mm", "mm", "g"],
                      ["Adelie", "Gentoo", "Chinstrap"], ["relu"] * len(hidden), snapshot,
                      np.array([39.1, 18.7, 181.0, 3750.0]), standardized,
                      forward_pass(snapshot, standardized))


@pytest.mark.parametrize("hidden", [[], [8], [16, 12, 8]])
def test_a_narrow_editor_shows_the_whole_network_and_its_cards(qtbot, hidden):
    """In a small window the drawing is scaled down to fit: every neuron and side label
    (with its value) is in view. The titles and layer cards above stay inside their
    strip, side by side, in more than one row when one is too narrow. At a comfortable
    width nothing is scaled."""
    from PySide6.QtCore import QRectF

    from playground.core.network.spec import LayerSpec, NetworkSpec
    from playground.ui.editor.network_editor import NetworkEditor

    spec = NetworkSpec(4, 3, tuple(LayerSpec(u, "relu") for u in hidden))
    editor = NetworkEditor()
    qtbot.addWidget(editor)
    editor.set_network(spec, _penguin_info(hidden))
    editor.show()
    for width, scaled in ((440, True), (1400, False)):
        editor.resize(width, 500)
        qtbot.waitUntil(lambda width=width: editor.view.viewport().width() >= width - 20)
        view = editor.view
        assert (view.scale_factor < 1) == scaled
        assert any("%" in item.text() for item in view._labels)  # probabilities shown
        seen = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
        for item in view.scene().items():
            box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            assert seen.contains(QRectF(box)), (width, type(item).__name__, box)
        assert_cards_apart(editor)


def assert_cards_apart(editor) -> None:
    """No two of the strip's titles and cards overlap, each is whole inside the strip,
    and the strip whole inside the editor."""
    strip = editor.strip
    widgets = [strip.titles[0], *strip.cards, strip.titles[1]]
    for i, a in enumerate(widgets):
        assert a.isVisible() and strip.rect().contains(a.geometry()), (i, a.geometry())
        for b in widgets[i + 1:]:
            assert not a.geometry().intersects(b.geometry()), (a.geometry(), b.geometry())
    assert editor.rect().contains(strip.geometry())
    assert strip.height() >= max(w.geometry().bottom() for w in widgets)


def test_cards_never_overlap_in_the_window_at_any_width(qtbot, window):  # noqa: F811
    """From 1000 px wide (the window's docks keep it a little wider), with 1 to 6 hidden
    layers added with Ctrl+L, every layer card and column title is whole and apart from
    the others."""
    from PySide6.QtCore import Qt

    editor = window.editor
    for width in (1000, 1150, 1280, 1400, 1600, 1920):
        window.resize(width, 900)
        while len(window.spec.hidden) > 1:
            editor.remove_layer()
        for n in range(1, 7):
            if n > 1:
                qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda n=n: len(editor.strip.cards) == n
                            and editor.strip.centres
                            and len(editor.strip.centres) == n + 2, timeout=10_000)
            qtbot.wait(10)  # the layout settles: the strip's height follows its rows
            # As wide as asked, or at 1000 the window's least width (docks included).
            assert window.width() == width if width > 1100 else window.width() <= 1100
            assert_cards_apart(editor)


def test_neurons_that_fit_when_shrunk_are_all_drawn():
    """Shrunk to fit the height, a column's slots fill it exactly and none is condensed
    (the shrink once left the gap out of the slot: 12 neurons in 400 px lost two)."""
    for height in (250, 300, 332, 400, 600):
        for widths, max_radius in (([2, 12, 2], 13.0), ([2, 8, 8, 2], 20.0)):
            lay = layout_network(widths, 700, height, max_radius=max_radius)
            tallest = max(widths)
            if tallest * (2 * 7.0 + 4.0) <= height - 32:  # room at the smallest size
                assert all(c.hidden_count == 0 for c in lay.columns), (height, widths)
            ys = lay.columns[1].ys
            assert all(b - a >= 2 * lay.radius for a, b in zip(ys, ys[1:], strict=False))
            assert lay.radius <= max_radius
    assert layout_network([2, 8, 2], 700, 900, max_radius=20.0).radius == 20.0


def test_a_new_window_keeps_the_size_it_asks_for_and_room_for_the_curves(window):  # noqa: F811
    """Laid out before it is shown, the card strip once counted rows for a placeholder
    width, and its least height grew the window past its own size (the curves squeezed
    to their least height)."""
    available = window.screen().availableGeometry()
    assert window.height() == min(860, int(available.height() * 0.92))
    assert window.docks["plots"].height() > window.docks["plots"].minimumSizeHint().height()
