"""Drive the real window the way a person does (offscreen, pytest-qt)."""

import math
import time

import numpy as np
import pytest
from fake_dialogs import FakeDialogs
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDoubleSpinBox,
    QGraphicsItem,
    QLabel,
    QProgressBar,
    QSlider,
    QSpinBox,
)
from support.window import find, flat_out, set_spin, wait_paused  # noqa: F401

from playground.ui.main_window import MainWindow

CONTRACT = ["networkEditor", "addLayerButton", "removeLayerButton", "trainButton",
            "stepButton", "resetButton", "optimizerInput", "learningRateInput",
            "batchSizeInput", "epochLimitInput", "speedInput", "lossPlot", "predictionPanel",
            "featureInput:bill_length_mm", "featureInput:bill_depth_mm",
            "featureInput:flipper_length_mm", "featureInput:body_mass_g", "predictedLabel",
            "probability:Adelie", "probability:Gentoo", "probability:Chinstrap", "epochLabel"]


def layers(w):
    """Linear layers in the latest snapshot (0 until the new network has reported)."""
    return len(w.snapshot.weights) if w.snapshot is not None else 0


def test_contract_widget_names(window):
    assert window.objectName() == "mainWindow"
    for name in CONTRACT:
        find(window, name)


def test_build_a_network_train_and_predict(qtbot, window):
    before = [find(window, f"probability:{c}", QProgressBar).value()
              for c in ("Adelie", "Gentoo", "Chinstrap")]
    qtbot.mouseClick(find(window, "addLayerButton", QAbstractButton), Qt.MouseButton.LeftButton)
    assert len(window.spec.hidden) == 2
    qtbot.mouseClick(find(window, "widenLayer:1", QAbstractButton), Qt.MouseButton.LeftButton)
    assert window.spec.hidden[1].units == 9
    qtbot.waitUntil(lambda: window.snapshot is not None
                    and window.snapshot.weights[1].shape == (9, 8), timeout=10_000)
    flat_out(window)
    set_spin(window, "epochLimitInput", 2000)
    qtbot.mouseClick(find(window, "trainButton", QAbstractButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.plots.history) > 0
                    and window.plots.history.last("val_accuracy") >= 0.95, timeout=30_000)
    qtbot.mouseClick(find(window, "trainButton", QAbstractButton), Qt.MouseButton.LeftButton)
    wait_paused(qtbot, window)
    x, y = window.plots.drawn["val_loss"]
    assert len(x) == len(window.plots.history) > 10
    np.testing.assert_array_equal(y, window.plots.history["val_loss"])
    assert not window.plots.curves["val_loss"].path().isEmpty()
    after = [find(window, f"probability:{c}", QProgressBar).value()
             for c in ("Adelie", "Gentoo", "Chinstrap")]
    assert after != before
    # The default penguin (39.1, 18.7, 181, 3750) is an Adelie from the data set.
    assert find(window, "predictedLabel", QLabel).text() == "Adelie"
    assert "epoch" in find(window, "epochLabel", QLabel).text()


