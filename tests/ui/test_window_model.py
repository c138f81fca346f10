"""The window model: the session's signals, and no module reaching into the window."""

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from playground.core.data.toy_data import make_toy
from playground.core.network.spec import default_spec
from playground.core.training.config import TrainingConfig
from playground.ui.session import Session

PACKAGE = Path(__file__).resolve().parents[2] / "playground"
WINDOW = PACKAGE / "ui" / "main_window.py"


def _window_privates() -> set[str]:
    """The names MainWindow keeps to itself: its `_` methods and `self._` attributes."""
    tree = ast.parse(WINDOW.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    names = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and \
                isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def private_window_accesses(source: str, privates: set[str]) -> list[str]:
    """`x._name` where `_name` is one of the window's privates and x is not `self`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in privates and not (
                isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_touches_the_windows_privates():
    privates = _window_privates()
    assert {"_on_network_changed", "_started", "_pending_activation"} <= privates
    offences = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == WINDOW:
            continue
        found = private_window_accesses(path.read_text(encoding="utf-8"), privates)
        if found:
            offences[str(path.relative_to(PACKAGE))] = found
    assert not offences, f"modules reaching into MainWindow's privates: {offences}"


def test_the_window_only_assembles():
    """Logic lives in the session and in small modules; the window wires them."""
    assert len(WINDOW.read_text(encoding="utf-8").splitlines()) < 300


def test_the_check_finds_a_private_access():
    privates = {"_started", "_pending_activation"}
    source = ("def f(window, self):\n"
              "    a = window._started\n"
              "    b = self.window._pending_activation\n"
              "    c = self._started\n")  # a class's own private is its business
    assert private_window_accesses(source, privates) == [
        "line 2: window._started", "line 3: self.window._pending_activation"]


@pytest.fixture
def session(qtbot):
    data = make_toy("xor", 0.1, 0)
    return Session(data, default_spec(data.n_features, data.n_outputs), TrainingConfig)


def test_switching_the_network_tells_the_subscribers(qtbot, session):
    spec = default_spec(session.dataset.n_features, session.dataset.n_outputs)
    generation = session.take_generation()
    assert generation == 1 and session.take_generation() == 2  # never handed out twice
    with qtbot.waitSignal(session.networkChanged, timeout=1000) as signal:
        session.switch_network(generation, spec, None)
    assert signal.args == [generation, spec, None]
    assert (session.generation, session.spec) == (generation, spec)
    config = TrainingConfig()
    assert session.split is not None  # the split of the settings the network starts with
    assert len(session.split.val_index) == round(len(session.dataset.y) * config.val_fraction)


def test_a_new_data_set_drops_the_old_weights(qtbot, session):
    session.set_snapshot("weights")
    other = make_toy("circles", 0.1, 0)
    with qtbot.waitSignal(session.datasetChanged, timeout=1000) as signal:
        session.set_dataset(other)
    assert signal.args == [other]
    assert session.dataset is other and session.snapshot is None


def test_snapshots_and_messages_are_signalled(qtbot, session):
    with qtbot.waitSignal(session.snapshotChanged, timeout=1000) as signal:
        session.set_snapshot("weights")
    assert signal.args == ["weights"] and session.snapshot == "weights"
    with qtbot.waitSignal(session.message, timeout=1000) as signal:
        session.show_message("Saved", 5000)
    assert signal.args == ["Saved", 5000]


def test_the_window_and_its_views_follow_the_session(qtbot, tmp_path):
    """A data set switched through the session reaches the views subscribed to it."""
    from fake_dialogs import FakeDialogs

    from playground.ui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.dialogs = FakeDialogs()
    qtbot.addWidget(window)
    assert window.session.dialogs is window.dialogs
    views_before = dict(window.insights.views)
    window.insights.view("dataExplorerDock")
    data = make_toy("circles", 0.1, 0)
    window.use_dataset(data)
    assert window.dataset is data and window.session.dataset is data
    assert "dataExplorerDock" not in window.insights.views  # forgotten: built for the old data
    assert views_before == {}
    assert window.docks["plots"].windowTitle() == "Loss and accuracy"
    assert window.prediction is window.session.prediction
    assert window.prediction.parent() is not None  # the new panel is in its dock
    window.statusBar().clearMessage()
    window.session.show_message("hello", 0)
    assert window.statusBar().currentMessage() == "hello"
    window.close()
