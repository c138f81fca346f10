"""Training ▸ Train variants…: the dialog plans, trains on the training thread with the
window live, overlays a curve per variant, tabulates them, and continues with one
(undoably) exactly where the variant stopped."""

import numpy as np
import pytest
import torch
from support.window import open_window, train_to

from playground.core.data.split import prepare
from playground.core.training.history import METRICS
from playground.core.training.trainer import Trainer
from playground.ui.variants.variants_window import open_variants

EPOCHS = 30


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    w.close()


def trained_dialog(qtbot, w, first=("lr", "0.01, 0.1"), second=("seed", "0..2")):
    w.controls.epochs.setValue(EPOCHS)
    w.actions["variants"].trigger()
    dialog = w.variants_window
    for row, (name, values) in enumerate((first, second)):
        combo = dialog.names[row]
        combo.setCurrentIndex(combo.findData(name))
        dialog.values[row].setText(values)
    dialog.train_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    return dialog


def test_the_count_follows_the_settings_and_names_mistakes(qtbot, window):
    dialog = open_variants(window)
    assert dialog.isVisible() and dialog.count.text().startswith("16 variants")
    dialog.values[1].setText("0..9")
    assert dialog.count.text().startswith("40 variants")
    dialog.values[1].setText("0..99")
    assert "more than 64" in dialog.count.text()
    assert not dialog.train_button.isEnabled()
    dialog.names[1].setCurrentIndex(dialog.names[1].findData(None))
    assert dialog.count.text().startswith("4 variants") and dialog.train_button.isEnabled()
    assert not dialog.values[1].isEnabled()


def test_variants_train_with_a_curve_and_a_row_each(qtbot, window):
    dialog = trained_dialog(qtbot, window)
    assert len(dialog.curves.curves) == 6 and dialog.table.rowCount() == 6
    labels = [dialog.table.item(r, 1).text() for r in range(6)]
    assert labels[0] == "lr=0.01 seed=0" and labels[-1] == "lr=0.1 seed=2"
    for history in dialog._histories:
        assert len(history) == EPOCHS
    # The legend names each variant's values; every curve has its path.
    legend = dialog.curves.plots["val_loss"].getPlotItem().legend
    assert [label.text for _, label in legend.items][:2] == ["lr=0.01 seed=0", "lr=0.01 seed=1"]
    assert all(not c["val_loss"].path().isEmpty() for c in dialog.curves.curves)
    # The table's figures are each variant's own, final and best.
    h = dialog._histories[4]
    assert dialog.table.item(4, 3).text() == f"{h['val_loss'][-1]:.4f}"
    assert dialog.table.item(4, 4).text() == f"{h['val_loss'].min():.4f}"
    assert dialog.table.item(4, 6).text() == f"{h['val_accuracy'].max():.3f}"
    assert "Trained 6 variants" in dialog.status.text()


def test_the_window_stays_live_while_variants_train(qtbot, window):
    """The variants train on the training thread: the GUI thread draws update after
    update while they run, and a stop ends them."""
    window.controls.epochs.setValue(100_000)
    dialog = open_variants(window)
    seen = []
    dialog._worker.updated.connect(lambda u: seen.append(u.running))
    dialog.train_button.click()
    qtbot.waitUntil(lambda: seen.count(True) >= 5, timeout=30_000)
    assert dialog.running and dialog.train_button.text() == "Stop"
    assert not dialog.names[0].isEnabled()
    dialog.train_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    lengths = {len(h) for h in dialog._histories}
    assert len(lengths) == 1 and 0 < lengths.pop() < 100_000  # whole epochs, all alike
    assert dialog.status.text() == "Stopped."


