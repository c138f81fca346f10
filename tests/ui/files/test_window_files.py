"""File and Export menus driven through the window, with the dialog seam faked."""

import csv

import numpy as np
from PySide6.QtCore import QThread
from support.window import open_window, train_to  # noqa: F401

from playground.cli import main
from playground.core.files.project import load_project
from playground.ui.files.project_file import autosave_path


def test_save_close_open_continue_equals_never_closing(qtbot, tmp_path, window):
    train_to(qtbot, window, 40)
    window.controls.batch_size.setValue(32)
    window.prediction.set_values(np.array([50.0, 15.0, 220.0, 5000.0]))
    path = tmp_path / "run.pgproj"
    window.dialogs.answers.append(str(path))
    window.actions["save"].trigger()
    assert path.exists() and not window.isWindowModified()
    assert window.windowTitle().startswith("run.pgproj")
    saved = window.capture_project()

    other = open_window(qtbot, tmp_path, "other.ini")
    assert other.project_file.open_path(path)
    qtbot.waitUntil(lambda: other.epoch == 40, timeout=10_000)
    reopened = other.capture_project()
    for key, value in saved.arrays.items():  # weights, optimizer state, RNG, curves
        np.testing.assert_array_equal(reopened.arrays[key], value, err_msg=key)
    np.testing.assert_array_equal(other.prediction.values(), window.prediction.values())
    assert other.controls.config() == window.controls.config()
    assert other.prediction.predicted.text() == window.prediction.predicted.text()
    assert len(other.plots.history) == 40

    train_to(qtbot, window, 70)
    train_to(qtbot, other, 70)
    np.testing.assert_array_equal(other.plots.history["val_loss"],
                                  window.plots.history["val_loss"])
    other.close()


def test_unsaved_changes_are_asked_about(qtbot, window):
    window.editor.add_layer()
    assert window.isWindowModified()
    window.dialogs.answers.append("Cancel")
    window.actions["new"].trigger()
    assert len(window.spec.hidden) == 2  # cancelled: nothing changed
    assert window.dialogs.calls[-1][0] == "ask"
    window.dialogs.answers.append("Discard")
    window.actions["new"].trigger()
    assert len(window.spec.hidden) == 1 and not window.isWindowModified()


def test_a_bad_file_leaves_the_work_untouched(qtbot, tmp_path, window):
    train_to(qtbot, window, 20)
    window.editor.add_layer()
    bad = tmp_path / "bad.pgproj"
    bad.write_bytes(b"\x80\x04not a project at all")
    assert not window.project_file.open_path(bad, confirmed=True)
    kind, title, text = window.dialogs.calls[-1]
    assert kind == "error" and "bad.pgproj" in text
    assert len(window.spec.hidden) == 2 and window.isWindowModified()


def test_a_failed_save_says_so_and_keeps_the_work(qtbot, tmp_path, window):
    window.editor.add_layer()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    window.dialogs.answers.append(str(blocker / "run.pgproj"))  # a folder that is a file
    assert not window.project_file.save_as()
    assert window.dialogs.calls[-1][0] == "error"
    assert window.isWindowModified() and len(window.spec.hidden) == 2


def test_autosave_and_recovery(qtbot, tmp_path, window):
    train_to(qtbot, window, 15)  # the pause autosaves
    assert autosave_path().exists()
    assert load_project(autosave_path()).epoch == 15
    other = open_window(qtbot, tmp_path, "other.ini")
    other.dialogs.answers.append("Recover")
    other.project_file.offer_recovery()
    qtbot.waitUntil(lambda: other.epoch == 15, timeout=30_000)
    assert other.isWindowModified() and not autosave_path().exists()
    other.close()


def test_open_recent(qtbot, tmp_path, window):
    path = tmp_path / "recent.pgproj"
    window.dialogs.answers.append(str(path))
    window.project_file.save_as()
    assert window.project_file.recent()[0] == str(path.resolve())
    window.fill_recent_menu()
    entries = [a for a in window.recent_menu.actions() if a.data()]
    assert entries and entries[0].data() == str(path.resolve())


def test_export_menu(qtbot, tmp_path, window):
    train_to(qtbot, window, 25)
    d = window.dialogs
    d.answers += [str(tmp_path / "m.onnx")]
    threads = []  # the ONNX export runs on a pool thread; its answer must come back here
    done = window.exports._done
    window.exports._done = lambda *a: (threads.append(QThread.currentThread()), done(*a))
    window.actions["export_onnx"].trigger()
    qtbot.waitUntil(lambda: not window.exports.background.busy(), timeout=60_000)
    assert (tmp_path / "m.onnx").stat().st_size > 0
    assert threads == [window.thread()]
    import onnxruntime

    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"))
    x = np.array([[39.1, 18.7, 181, 3750]], dtype=np.float32)
    p = session.run(None, {"features": x})[0][0]
    window.prediction.set_values(x[0].astype(np.float64))
    shown = [window.prediction.bars[c].value() / 1000 for c in window.dataset.class_names]
    np.testing.assert_allclose(p, shown, atol=1e-3)

    d.answers += [str(tmp_path / "w.safetensors"), str(tmp_path / "script"),
                  str(tmp_path / "c.png"), str(tmp_path / "c.svg"), str(tmp_path / "h.csv")]
    messages = []
    window.session.message.connect(lambda text, ms: messages.append(text))
    for key in ("export_weights", "export_script", "export_png", "export_svg",
                "export_history"):
        window.actions[key].trigger()
    # The script's rows are written on the background thread, as the ONNX model.
    qtbot.waitUntil(lambda: not window.exports.background.busy(), timeout=60_000)
    assert any("trained.pgproj" in m for m in messages)  # what the script writes back
    assert not [c for c in d.calls if c[0] == "error"]
    assert (tmp_path / "w.safetensors").exists() and (tmp_path / "w.json").exists()
    assert (tmp_path / "script" / "train.py").exists()
    assert (tmp_path / "script" / "data" / "train_x.npy").exists()  # the prepared rows
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "c.svg").read_bytes()[:2000]
    rows = list(csv.reader((tmp_path / "h.csv").open()))
    assert rows[0][0] == "epoch" and len(rows) == 26


def test_command_line_refuses_a_missing_project(capsys):
    assert main(["missing.pgproj"]) == 2
    assert "no such project file" in capsys.readouterr().err


def test_a_new_window_has_nothing_to_save(window):
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("Untitled")
