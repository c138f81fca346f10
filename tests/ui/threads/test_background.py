"""Long tasks on threads of their own: results, errors, cancelling, and closing the window."""

import gc
import threading
import time

import pytest
from import_files import shops
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QThread, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from playground.core.data.table_import import preview
from playground.ui.threads.background import Background, _kept, run_with_progress
from playground.ui.threads.import_worker import start_import


def until_cancelled(progress, cancelled):
    """Like an import: reports progress and stops between blocks once asked to."""
    while not cancelled():
        progress(0.5)
        time.sleep(0.01)
    return "stopped"


def test_the_result_comes_back_on_the_gui_thread(qtbot):
    background = Background()
    seen = []
    background.run(lambda: threading.current_thread().name,
                   lambda result, error: seen.append((result, error, QThread.currentThread())))
    qtbot.waitUntil(lambda: bool(seen) and not background.busy(), timeout=5000)
    result, error, thread = seen[0]
    assert error is None and result != threading.main_thread().name  # it ran elsewhere
    assert thread is QThread.currentThread()  # and was delivered here


def freed_in(worker) -> list[int]:
    """The thread in which the worker's C++ object will be destroyed, once it is."""
    threads: list[int] = []
    worker.destroyed.connect(lambda: threads.append(threading.get_ident()),
                             Qt.ConnectionType.DirectConnection)
    return threads


def test_a_worker_is_freed_on_the_gui_thread_never_its_own(qtbot, tmp_path):
    """Destroyed in its own thread, a worker can deadlock with the GUI thread (see
    background.py): every worker goes back to the GUI thread as its work ends."""
    background = Background()
    gate = threading.Event()
    task = background.run(lambda: gate.wait(5), lambda result, error: None)
    task_freed = freed_in(task)
    thread, worker = start_import(str(shops(tmp_path)), preview(shops(tmp_path)).default_plan(),
                                  background)
    worker_freed = freed_in(worker)
    gate.set()
    # Ended, and let go of where threads are kept until then (its slot may come later).
    qtbot.waitUntil(lambda: not background.busy() and not _kept().running, timeout=10_000)
    gui = QCoreApplication.instance().thread()
    assert task.thread() is gui and worker.thread() is gui  # both are still there, here
    del task, worker, thread
    gc.collect()
    assert task_freed == [threading.get_ident()] and worker_freed == [threading.get_ident()]


def test_an_error_is_handed_over_not_raised(qtbot):
    background = Background()
    seen = []

    def fail():
        raise OSError("disk full")

    background.run(fail, lambda result, error: seen.append((result, error)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0][0] is None and isinstance(seen[0][1], OSError)


def test_stop_cancels_and_waits_and_the_thread_goes(qtbot):
    background = Background()
    seen, shares = [], []
    task = background.run_job(until_cancelled, lambda r, e: seen.append(r), shares.append)
    qtbot.waitUntil(lambda: bool(shares), timeout=5000)  # running, and reporting
    threads = background.threads()
    assert background.stop(5000)
    assert all(t.isFinished() for t in threads)
    qtbot.waitUntil(lambda: seen == ["stopped"] and not background.busy(), timeout=5000)
    assert task is not None and shares[0] == 0.5


def test_waiting_for_a_result_keeps_the_window_painting(qtbot):
    """run_with_progress blocks its caller, not the GUI thread: timers still fire."""
    parent = QWidget()
    qtbot.addWidget(parent)
    background = Background()
    go = threading.Event()
    ticks = []

    def tick():
        ticks.append(1)
        go.set()  # the job waits for the GUI thread to have run this

    QTimer.singleShot(50, tick)
    result = run_with_progress(background, parent, "Reading…",
                               lambda progress, cancelled: go.wait(5) and "read")
    assert result == "read" and ticks == [1]
    qtbot.waitUntil(lambda: not background.busy(), timeout=5000)


def test_cancel_in_the_progress_dialog_stops_the_job(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    background = Background()

    def press_cancel():
        dialogs = parent.findChildren(QProgressDialog)
        if dialogs:
            dialogs[0].findChild(QPushButton).click()  # the person presses Cancel
        else:
            QTimer.singleShot(20, press_cancel)

    QTimer.singleShot(20, press_cancel)
    assert run_with_progress(background, parent, "Reading…", until_cancelled) == "stopped"


def test_an_error_of_the_job_is_raised_to_the_caller(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    def fail(progress, cancelled):
        raise ValueError("bad row 7")

    with pytest.raises(ValueError, match="bad row 7"):
        run_with_progress(Background(), parent, "Reading…", fail)


def test_closing_the_window_while_tasks_run_is_clean(qtbot, tmp_path):
    """An import in progress stops; an export in progress finishes writing first."""
    from fake_dialogs import FakeDialogs

    from playground.ui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.dialogs = FakeDialogs()
    qtbot.addWidget(window)
    window.show()
    background = window.session.background
    written = tmp_path / "model.bin"

    def export():
        time.sleep(0.3)
        written.write_bytes(b"weights")

    outcomes = []
    background.run(export, lambda r, e: outcomes.append(e))
    background.run_job(until_cancelled, lambda r, e: outcomes.append(r))
    threads = background.threads()
    assert len(threads) == 2
    window.close()
    assert written.read_bytes() == b"weights"  # the export was not cut short
    assert all(t.isFinished() for t in threads)  # and the import stopped
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=5000)  # both delivered, after all
    assert sorted(map(str, outcomes)) == ["None", "stopped"] and not background.busy()


def test_the_training_threads_workers_go_back_to_the_gui_thread_as_it_ends(qtbot, tmp_path):
    """The training and variants workers live on the training thread until the window
    closes; then they go back to the GUI thread, never deleted in the thread."""
    from shiboken6 import isValid
    from support.window import open_window

    from playground.ui.variants.variants_window import open_variants

    window = open_window(qtbot, tmp_path)
    workers = [window.controller._worker, open_variants(window)._worker]
    freed = [freed_in(worker) for worker in workers]
    training = window.controller.training_thread()
    assert all(worker.thread() is training for worker in workers)
    window.close()
    assert training.isFinished()
    gui = QCoreApplication.instance().thread()
    assert all(isValid(worker) and worker.thread() is gui for worker in workers)
    assert freed == [[], []]