def test_continue_with_a_variant_is_an_undoable_switch_to_its_own_numbers(qtbot, window,
                                                                        penguins):
    w = window
    train_to(qtbot, w, 10)
    before = (w.generation, w.plots.history.arrays())
    dialog = trained_dialog(qtbot, w)
    dialog.table.select_variant(4)  # lr=0.1 seed=1
    assert dialog.continue_button.isEnabled() and dialog.curves.selected == 4
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: w.generation != before[0] and w.epoch == EPOCHS, timeout=10_000)
    assert w.undo_stack.undoText() == "Continue with variant lr=0.1 seed=1"
    assert w.controls.config().learning_rate == 0.1
    np.testing.assert_allclose(w.plots.history["val_loss"], dialog._histories[4]["val_loss"])
    # Training on gives what that variant alone would have given.
    train_to(qtbot, w, EPOCHS + 10)
    config = w.controls.config()
    alone = Trainer(prepare(penguins, config.val_fraction, config.seed), w.spec,
                    config.__class__(**{**config.to_dict(), "seed": 1}))
    alone.run(EPOCHS + 10)
    for m in METRICS:
        np.testing.assert_allclose(w.plots.history[m], alone.history[m], atol=1e-5, rtol=0)
    flat = np.concatenate([np.concatenate([wt.ravel(), b]) for wt, b in
                           zip(w.snapshot.weights, w.snapshot.biases, strict=True)])
    weights = torch.cat([p.detach().reshape(-1) for p in alone.model.parameters()]).numpy()
    np.testing.assert_allclose(flat, weights, atol=1e-5)
    # Undo brings back the network before, with its curves.
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: w.generation == before[0] and w.epoch == 10, timeout=10_000)
    np.testing.assert_array_equal(w.plots.history["val_loss"], before[1]["val_loss"])
    assert w.controls.config().learning_rate == 0.03


def test_the_lesson_on_seeds_speaks_of_the_last_variants(qtbot, window):
    from support.window import open_learn

    from playground.core.lessons import LESSONS

    panel = open_learn(qtbot, window)
    row = [lesson.key for lesson in LESSONS].index("variants")
    panel.list.setCurrentRow(row)
    assert "Open Training ▸ Train variants…" in panel.text.toPlainText()
    dialog = trained_dialog(qtbot, window)
    panel.list.setCurrentRow(0)
    panel.list.setCurrentRow(row)
    losses = sorted(h["val_loss"][-1] for h in dialog._histories)
    assert f"Your last 6 variants ended with validation losses from {losses[0]:.4f}" \
        in panel.text.toPlainText()
    qtbot.waitUntil(lambda: not panel.highlight.isVisible(), timeout=5_000)


def test_a_failure_is_shown_in_full_and_training_can_start_again(qtbot, window, monkeypatch):
    from playground.core.training import variant_trainer

    monkeypatch.setattr(variant_trainer, "MAX_BATCH_FLOATS", 10_000)
    window.controls.epochs.setValue(5)
    dialog = open_variants(window)
    dialog.train_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "is too big to train together" in dialog.count.text()
    assert dialog.train_button.isEnabled() and dialog.train_button.text() == "Train variants"
    monkeypatch.undo()
    dialog.train_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert all(len(h) == 5 for h in dialog._histories)


def test_variants_of_another_data_set_are_refused_by_name(qtbot, window):
    """Trained on penguins, then another data set opened: continuing with one of them
    says why it cannot, and the window's network stays as it was."""
    from playground.core.data.toy_data import make_toy

    dialog = trained_dialog(qtbot, window, second=("seed", "0..1"))
    window.use_dataset(make_toy("xor", 0.1))
    generation, spec = window.generation, window.spec
    dialog.table.select_variant(0)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: "another data set" in dialog.count.text(), timeout=10_000)
    assert window.generation == generation and window.spec == spec
    assert not window.undo_stack.canUndo()


def test_a_stop_before_the_training_thread_starts_the_variants_is_kept(qtbot, window):
    """Stop pressed while the start request still waits in the training thread's queue:
    the variants stop at once instead of training on unseen."""
    window.controls.epochs.setValue(100_000)
    dialog = open_variants(window)
    dialog.train_button.click()
    dialog.train_button.click()  # Stop, before the thread has taken the request
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert max((len(h) for h in dialog._histories), default=0) < 100_000


def test_regression_scores_below_zero_are_in_view(qtbot, window):
    from playground.core.training.history import History

    curves = open_variants(window).curves
    curves.set_task(True)
    curves.set_variants(["a", "b"])
    histories = [History(), History()]
    for h, score in zip(histories, (-0.45, 0.5), strict=True):
        h.extend(np.array([1.0, 2.0]), train_loss=np.array([1.0, 0.5]),
                 val_loss=np.array([1.0, 0.6]), train_accuracy=np.array([score, 0.6]),
                 val_accuracy=np.array([score, 0.6]))
    curves.redraw(histories, [None, None], every=True)
    low, high = curves.plots["val_accuracy"].getPlotItem().viewRange()[1]
    assert low <= -0.5 < high
