"""Run comparison: the run list follows training, compares, overlays, saves and restores."""

import zipfile

import numpy as np
import pytest
from PySide6.QtCore import Qt
from safetensors.numpy import load as st_load
from support.projects import edited
from support.window import open_window, train_to

from playground.core.data.split import prepare
from playground.core.errors import ProjectError
from playground.core.files.project import (
    WEIGHTS,
    load_project,
    project_from_trainer,
    save_project,
)
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.history import METRICS
from playground.core.training.runs import CURVES, RunList
from playground.core.training.trainer import Trainer
from playground.ui.runs.runs_model import COLUMNS

WIDE = NetworkSpec(4, 3, (LayerSpec(12, "tanh"),))
DEEP = NetworkSpec(4, 3, (LayerSpec(6, "relu"), LayerSpec(5, "relu")))


# --- the Qt-free core and the file format -------------------------------------------------

def trained(penguins, spec, epochs, **config):
    config = TrainingConfig(**{"device": "cpu", **config})
    trainer = Trainer(prepare(penguins, config.val_fraction, config.seed), spec, config)
    trainer.run(epochs)
    return trainer


@pytest.fixture(scope="module")
def saved_with_runs(penguins, tmp_path_factory):
    """A project whose run list holds an earlier run (WIDE) and the current one (DEEP)."""
    first = trained(penguins, WIDE, 7, optimizer="sgd", learning_rate=0.1)
    current = trained(penguins, DEEP, 5)
    runs = RunList()
    runs.add(first.spec, first.config, first.history, generation=1)
    runs.add(current.spec, current.config, current.history, generation=2)
    project = project_from_trainer(current, penguins)
    project.runs = runs.to_saved(current_generation=2)
    path = tmp_path_factory.mktemp("runs") / "runs.pgproj"
    save_project(project, path)
    return path, first, current


def as_format_1(src, dst):
    """`src` as the playground wrote projects before run lists: no runs, format 1."""
    def format_1(meta):
        meta["format_version"] = 1
        del meta["runs"]

    def no_run_arrays(arrays):
        for key in [k for k in arrays if k.startswith("runs.")]:
            del arrays[key]

    return edited(src, dst, format_1, no_run_arrays)


def test_runs_round_trip_through_a_project_file(saved_with_runs):
    path, first, current = saved_with_runs
    project = load_project(path)
    assert [r.number for r in project.runs] == [1, 2]
    earlier, now = project.runs
    assert earlier.name == "Run 1: 4-12-3 tanh, sgd 0.1" and not earlier.current
    assert earlier.spec == WIDE and earlier.config == first.config
    for key in CURVES:
        want = first.history.epochs if key == "epochs" else first.history[key]
        np.testing.assert_array_equal(earlier.curves[key], want, err_msg=key)
    # The current run's curves are the project's own history, stored once.
    assert now.current and now.curves is None and now.spec == DEEP
    assert not any(k.startswith("runs.1.") for k in st_load(
        zipfile.ZipFile(path).read(WEIGHTS)))


def test_summaries_are_the_histories_last_and_best_values(saved_with_runs):
    _, first, _ = saved_with_runs
    runs = RunList()
    run = runs.add(first.spec, first.config, first.history)
    s = run.summary()
    h = first.history
    assert s.epochs == 7
    assert s.final_val_loss == h.last("val_loss") and s.final_val_accuracy == h.last(
        "val_accuracy")
    assert s.best_val_loss == float(h["val_loss"].min())
    assert s.best_val_accuracy == float(h["val_accuracy"].max())


def test_an_old_file_without_runs_opens(saved_with_runs, tmp_path):
    old = as_format_1(saved_with_runs[0], tmp_path / "old.pgproj")
    project = load_project(old)
    assert project.runs == () and project.spec == DEEP and project.epoch == 5


def _set(key, value):
    def edit(arrays):
        arrays[key] = value
    return edit