def test_pause_step_and_reset(qtbot, window):
    speed = find(window, "speedInput", QSlider)
    speed.setValue(3)  # 10 epochs a second: slow enough to pause mid-run
    window.toggle_training()
    qtbot.waitUntil(lambda: window.epoch >= 3, timeout=10_000)
    window.toggle_training()
    wait_paused(qtbot, window)
    paused_at = window.epoch
    qtbot.wait(300)
    assert window.epoch == paused_at  # paused means paused
    qtbot.mouseClick(find(window, "stepButton", QAbstractButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.epoch == paused_at + 1, timeout=5_000)
    assert len(window.plots.history) == paused_at + 1
    trained = window.snapshot
    qtbot.mouseClick(find(window, "resetButton", QAbstractButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.snapshot is not None and window.epoch == 0, timeout=5_000)
    assert len(window.plots.history) == 0
    # Reset is undoable: the trained network comes back with its curves.
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: window.epoch == paused_at + 1, timeout=5_000)
    np.testing.assert_array_equal(window.snapshot.weights[0], trained.weights[0])
    assert len(window.plots.history) == paused_at + 1


def test_undo_architecture_edit_restores_trained_weights(qtbot, window):
    flat_out(window)
    window.toggle_training()
    qtbot.waitUntil(lambda: not window.controller.running and window.epoch == 300,
                    timeout=30_000)
    trained = window.snapshot
    window.editor.add_layer()
    qtbot.waitUntil(lambda: window.epoch == 0 and layers(window) == 3,
                    timeout=5_000)
    assert window.undo_stack.undoText().startswith("Add hidden layer")
    window.actions["undo"].trigger()
    # The trained weights show at once; the epoch comes with the training thread's update.
    qtbot.waitUntil(lambda: layers(window) == 2 and window.epoch == 300, timeout=5_000)
    assert len(window.spec.hidden) == 1
    for a, b in zip(window.snapshot.weights, trained.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    window.actions["redo"].trigger()
    qtbot.waitUntil(lambda: layers(window) == 3, timeout=5_000)
    assert len(window.spec.hidden) == 2


def test_edges_and_tooltips_show_the_snapshot(qtbot, window):
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=5_000)
    edges = window.editor.view._edges
    snap = window.snapshot
    for k, (gap, to, frm) in enumerate(edges.index):
        assert edges.weights[k] == pytest.approx(float(snap.weights[gap][to, frm]))
    # Thicker lines for larger weights: the strongest connection is in the top bucket.
    strongest = int(np.abs(edges.weights).argmax())
    x0, y0, x1, y1 = edges.segments[strongest]
    path = edges._items[(bool(edges.weights[strongest] >= 0), 6)].path()
    points = {(round(path.elementAt(i).x, 3), round(path.elementAt(i).y, 3))
              for i in range(path.elementCount())}
    assert (round(x0, 3), round(y0, 3)) in points and (round(x1, 3), round(y1, 3)) in points
    # Hovering: the first hidden neuron shows its bias and activation ...
    view = window.editor.view
    column = view.layout.columns[1]
    at = view.mapFromScene(QPointF(column.x, column.ys[0]))
    text = view.tooltip_at(at)
    assert f"{snap.biases[0][0]:+.4f}" in text and "relu(z)" in text
    z = snap.weights[0][0] @ view.info.standardized + snap.biases[0][0]
    assert f"{z:+.4f}" in text
    # ... and a connection under the mouse shows its weight (lines cross, so ask which).
    point = view.mapFromScene(QPointF((x0 + x1) / 2, (y0 + y1) / 2))  # whole pixels
    under = edges.nearest(view.mapToScene(point))
    assert under is not None
    gap, to, frm = edges.index[under]
    text = view.tooltip_at(point)
    assert text.startswith(f"weight {float(snap.weights[gap][to, frm]):+.4f}")


def test_wide_layer_is_condensed(qtbot, window):
    units = find(window, "unitsInput:0", QSpinBox)
    units.setValue(512)
    qtbot.waitUntil(lambda: window.spec.hidden[0].units == 512, timeout=5_000)
    column = window.editor.view.layout.columns[1]
    assert column.hidden_count > 0 and len(column.shown) + column.hidden_count == 512
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=10_000)


def test_space_trains_unless_a_focused_button_wants_it(qtbot, window):
    window.editor.view.setFocus()
    qtbot.keyClick(window.editor.view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.running, timeout=5_000)
    qtbot.keyClick(window.editor.view, Qt.Key.Key_Space)
    wait_paused(qtbot, window)
    # Space on a focused button presses that button instead.
    button = find(window, "randomSampleButton", QAbstractButton)
    button.setFocus()
    with qtbot.waitSignal(button.clicked, timeout=2_000):
        qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.wait(200)
    assert not window.controller.running
    assert "True species" in find(window, "trueLabel", QLabel).text()


def test_prediction_panel_flags_out_of_range_values(qtbot, window):
    flipper = find(window, "featureInput:flipper_length_mm", QDoubleSpinBox)
    flipper.setValue(19.2)
    flag = find(window, "rangeWarning:flipper_length_mm", QLabel)
    assert flag.isVisibleTo(window) and "172" in flag.text()
    assert not find(window, "rangeWarning:bill_length_mm", QLabel).isVisibleTo(window)
    flipper.setValue(200)
    assert not flag.isVisibleTo(window)


