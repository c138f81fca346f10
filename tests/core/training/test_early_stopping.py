"""Early stopping: stop when the validation loss stops improving, keep the best weights."""

import math

import numpy as np
import pytest

from playground.cli import main
from playground.core.errors import SpecError
from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.early_stopping import BestSoFar, scan
from playground.core.training.trainer import Trainer

# An over-sized network with a large learning rate overfits the penguins quickly: its
# validation loss turns upward within a few hundred epochs.
OVERFIT = NetworkSpec(4, 3, (LayerSpec(64), LayerSpec(64)))


def test_scan_finds_the_stop_and_the_best_epoch():
    losses = np.array([1.0, 0.5, 0.6, 0.4, 0.45, 0.41, 0.42])  # epochs 1..7
    stop, best = scan(losses, 1, BestSoFar(), patience=3)
    assert stop == 6 and (best.loss, best.epoch) == (0.4, 4)  # epoch 7 = 4 + 3

    stop, best = scan(losses[:5], 1, BestSoFar(), patience=3)
    assert stop is None and (best.loss, best.epoch) == (0.4, 4)
    # ... and the next chunk carries on from there.
    stop, best = scan(losses[5:], 6, best, patience=3)
    assert stop == 1 and best.epoch == 4


def test_scan_counts_patience_across_chunks_from_an_earlier_best():
    stop, best = scan(np.array([0.9, 0.8]), 11, BestSoFar(0.5, 10), patience=2)
    assert stop == 1 and (best.loss, best.epoch) == (0.5, 10)


def test_patience_is_validated():
    with pytest.raises(SpecError, match="patience"):
        TrainingConfig(patience=-1)
    assert TrainingConfig.from_dict({}).patience == 0  # older project files: off


def overfit_trainer(data, patience, **config):
    return Trainer(data, OVERFIT, TrainingConfig(device="cpu", learning_rate=0.05,
                                                 patience=patience, **config))


def test_the_trainer_stops_at_best_plus_patience_with_the_best_weights(data):
    trainer = overfit_trainer(data, patience=20)
    stats = trainer.run(2_000)
    assert stats.stopped_early and trainer.epoch < 2_000
    val = trainer.history["val_loss"]
    best = int(np.argmin(val)) + 1
    assert trainer.epoch == best + 20  # exactly: later epochs of the chunk were undone
    assert trainer.restored_epoch == best
    assert f"epoch {best} " in stats.stopped_early
    # The model now holds epoch `best`'s weights: its validation loss is that epoch's.
    probs = trainer.predict_proba(data.val_x)
    loss = -np.mean(np.log(probs[np.arange(len(data.val_y)), data.val_y]))
    assert math.isclose(loss, val[best - 1], rel_tol=1e-4)


def test_stopping_does_not_depend_on_how_the_run_is_chunked(data):
    whole = overfit_trainer(data, patience=15)
    whole.run(2_000)
    pieces = overfit_trainer(data, patience=15)
    while pieces.epoch < 2_000:
        if pieces.run(7).stopped_early:
            break
    assert pieces.epoch == whole.epoch and pieces.restored_epoch == whole.restored_epoch
    a, b = whole.snapshot(), pieces.snapshot()
    for wa, wb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_allclose(wa, wb, atol=1e-6)


def test_off_by_default_and_training_on_after_a_stop_waits_patience_again(data):
    plain = overfit_trainer(data, patience=0)
    assert not plain.run(300).stopped_early and plain.epoch == 300

    trainer = overfit_trainer(data, patience=10)
    trainer.run(2_000)
    stopped = trainer.epoch
    more = trainer.run(5)
    assert not more.stopped_early and trainer.epoch == stopped + 5


def test_the_command_line_reports_the_restored_epoch(tmp_path, capsys):
    code = main(["train", "--hidden", "64,64", "--lr", "0.05", "--epochs", "3000",
                 "--patience", "20", "--json"])
    assert code == 0
    import json

    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["stopped_early"] and "restored" in out["stopped_early"]
    assert out["epochs"] < 3000


def test_a_default_network_trains_normally_with_patience(data):
    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cpu", patience=500))
    stats = trainer.run(300)
    assert not stats.stopped_early and stats.val_accuracy[-1] >= 0.95


def test_early_stopping_in_the_window_pauses_and_says_why(qtbot, tmp_path):
    from fake_dialogs import FakeDialogs
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QSpinBox
    from support.window import find, flat_out, set_spin, wait_paused

    from playground.ui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.dialogs = FakeDialogs()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=60_000)
    flat_out(window)
    set_spin(window, "epochLimitInput", 20_000)
    find(window, "patienceInput", QSpinBox).setValue(10)  # applies live
    window.toggle_training()
    # Not "wait until running, then paused": the stop can come before running is seen.
    qtbot.waitUntil(lambda: "Stopped early" in window.statusBar().currentMessage(),
                    timeout=60_000)
    wait_paused(qtbot, window)
    assert 0 < window.epoch < 20_000
    assert window.capture_project().config.patience == 10  # saved with the project
    window.project_file.mark_clean()
    window.close()
