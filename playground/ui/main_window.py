"""The playground window: network editor in the centre, docks around it.

The window assembles the parts and wires them; what it shows lives in the session
(session.py), which the parts take and subscribe to.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from playground.core.data.data_loaders import load_penguins
from playground.core.data.dataset import Dataset
from playground.core.network import engineered
from playground.core.network.spec import NetworkSpec, default_spec
from playground.core.training.config import TrainingConfig
from playground.ui import theme
from playground.ui.editor.network_editor import NetworkEditor
from playground.ui.editor.neuron_maps import NeuronMapDisplay
from playground.ui.files.dialogs import Dialogs
from playground.ui.files.export_actions import ExportActions
from playground.ui.files.project_file import ProjectFile
from playground.ui.files.project_view import ProjectView
from playground.ui.first_paint import after_first_paint
from playground.ui.insight.insight_docks import add_insight_views, title_task_docks
from playground.ui.insight.insight_views import InsightViews, add_dock
from playground.ui.live_display import LiveDisplay
from playground.ui.plots.plots import TrainingPlots
from playground.ui.prediction.known_weights import KnownWeights
from playground.ui.prediction.prediction_panel import PredictionPanel
from playground.ui.runs.run_tracker import RunTracker
from playground.ui.session import Session
from playground.ui.threads import main_thread_gc
from playground.ui.training.toolbar import TrainingToolbar
from playground.ui.training.training_controller import TrainingController
from playground.ui.training.training_controls import TrainingControls
from playground.ui.undo import SwitchNetwork
from playground.ui.window_layout import restore_layout, save_layout
from playground.ui.window_menus import build_menus

# The settings a new or restored network trains with from its first epoch.
SENT_ON_SWITCH = ("optimizer", "learning_rate", "batch_size", "epochs", "weight_decay", "l1")


class MainWindow(QMainWindow):
    """Builds the window with the built-in penguins and the default network, unshown."""

    def __init__(self, dataset: Dataset | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        main_thread_gc.install()  # before any thread starts: see main_thread_gc.py

        self.settings = settings if settings is not None else QSettings()
        dataset = dataset if dataset is not None else load_penguins()
        self.session = Session(dataset, default_spec(dataset.n_features, dataset.n_classes),
                               lambda: self.controls.config(), self)
        self.session.dialogs = Dialogs(self)
        self.session.networkChanged.connect(self._on_network_changed)
        self.session.datasetChanged.connect(self._on_dataset_changed)
        self.session.message.connect(self._on_message)
        self.undo_stack = QUndoStack(self)

        self.controller = TrainingController(self)
        self.known_weights = KnownWeights(self.controller.has_trainer)

        self.editor = NetworkEditor()
        self.editor.specEdited.connect(self._on_spec_edited)
        self.banner = QLabel(objectName="messageBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {theme.warning().name()}; font-weight: bold;"
                                  "padding: 4px 10px;")
        self.banner.hide()
        centre = QWidget()
        box = QVBoxLayout(centre)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.banner)
        box.addWidget(self.editor, 1)
        self.setCentralWidget(centre)

        self.controls = TrainingControls(TrainingConfig())
        self.controls.name_rows(dataset.nouns[0])
        self.plots = TrainingPlots()
        self.session.set_prediction_panel(PredictionPanel(dataset))
        area = Qt.DockWidgetArea
        self.docks = {
            "prediction": add_dock(self, "Prediction", "predictionDock", self.prediction,
                                   area.RightDockWidgetArea),
            "controls": add_dock(self, "Training settings", "controlsDock", self.controls,
                                 area.LeftDockWidgetArea),
            "plots": add_dock(self, "Loss and accuracy", "plotsDock", self.plots,
                              area.BottomDockWidgetArea),
        }

        # Every network that trains is a run (core/runs.py).
        self.runs = RunTracker(self.session, self.controls, self.plots, self.controller,
                               self.undo_stack)
        self.insights = InsightViews(self.session, self.controls, self, self.docks)
        add_insight_views(self)  # the see-inside views, each built when first shown
        title_task_docks(self.docks, dataset.is_regression)
        self.neuron_maps = NeuronMapDisplay(self.session, self.editor, self.insights,
                                            self.settings)  # the editor's small maps
        self.neuron_maps.use_dataset(dataset)

        self.projects = ProjectView(self.session, self.controls, self.controller, self.runs,
                                    self.undo_stack, self.docks["prediction"],
                                    self.activate_now)
        self.project_file = ProjectFile(self.session, self.projects, self, self.settings,
                                        self.controls)
        self.exports = ExportActions(self.session, self.plots, self.project_file,
                                     self.projects.capture)
        self.undo_stack.indexChanged.connect(self._on_undo_index_changed)
        self.controls.resetSettingChanged.connect(self.project_file.mark_modified)
        self.actions = build_menus(self)
        # A right click on the curves offers what File ▸ Export does with them.
        self.plots.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.plots.addActions([self.actions[k] for k in ("export_png", "export_svg",
                                                         "export_history")])
        self.toolbar = TrainingToolbar(self.actions["train"], self.actions["step"],
                                       self.actions["reset"], self)
        self.toolbar.speedChanged.connect(self.controller.set_speed)
        self.addToolBar(self.toolbar)
        self.controller.set_speed(self.toolbar.epochs_per_second())

        self.device_label = QLabel("loading PyTorch…", objectName="deviceLabel")
        self.rate_label = QLabel(objectName="rateLabel")
        self.status_epoch = QLabel("epoch 0", objectName="statusEpochLabel")
        for w in (self.status_epoch, self.rate_label, self.device_label):
            self.statusBar().addPermanentWidget(w)
        self.display = LiveDisplay(
            self.session, self.controller, self.known_weights,
            {"editor": self.editor, "plots": self.plots, "controls": self.controls,
             "toolbar": self.toolbar, "runs": self.runs, "insights": self.insights,
             "neuron_maps": self.neuron_maps, "project_file": self.project_file},
            (self.status_epoch, self.rate_label, self.device_label, self.banner), self.actions)
        self.editor.feature_pair = self.display.decision_map_pair

        # The side docks run the full height; the curves sit under the editor only.
        self.setCorner(Qt.Corner.BottomLeftCorner, area.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, area.RightDockWidgetArea)
        # A comfortable size that still fits a small or high-DPI (scaled) screen.
        available = self.screen().availableGeometry()
        self.resize(min(1360, int(available.width() * 0.95)),
                    min(860, int(available.height() * 0.92)))
        self.resizeDocks([self.docks["plots"]], [250], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["controls"], self.docks["prediction"]], [270, 300],
                         Qt.Orientation.Horizontal)
        restore_layout(self, self.settings)
        # The first network is built once the window has painted (see showEvent): building
        # it imports torch (1–2 s of Python) in the training thread, which would compete
        # with the first paint for the GIL.
        self._started = False
        self._pending_activation = None
        self.session.switch_network(0, self.spec)
        self.editor.view.setFocus()
        self.project_file.mark_clean()  # building the window is not an edit

    # --- the session's state, as the window's (tests and the benchmark read it) ---------
    dialogs = property(lambda self: self.session.dialogs,
                       lambda self, dialogs: setattr(self.session, "dialogs", dialogs))
    dataset = property(lambda self: self.session.dataset)
    generation = property(lambda self: self.session.generation)
    epoch = property(lambda self: self.session.epoch)
    prediction = property(lambda self: self.session.prediction)
    spec = property(lambda self: self.session.spec,
                    lambda self, spec: setattr(self.session, "spec", spec))
    snapshot = property(lambda self: self.session.snapshot,
                        lambda self, snapshot: self.session.set_snapshot(snapshot))
    budget = property(lambda self: self.display.budget)
    frames = property(lambda self: self.display.frames)

    @Slot(str, int)
    def _on_message(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    # --- generations: the network in the training thread ------------------------------
    @Slot(int, object, object)
    def _on_network_changed(self, generation: int, spec: NetworkSpec, project) -> None:
        config = self.controls.config()
        self.controls.mark_applied()
        self.controller.set_live(**{n: getattr(config, n) for n in SENT_ON_SWITCH})
        self._pending_activation = (generation, spec, config, self.dataset, project)
        if self._started:
            self.activate_now()
        # The new network's weights when they can be known here, so that its probabilities
        # show at once; before the first paint, in activate_now (numpy.random waits).
        self.session.set_snapshot(self.known_weights.for_switch(
            generation, spec, config.seed, project) if self._started else None)
        self.plots.clear()
        self.banner.hide()
        split = self.session.split
        features = tuple(f.with_range(lo, hi)
                         for f, lo, hi in zip(self.dataset.features, split.train_low,
                                              split.train_high, strict=True))
        self.editor.numeric_features = engineered.numeric_features(self.dataset.features)
        # The editor first: the panel's signal redraws it.
        self.editor.set_network(spec, self.display.neuron_info())
        self.prediction.set_features(features)

    # --- projects (the File menu's work is in project_file.py) --------------------------
    def capture_project(self):
        """The current network, settings, weights, curves and prediction input."""
        return self.projects.capture()

    def use_dataset(self, dataset: Dataset) -> None:
        self.projects.use_dataset(dataset)

    @Slot(object)
    def _on_dataset_changed(self, dataset: Dataset) -> None:
        self.plots.set_task(dataset.is_regression)
        title_task_docks(self.docks, dataset.is_regression)
        self.controls.name_rows(dataset.nouns[0])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            after_first_paint(self, self.activate_now)  # right after the first frame
            QTimer.singleShot(500, self.activate_now)  # in case no paint arrives (minimized)

    @Slot()
    def activate_now(self) -> None:
        """Send the pending network to the training thread (at once from now on)."""
        first, self._started = not self._started, True
        if self._pending_activation is not None:
            self.controller.activate(*self._pending_activation)
            generation, spec, config, _, project = self._pending_activation
            self._pending_activation = None
            if first and generation == self.generation:  # shown, and not known before
                self.session.set_snapshot(self.known_weights.for_switch(
                    generation, spec, config.seed, project))
                self._show_prediction()

    def _new_generation(self, spec: NetworkSpec, text: str) -> None:
        new = self.session.take_generation()
        self.controller.pause()
        self.undo_stack.push(SwitchNetwork(self.session, (self.generation, self.spec),
                                           (new, spec), text))

    @Slot(object, str)
    def _on_spec_edited(self, spec: NetworkSpec, text: str) -> None:
        self._new_generation(spec, text)

    @Slot(int)
    def _on_undo_index_changed(self, _: int) -> None:
        if self.undo_stack.count():
            self.project_file.mark_modified()

    # --- training actions -------------------------------------------------------------
    @Slot()
    def toggle_training(self) -> None:
        self.activate_now()
        if self.controller.running:
            self.controller.pause()
        else:
            self.banner.hide()
            self.controller.start()

    @Slot()
    def step_epoch(self) -> None:
        self.activate_now()
        if not self.controller.running:
            self.controller.step()

    @Slot()
    def reset_training(self) -> None:
        self._new_generation(self.spec, "Reset training")

    def _show_prediction(self) -> None:
        self.display.show_prediction()

    # --- keys: Space and "." only when no focused widget wants them ----------------------
    def keyPressEvent(self, event) -> None:
        if event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.key() == Qt.Key.Key_Space:
                self.toggle_training()
                return
            if event.key() == Qt.Key.Key_Period:
                self.step_epoch()
                return
        super().keyPressEvent(event)

    # --- closing -----------------------------------------------------------------------
    def closeEvent(self, event) -> None:
        if not self.project_file.confirm_discard("closing"):
            event.ignore()
            return
        self.project_file.stop()
        self.session.background.stop()  # an import stops; an export finishes writing
        self.project_file.discard_autosave()  # a clean exit: nothing to recover next time
        save_layout(self, self.settings)
        if not self.controller.shutdown():
            print("playground: the training thread did not stop in time", file=sys.stderr)
        super().closeEvent(event)

    @Slot()
    def fill_recent_menu(self) -> None:
        self.project_file.fill_recent_menu(self.recent_menu)