def test_live_settings_reach_the_trainer(qtbot, window):
    speed = find(window, "speedInput", QSlider)
    speed.setValue(4)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.epoch >= 2, timeout=10_000)
    find(window, "learningRateInput", QDoubleSpinBox).setValue(0.005)
    set_spin(window, "batchSizeInput", 32)
    find(window, "optimizerInput").setCurrentIndex(1)  # momentum
    qtbot.waitUntil(lambda: window.controller._worker._trainer.config.batch_size == 32,
                    timeout=10_000)
    window.toggle_training()
    wait_paused(qtbot, window)
    config = window.controller._worker._trainer.config
    assert (config.learning_rate, config.batch_size, config.optimizer) == (0.005, 32,
                                                                           "momentum")


def test_divergence_pauses_with_a_message(qtbot, window):
    for _ in range(3):
        window.editor.add_layer()
    for i in range(4):
        find(window, f"unitsInput:{i}", QSpinBox).setValue(64)
    find(window, "optimizerInput").setCurrentIndex(0)  # plain sgd
    find(window, "learningRateInput", QDoubleSpinBox).setValue(10.0)
    flat_out(window)
    qtbot.waitUntil(lambda: layers(window) == 5, timeout=10_000)
    window.toggle_training()
    qtbot.waitUntil(lambda: window.banner.isVisibleTo(window), timeout=30_000)
    wait_paused(qtbot, window)
    assert "diverged at epoch" in window.banner.text()
    assert all(np.isfinite(w).all() for w in window.snapshot.weights)