@pytest.mark.parametrize("damage, words", [
    (_set("runs.0.val_loss", np.zeros(7, np.int32)), "run 1's curve runs.0.val_loss"),
    (_set("runs.0.val_loss", np.zeros((7, 2), np.float32)), "run 1's curve runs.0.val_loss"),
    (_set("runs.0.val_loss", np.zeros(6, np.float32)), "run 1's curves have different"),
    (_set("runs.0.epochs", np.full(7, np.nan)), "run 1's epoch numbers"),
    (lambda arrays: arrays.pop("runs.0.train_accuracy"), "runs.0.train_accuracy is missing"),
    (_set("runs.5.epochs", np.arange(3.0)), "unexpected tensor 'runs.5.epochs'"),
])
def test_a_damaged_runs_array_is_refused_clearly(saved_with_runs, tmp_path, damage, words):
    bad = edited(saved_with_runs[0], tmp_path / "bad.pgproj", edit_arrays=damage)
    with pytest.raises(ProjectError, match=words.replace("(", r"\(").replace(".", r"\.")):
        load_project(bad)


@pytest.mark.parametrize("damage, words", [
    (lambda m: m["runs"][0].update(network={"n_inputs": 5, "n_outputs": 3, "hidden": []}),
     "5 inputs"),
    (lambda m: m["runs"][1].update(number=1), "two runs are numbered 1"),
    (lambda m: m["runs"][0].update(current=True), "more than one run is marked current"),
    (lambda m: m["runs"][0].update(name=["x"]), "name must be one line"),
    (lambda m: m["runs"][0].pop("config"), "must hold exactly"),
    (lambda m: m["runs"][0]["config"].update(learning_rate=-1), "learning_rate"),
    (lambda m: m.update(runs={"0": {}}), "runs must be a list"),
])
def test_a_damaged_run_entry_is_refused_clearly(saved_with_runs, tmp_path, damage, words):
    bad = edited(saved_with_runs[0], tmp_path / "bad.pgproj", edit_json=damage)
    with pytest.raises(ProjectError, match=words):
        load_project(bad)


# --- the window ------------------------------------------------------------------------------



def runs_view(w):
    w.docks["runsDock"].show()
    view = w.insights.view("runsDock")
    view.refresh()
    return view


def cell(view, number, column):
    return view.model.index(view.model.row_of(number), column)


@pytest.fixture
def two_runs(qtbot, tmp_path):
    """Run 1: the default network at learning rate 0.03, 30 epochs; run 2: one more layer
    at learning rate 0.01, 20 epochs."""
    w = open_window(qtbot, tmp_path)
    train_to(qtbot, w, 30)
    first = w.plots.history.arrays(), w.snapshot
    w.editor.add_layer()
    qtbot.waitUntil(lambda: w.epoch == 0 and len(w.snapshot.weights) == 3, timeout=10_000)
    w.controls.learning_rate.setValue(0.01)
    train_to(qtbot, w, 20)
    yield w, first
    w.close()


def test_two_runs_appear_with_their_final_metrics(qtbot, two_runs):
    w, (first, _) = two_runs
    view = runs_view(w)
    assert w.docks["runsDock"].windowTitle() == "Runs" and view.objectName() == "runList"
    assert view.model.rowCount() == 2
    one, two = w.runs.runs
    assert one.name == "Run 1: 4-8-3 relu, adam 0.03" and len(one.spec.hidden) == 1
    assert two.name.startswith("Run 2: 4-8-") and two.name.endswith("adam 0.01")
    assert len(two.spec.hidden) == 2 and two.config.learning_rate == 0.01
    for key in ("epochs", *METRICS):  # run 1 kept its curves when run 2 started
        np.testing.assert_array_equal(one.history.arrays()[key], first[key], err_msg=key)
    for run, history in ((one, one.history), (two, w.plots.history)):
        text = [view.model.data(cell(view, run.number, c)) for c in range(7)]
        assert text[:2] == [str(run.number), run.name.split(": ")[1]]
        assert text[2] == f"{int(history.epochs[-1]):,}"
        assert text[3] == f"{history['val_loss'][-1]:.4f}"
        assert text[4] == f"{history['val_loss'].min():.4f}"
        assert text[5] == f"{100 * history['val_accuracy'][-1]:.1f} %"
        assert text[6] == f"{100 * history['val_accuracy'].max():.1f} %"
    assert view.model.data(cell(view, 1, 2)) == "30" and view.model.data(cell(view, 2, 2)) == "20"
    # Sorting by the final validation loss puts the lower one first.
    view.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    losses = [view.proxy.data(view.proxy.index(r, 3), view.proxy.sortRole())
              for r in range(2)]
    assert losses == sorted(losses)


