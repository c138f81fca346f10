"""Shared test set-up: Qt runs offscreen and never touches the user's files."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Before Qt starts: keep QSettings and data folders away from the real ones.
_sandbox = tempfile.mkdtemp(prefix="playground-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_sandbox, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_sandbox, "data")
os.environ["XDG_CACHE_HOME"] = os.path.join(_sandbox, "cache")

import importlib.util  # noqa: E402

import pytest  # noqa: E402

# The engine's tests also run where Qt is not installed (a GPU machine: tests/test_cuda.py).
HAS_QT = importlib.util.find_spec("PySide6") is not None

if HAS_QT:  # the window, opened offscreen, for every test that asks for `window`
    from support.window import window  # noqa: E402, F401


@pytest.fixture(scope="session")
def penguins():
    from playground.core.data.data_loaders import load_penguins

    return load_penguins()


@pytest.fixture(scope="session")
def data(penguins):
    """The default split: 20 % validation, seed 0."""
    from playground.core.data.split import prepare

    return prepare(penguins, 0.2, 0)


@pytest.fixture(scope="session", autouse=True)
def _qt_test_mode():
    if not HAS_QT:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("NeuralNetworkPlaygroundTests")
    QCoreApplication.setApplicationName("playground-tests")
    yield


@pytest.fixture(autouse=True)
def _no_real_dialogs(monkeypatch):
    """A test that forgets to fake the dialog seam fails at once instead of hanging CI."""
    if not HAS_QT:
        return
    from playground.ui.files import dialogs

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a real dialog was opened: {args[:2]}")

    for name in ("inform", "error", "about", "ask", "number", "open_file", "save_file",
                 "choose_folder"):
        monkeypatch.setattr(dialogs.Dialogs, name, refuse)


@pytest.fixture(autouse=True)
def _no_leaked_threads_or_timers(request):
    """Fail a test that leaves a training thread or a window timer running (as napari)."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    import gc

    gc.collect()  # this test's windows go now, on the GUI thread (see main_thread_gc.py)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.ui.training.training_controller import TrainingController

    alive = [c for c in list(TrainingController.instances) if c.is_alive()]
    for c in alive:
        c.shutdown()
    assert not alive, "a test left a training thread running"
    app = QApplication.instance()
    timers = [t for w in app.topLevelWidgets() if w.isVisible()
              for t in w.findChildren(QTimer) if t.isActive()]
    assert not timers, f"a test left {len(timers)} timer(s) running"