def test_close_while_training_stops_the_thread_quickly(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w.dialogs = FakeDialogs()
    w.show()
    qtbot.waitUntil(lambda: w.snapshot is not None, timeout=60_000)
    flat_out(w)
    set_spin(w, "epochLimitInput", 10_000_000)
    w.toggle_training()
    qtbot.waitUntil(lambda: w.epoch > 50, timeout=10_000)
    start = time.perf_counter()
    w.close()
    assert time.perf_counter() - start < 1.0
    assert not w.controller.is_alive()


def test_layout_persists_between_runs(qtbot, tmp_path):
    path = str(tmp_path / "layout.ini")
    w = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    w.dialogs = FakeDialogs()
    w.show()
    w.docks["plots"].hide()
    w.close()
    w2 = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    w2.dialogs = FakeDialogs()
    qtbot.addWidget(w2)
    w2.show()
    assert not w2.docks["plots"].isVisible()
    assert w2.docks["prediction"].isVisible()
    w2.close()


def test_speed_control_ends_at_flat_out(window):
    speed = find(window, "speedInput", QSlider)
    speed.setValue(speed.maximum())
    assert math.isinf(window.toolbar.epochs_per_second())
    assert window.toolbar.speed_label.text() == "flat out"


class _LeftClick:
    """The parts of a pyqtgraph mouse click a legend sample reads."""

    def button(self):
        return Qt.MouseButton.LeftButton

    def accept(self):
        pass


def test_no_python_runs_for_the_main_window_s_repaints(window):
    """A paintEvent override would be an entry into Python (the GIL, taken from the
    training thread) for every repaint; the first network waits for the first frame
    through a filter on the native window that removes itself."""
    from playground.ui import first_paint
    from playground.ui.main_window import MainWindow

    assert "paintEvent" not in vars(MainWindow)
    assert window.snapshot is not None  # built after the first frame
    assert not window.windowHandle().findChildren(first_paint._FirstExpose)


def test_plots_paint_without_python_and_keep_their_transform_current(qtbot, window):
    """Qt paints the plots itself (no Python paintEvent, so no GIL while painting); the
    view boxes then apply a new range or size at once, not before a paint."""
    from PySide6.QtWidgets import QGraphicsView

    from playground.ui.plots.plot_view import PlotView

    assert PlotView.paintEvent is QGraphicsView.paintEvent
    for widget in (window.plots.loss_plot, window.plots.accuracy_plot):
        vb = widget.getPlotItem().vb
        widget.setXRange(0, 100, padding=0)  # accuracy follows loss: linked x axes
        widget.setYRange(0, 2, padding=0)
        m = vb.childGroup.transform()  # read directly: mapToView would update it first
        assert m.m11() == pytest.approx(vb.rect().width() / 100)
        assert m.m22() == pytest.approx(-vb.rect().height() / 2)
        width = vb.rect().width()
        window.resize(window.width() + 120, window.height())
        qtbot.waitUntil(lambda vb=vb, width=width: vb.rect().width() != width, timeout=5_000)
        assert vb.childGroup.transform().m11() == pytest.approx(vb.rect().width() / 100)


def test_the_hover_readout_reads_the_plot_under_the_mouse(window):
    plots = window.plots
    plots.history.extend(np.arange(1, 101), **{name: np.linspace(1.0, 0.5, 100,
                                                                 dtype=np.float32)
                                              for name in plots.curves})
    plots.redraw()
    plots.accuracy_plot.setXRange(0, 200, padding=0)  # linked: the loss plot follows
    for widget in (plots.loss_plot, plots.accuracy_plot):
        vb = widget.getPlotItem().vb
        pos = vb.mapViewToScene(QPointF(39.5, 0.5))  # the next epoch at or after it
        widget.scene().sigMouseMoved.emit(pos)
        assert plots.readout.text().startswith("epoch 40:"), widget.objectName()
    plots.readout.clear()
    outside = plots.accuracy_plot.getPlotItem().vb.sceneBoundingRect().topLeft() - \
        QPointF(5, 5)  # on the axis, not in the view box
    plots.accuracy_plot.scene().sigMouseMoved.emit(outside)
    assert plots.readout.text() == ""


def test_legend_hides_its_curve_and_a_right_click_offers_the_exports(window):
    plots = window.plots
    legend = plots.loss_plot.getPlotItem().legend
    names = [label.text for _sample, label in legend.items]
    assert names == ["training", "validation"]
    sample, _label = legend.items[1]
    assert "validation" in sample.toolTip()
    curve = plots.curves["val_loss"]
    assert curve.isVisible()
    (line,) = sample.childItems()  # the crossed-out eye is made when first needed
    assert line.pen() == curve.pen() and line.isVisible()
    sample.mouseClickEvent(_LeftClick())
    assert not curve.isVisible() and plots.curves["train_loss"].isVisible()
    line, eye = sample.childItems()
    assert not line.isVisible() and eye.isVisible()  # the crossed-out eye
    sample.mouseClickEvent(_LeftClick())
    assert curve.isVisible() and line.isVisible() and not eye.isVisible()
    # A new point dirties the curve's own data rectangle only, so the axes, title and
    # legend are not repainted (nor their Python paint methods called) every frame.
    epochs = np.arange(1, 6)
    plots.history.extend(epochs, **{name: np.linspace(1.0, 0.5, 5, dtype=np.float32)
                                    for name in plots.curves})
    plots.redraw()
    for name, curve in plots.curves.items():
        assert curve.boundingRect() == QRectF(1, 0.5, 4, 0.5), name
    plot = plots.loss_plot.getPlotItem()
    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert plot.getAxis("left").cacheMode() == cached
    # Items that draw nothing themselves are skipped by Qt's painting (no Python calls).
    empty = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    for item in (plot, plot.vb, legend, plot.titleLabel, _label, sample):
        assert item.flags() & empty, item
    assert not plot.getAxis("left").flags() & empty
    # pyqtgraph's own menu (ranges, transforms) would fight the plots' own axes.
    assert plots.loss_plot.getPlotItem().vb.menu is None
    assert plots.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in plots.actions()] == ["Plots as PNG…", "Plots as SVG…",
                                                  "History as CSV…"]


def test_settings_changed_just_before_an_edit_reach_the_new_network(qtbot, window):
    find(window, "learningRateInput", QDoubleSpinBox).setValue(0.002)
    find(window, "optimizerInput").setCurrentIndex(4)  # rmsprop
    window.editor.add_layer()  # a new network is built at once, from the same settings
    window.step_epoch()
    qtbot.waitUntil(lambda: window.epoch == 1 and layers(window) == 3, timeout=10_000)
    config = window.controller._worker._trainer.config
    assert (config.learning_rate, config.optimizer) == (0.002, "rmsprop")
    window.actions["undo"].trigger()  # the earlier network also follows the live settings
    window.step_epoch()
    qtbot.waitUntil(lambda: layers(window) == 2 and window.epoch == 1, timeout=10_000)
    config = window.controller._worker._trainer.config
    assert (config.learning_rate, config.optimizer) == (0.002, "rmsprop")