def test_the_periodic_refresh_announces_only_rows_that_changed(qtbot, two_runs):
    w, _ = two_runs
    view = runs_view(w)
    announced = []
    view.model.dataChanged.connect(lambda top, bottom: announced.append(
        (top.row(), bottom.row(), bottom.column())))
    view.show_state(None)  # nothing trained since the last refresh
    assert announced == []
    # Run 2, the current one, grows by an epoch (directly: the views' own timer would
    # otherwise refresh it first while training).
    w.runs.current().history.extend(np.array([21]), **{m: np.array([0.5], np.float32)
                                                       for m in METRICS})
    view.show_state(None)
    row = view.model.row_of(2)
    assert announced == [(row, row, len(COLUMNS) - 1)]
    assert cell(view, 2, 2).data() == "21"  # its epochs
    announced.clear()
    view.refresh()  # a change of the list itself (restore, rename): every row
    assert len(announced) == 2


def test_overlay_draws_exactly_that_runs_curve(qtbot, two_runs):
    w, (first, _) = two_runs
    view = runs_view(w)
    assert view.model.setData(cell(view, 1, 0), Qt.CheckState.Checked.value,
                              Qt.ItemDataRole.CheckStateRole)
    assert w.runs.overlaid == {1}
    for metric in ("val_loss", "val_accuracy"):
        x, y = w.plots.overlays.points(1, metric)
        np.testing.assert_array_equal(x, first["epochs"])
        np.testing.assert_array_equal(y, first[metric])
        path = w.plots.overlays._overlays[1].items[metric].path()
        drawn = np.array([(path.elementAt(i).x, path.elementAt(i).y)
                          for i in range(path.elementCount())])
        np.testing.assert_allclose(drawn[:, 0], first["epochs"])
        np.testing.assert_allclose(drawn[:, 1], first[metric], rtol=1e-6)
    assert w.plots.loss_plot.getPlotItem().legend.getLabel(
        w.plots.overlays._overlays[1].items["val_loss"]).text == "Run 1"
    # The axes make room for the overlaid run (30 epochs) though the live one has 20.
    assert w.plots.loss_plot.getPlotItem().vb.viewRange()[0][1] >= 30
    view.model.setData(cell(view, 1, 0), Qt.CheckState.Unchecked.value,
                       Qt.ItemDataRole.CheckStateRole)
    assert w.runs.overlaid == set() and w.plots.overlays.keys() == []
    assert len(w.plots.loss_plot.getPlotItem().legend.items) == 2  # its entry went too


