"""The "see inside" views (decision map, confusion matrix, ...): one place that keeps
the visible ones up to date.

Each view is a widget with `show_state(state: ModelState)`. It lives in a dock,
hidden until the person opens it from the View menu. Views draw from the
latest weight snapshot with the numpy forward pass, never from the live model,
and only the visible ones are refreshed, at most a few times a second: their
Python runs on the GUI thread, and every millisecond of it is taken from
training through the GIL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from playground.core.data.dataset import Dataset
from playground.core.data.split import PreparedData
from playground.core.network.forward import WeightSnapshot
from playground.core.network.spec import NetworkSpec

REFRESH_INTERVAL = 0.25  # seconds: views follow training four times a second
# ... but at most 16 view refreshes a second in all: with all eight views open, each
# refresh (1–4 ms, and its repaint) falling between the window's own frames pushed the
# timer lateness at p99 to 16–19 ms; each view then follows twice a second.
MIN_GAP = 1 / 16


@dataclass(frozen=True, eq=False)
class ModelState:
    """What every view draws from."""

    dataset: Dataset
    split: PreparedData  # the train/validation split and the standardizer
    spec: NetworkSpec
    snapshot: WeightSnapshot | None  # None while the network is being built
    raw_input: np.ndarray  # the prediction panel's sample, in raw units
    epoch: int
    true_class: str | None = None  # its class (or value), when taken from the data set
    true_row: int | None = None  # and the data-set row it was taken from
    l1: float = 0.0  # the L1 strength training uses now

    def fits(self) -> bool:
        """Whether the snapshot is of this network (not None, nor one being replaced)."""
        return self.snapshot is not None and \
            self.snapshot.weights[0].shape[1] == self.spec.widths[0] and \
            self.snapshot.weights[-1].shape[0] == self.spec.n_outputs

    def probabilities(self, raw: np.ndarray) -> np.ndarray | None:
        """Class probabilities for rows of raw inputs (numpy forward pass); for a
        regression network, its one output: the standardized predicted value."""
        from playground.core.network.forward import forward_pass

        if not self.fits():
            return None
        return forward_pass(self.snapshot, self.split.standardizer.transform(raw))[-1] \
            .activations

    def values(self, raw: np.ndarray) -> np.ndarray | None:
        """Regression: the predicted values, in the data's units, for rows of raw inputs."""
        out = self.probabilities(raw)
        if out is None or self.split.target is None:
            return None
        return self.split.target_values(out[..., 0])

    @property
    def true_value(self) -> float | None:
        """Regression: the known value of the prediction panel's sample, if it has one."""
        if self.true_row is None or not self.dataset.is_regression:
            return None
        return float(self.dataset.y[self.true_row])


def _gap(showing: int) -> float:
    """Seconds between two view refreshes, with `showing` views open."""
    return max(REFRESH_INTERVAL / max(showing, 1), MIN_GAP)


def add_dock(host: QMainWindow, title: str, name: str, widget: QWidget, area) -> QDockWidget:
    """`widget` in a new dock of `host`, named `name` (the View menu and saved layouts)."""
    dock = QDockWidget(title, host, objectName=name)
    dock.setWidget(widget)
    host.addDockWidget(area, dock)
    return dock


class InsightViews(QObject):
    def __init__(self, session, controls, host: QMainWindow,
                 docks: dict[str, QDockWidget]) -> None:
        super().__init__(session)
        self.session, self.controls = session, controls
        self._host = host  # the window the docks are added to
        self._window_docks = docks  # the window's docks by name: the View menu lists them
        self.docks: dict[str, QDockWidget] = {}
        self.views: dict[str, QWidget] = {}  # the views built so far, by dock name
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self._last = 0.0
        self._due: list[str] = []  # views to bring up to date, one per timer tick
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._refresh_next)
        session.datasetChanged.connect(self._on_dataset_changed)

    def add(self, title: str, name: str, build: Callable[[], QWidget],
            area=Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        """A view in its own dock, hidden until opened from the View menu. The view is
        built (`build()`) when the dock is first shown: building every view with the
        window cost about a third of the start-up time (measured by playground bench)."""
        dock = add_dock(self._host, title, name, QWidget(), area)
        dock.hide()
        dock.visibilityChanged.connect(self._on_visibility_changed)
        self._builders[name] = build
        self.docks[name] = dock
        self._window_docks[name] = dock
        return dock

    def view(self, name: str) -> QWidget:
        """The view of dock `name`, built now if it has not been yet."""
        if name not in self.views:
            view = self._builders[name]()
            self.views[name] = view
            self.docks[name].setWidget(view)
        return self.views[name]

    @Slot(object)
    def _on_dataset_changed(self, _dataset) -> None:
        self.forget_views()

    def forget_views(self) -> None:
        """Drop the built views (they hold the old data set); open ones are rebuilt now."""
        views, self.views = self.views, {}
        for name, view in views.items():
            self.docks[name].setWidget(QWidget())
            view.deleteLater()
            if self.docks[name].isVisible():
                self.view(name)
        self._due.clear()
        self.state_changed()

    def state(self) -> ModelState:
        s, panel = self.session, self.session.prediction
        return ModelState(s.dataset, s.split, s.spec, s.snapshot, panel.values(), s.epoch,
                          panel.true_class, panel.true_row, self.controls.config().l1)

    def state_changed(self) -> None:
        """New weights or a new input: bring the visible views up to date, one view per
        timer tick, so that each view is refreshed at most every REFRESH_INTERVAL and the
        GUI thread never spends one long stretch on all of them (with every view open,
        refreshing them together took ~20 ms at once: 39 ms timer lateness at p99)."""
        showing = [n for n in self.views if self._showing(self.docks[n])]
        if not showing:
            return
        self._due = [n for n in showing if n not in self._due] + self._due
        if not self._timer.isActive():
            wait = _gap(len(showing)) - (time.perf_counter() - self._last)
            self._timer.start(max(0, int(1000 * wait)))

    @Slot()
    def _refresh_next(self) -> None:
        if not self._due or self.session.split is None:
            return
        name = self._due.pop()  # the longest waiting
        self._last = time.perf_counter()
        if self._showing(self.docks[name]):
            self.views[name].show_state(self.state())
        if self._due:
            showing = sum(self._showing(self.docks[n]) for n in self.views)
            self._timer.start(int(1000 * _gap(showing)))

    @Slot()
    def refresh(self) -> None:
        """Every visible view, now (tests, and after a switch of data set)."""
        if self.session.split is None:
            return
        self._due.clear()
        state = self.state()
        for name, view in self.views.items():
            if self._showing(self.docks[name]):
                view.show_state(state)

    @Slot(bool)
    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            for name, dock in self.docks.items():
                if dock.isVisible():
                    self.view(name)
            self.state_changed()
            # A dock that has just opened may not be laid out yet (a view in a scroll
            # area): look again once it is, or it stays empty until the next weights.
            QTimer.singleShot(0, self, self.state_changed)

    @staticmethod
    def _showing(dock: QDockWidget) -> bool:
        """Open and not hidden behind another tab."""
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def load_row(self, row: int) -> None:
        """Put data-set row `row` into the prediction panel, with its true class."""
        panel = self.session.prediction
        panel.set_values(self.session.dataset.x[row], truth=panel.truth_text(row), row=row)