def test_restore_brings_back_the_network_settings_and_weights(qtbot, two_runs):
    w, (first, trained_snapshot) = two_runs
    view = runs_view(w)
    view.select(1)
    view.restore_button.click()
    qtbot.waitUntil(lambda: w.epoch == 30, timeout=10_000)
    assert len(w.spec.hidden) == 1 and w.editor.spec == list(w.runs.runs)[0].spec
    assert w.controls.config().learning_rate == 0.03
    for a, b in zip(w.snapshot.weights, trained_snapshot.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert "with its trained weights" in view.message.text()
    # Training on continues run 1; no new run appears.
    train_to(qtbot, w, 35)
    assert [r.number for r in w.runs.runs] == [1, 2]
    assert list(w.runs.runs)[0].summary().epochs == 35
    # Undo goes back to run 2's network and settings.
    w.actions["undo"].trigger()
    qtbot.waitUntil(lambda: w.epoch == 20, timeout=10_000)
    assert len(w.spec.hidden) == 2 and w.controls.config().learning_rate == 0.01


def test_delete_removes_a_run_and_undo_brings_it_back(qtbot, two_runs):
    w, _ = two_runs
    view = runs_view(w)
    view.model.setData(cell(view, 1, 0), Qt.CheckState.Checked.value,
                       Qt.ItemDataRole.CheckStateRole)
    view.select(1)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert [r.number for r in w.runs.runs] == [2] and view.model.rowCount() == 1
    assert w.plots.overlays.keys() == []  # its overlay went with it
    w.actions["undo"].trigger()
    assert [r.number for r in w.runs.runs] == [1, 2] and view.model.rowCount() == 2


def test_save_and_open_keeps_the_runs_and_restores_without_weights(qtbot, tmp_path, two_runs):
    w, (first, _) = two_runs
    path = tmp_path / "runs.pgproj"
    w.dialogs.answers.append(str(path))
    w.actions["save"].trigger()
    assert path.exists()

    other = open_window(qtbot, tmp_path, "other.ini")
    assert other.project_file.open_path(path)
    qtbot.waitUntil(lambda: other.epoch == 20, timeout=10_000)
    assert [(r.number, r.name, r.spec, r.config) for r in other.runs.runs] == \
        [(r.number, r.name, r.spec, r.config) for r in w.runs.runs]
    for a, b in zip(other.runs.runs, w.runs.runs, strict=True):
        for key in ("epochs", *METRICS):
            np.testing.assert_array_equal(a.history.arrays()[key], b.history.arrays()[key])
    # The saved current run is current again, and goes on with training.
    assert other.runs.current().number == 2
    train_to(qtbot, other, 25)
    assert list(other.runs.runs)[1].summary().epochs == 25 and len(other.runs.runs) == 2

    # Run 1's weights were never in the file: its network and settings come back untrained.
    view = runs_view(other)
    view.select(1)
    view.restore_selected()
    qtbot.waitUntil(lambda: other.epoch == 0 and len(other.snapshot.weights) == 2,
                    timeout=10_000)
    assert other.editor.spec == list(w.runs.runs)[0].spec
    assert other.controls.config().learning_rate == 0.03
    assert "untrained" in view.message.text()
    assert "untrained" in other.statusBar().currentMessage()
    other.close()


def test_an_old_project_opens_and_its_curves_become_run_1(qtbot, tmp_path, two_runs):
    w, _ = two_runs
    path = tmp_path / "new.pgproj"
    save_project(w.capture_project(), path)

    old = as_format_1(path, tmp_path / "old.pgproj")
    assert w.project_file.open_path(old, confirmed=True)
    qtbot.waitUntil(lambda: w.epoch == 20 and len(w.runs.runs) == 1, timeout=10_000)
    (run,) = w.runs.runs
    assert run.name.startswith("Run 1: ") and run.summary().epochs == 20


def test_a_damaged_runs_array_is_refused_by_the_window(qtbot, tmp_path, two_runs):
    w, _ = two_runs
    path = tmp_path / "good.pgproj"
    save_project(w.capture_project(), path)
    bad = edited(path, tmp_path / "bad.pgproj",
                 edit_arrays=_set("runs.0.val_loss", np.zeros(3, np.float32)))
    assert not w.project_file.open_path(bad, confirmed=True)
    kind, _, text = w.dialogs.calls[-1]
    assert kind == "error" and "run 1's curves have different" in text
    assert [r.number for r in w.runs.runs] == [1, 2]  # nothing changed
