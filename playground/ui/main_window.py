"""The playground window: network editor in the centre, docks around it."""

from __future__ import annotations

import sys
import time

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QVBoxLayout, QWidget

from playground.core import engineered
from playground.core.config import TrainingConfig
from playground.core.data_loaders import load_penguins
from playground.core.dataset import Dataset
from playground.core.forward import forward_pass
from playground.core.history import History
from playground.core.spec import NetworkSpec, default_spec
from playground.core.split import prepare
from playground.ui import main_thread_gc, theme
from playground.ui.dialogs import Dialogs
from playground.ui.export_actions import ExportActions
from playground.ui.first_paint import after_first_paint
from playground.ui.frame_budget import FrameBudget
from playground.ui.insight_views import InsightViews
from playground.ui.known_weights import KnownWeights
from playground.ui.network_editor import NetworkEditor
from playground.ui.neuron_maps import NeuronMapDisplay
from playground.ui.neuron_text import NeuronInfo
from playground.ui.plots import TrainingPlots
from playground.ui.prediction_panel import PredictionPanel
from playground.ui.project_file import ProjectFile
from playground.ui.run_tracker import RunTracker
from playground.ui.toolbar import TrainingToolbar
from playground.ui.training_controller import TrainingController
from playground.ui.training_controls import TrainingControls
from playground.ui.undo import SwitchNetwork
from playground.ui.window_menus import PAUSE, PLAY, build_menus

SETTINGS_VERSION = 1  # bump when the dock layout changes incompatibly


class MainWindow(QMainWindow):
    """Builds the window with the built-in penguins and the default network, unshown."""

    def __init__(self, dataset: Dataset | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        main_thread_gc.install()  # before any thread starts: see main_thread_gc.py

        self.dialogs = Dialogs(self)
        self.settings = settings if settings is not None else QSettings()
        self.dataset = dataset if dataset is not None else load_penguins()
        self.spec: NetworkSpec = default_spec(self.dataset.n_features, self.dataset.n_classes)
        self.generation = 0
        self._next_generation = 1
        self.snapshot = None
        self.epoch = 0
        self.undo_stack = QUndoStack(self)
        self.budget = FrameBudget()
        self._rate = None
        self.frames = 0  # redraws so far (the benchmark counts them)

        self.controller = TrainingController(self)
        self.known_weights = KnownWeights(self.controller.has_trainer)
        self.controller.updated.connect(self._on_update)
        self.controller.failed.connect(self._on_failed)
        self.controller.runningChanged.connect(self._on_running_changed)

        self.editor = NetworkEditor()
        self.editor.specEdited.connect(self._on_spec_edited)
        self.editor.feature_pair = self._decision_map_pair
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
        self.controls.name_rows(self.dataset.nouns[0])
        self.controls.liveChanged.connect(self._on_live_changed)
        self.plots = TrainingPlots()
        self.prediction = self._make_prediction_panel()
        self.docks = {
            "prediction": self._dock("Prediction", "predictionDock", self.prediction,
                                     Qt.DockWidgetArea.RightDockWidgetArea),
            "controls": self._dock("Training settings", "controlsDock", self.controls,
                                   Qt.DockWidgetArea.LeftDockWidgetArea),
            "plots": self._dock("Loss and accuracy", "plotsDock", self.plots,
                                Qt.DockWidgetArea.BottomDockWidgetArea),
        }

        self.runs = RunTracker(self)  # every network that trains is a run (core/runs.py)
        self.insights = InsightViews(self)  # see-inside views, each built when first shown
        self._add_insight_views()
        self.neuron_maps = NeuronMapDisplay(self)  # the editor's small maps (View menu)
        self.neuron_maps.use_dataset(self.dataset)

        self.project_file = ProjectFile(self)
        self.exports = ExportActions(self)
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

        # The side docks run the full height; the curves sit under the editor only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        # A comfortable size that still fits a small or high-DPI (scaled) screen.
        available = self.screen().availableGeometry()
        self.resize(min(1360, int(available.width() * 0.95)),
                    min(860, int(available.height() * 0.92)))
        self.resizeDocks([self.docks["plots"]], [250], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["controls"], self.docks["prediction"]], [270, 300],
                         Qt.Orientation.Horizontal)
        self._restore_layout()
        self._split = None
        # The first network is built once the window has painted (see showEvent): building
        # it imports torch (1–2 s of Python) in the training thread, which would compete
        # with the first paint for the GIL.
        self._started = False
        self._pending_activation = None
        self.switch_generation(0, self.spec)
        self.editor.view.setFocus()
        self.project_file.mark_clean()  # building the window is not an edit

    def _add_insight_views(self) -> None:
        """Each view's module is imported by its builder too: nothing of them is paid for
        at start-up until a person opens one."""
        views, bottom = self.insights, Qt.DockWidgetArea.BottomDockWidgetArea

        def decision_map():
            from playground.ui.decision_map import DecisionMap

            view = DecisionMap(self.dataset)
            view.scatter.rowChosen.connect(views.load_row)
            for combo in (view.scatter.x_choice, view.scatter.y_choice):
                combo.currentIndexChanged.connect(self.neuron_maps.axes_changed)
            return view

        def confusion():  # regression has no classes: predicted versus actual instead
            if self.dataset.is_regression:
                from playground.ui.predicted_actual_view import PredictedActualView

                view = PredictedActualView(self.dataset)
            else:
                from playground.ui.confusion_view import ConfusionView

                view = ConfusionView(self.dataset)
            view.rowChosen.connect(views.load_row)
            return view

        def explorer():
            from playground.ui.data_explorer import DataExplorer

            view = DataExplorer(self.dataset)
            view.rowChosen.connect(views.load_row)
            return view

        views.add("Decision map", "decisionMapDock", decision_map, bottom)
        def explainer():
            from playground.ui.forward_explainer import ForwardExplainer

            view = ForwardExplainer()
            view.columnChosen.connect(self.editor.view.mark_column)
            return view

        def inside():
            from playground.ui.inside_view import InsideView

            return InsideView()

        views.add("Explain this prediction", "explainDock", explainer, bottom)

        def step_explainer():
            from playground.ui.step_explainer import StepExplainer

            return StepExplainer(self)

        views.add("Explain this training step", "explainStepDock", step_explainer, bottom)
        views.add("Inside the network", "insideDock", inside)

        def runs():
            from playground.ui.runs_view import RunsView

            return RunsView(self.runs, regression=self.dataset.is_regression)

        views.add("Confusion matrix", "confusionDock", confusion)
        views.add("Data explorer", "dataExplorerDock", explorer, bottom)
        views.add("Runs", "runsDock", runs, bottom)

        def learn():
            from playground.ui.learn_panel import LearnPanel

            return LearnPanel(self)

        views.add("Learn", "learnDock", learn, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._title_task_docks()

    def _title_task_docks(self) -> None:
        """Regression: the confusion matrix's dock holds predicted versus actual, and the
        plots show R² instead of accuracy."""
        regression = self.dataset.is_regression
        self.docks["confusionDock"].setWindowTitle(
            "Predicted vs. actual" if regression else "Confusion matrix")
        self.docks["plots"].setWindowTitle("Loss and R²" if regression else "Loss and accuracy")

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # --- generations: the network in the training thread ------------------------------
    def switch_generation(self, generation: int, spec: NetworkSpec, project=None) -> None:
        """Make `generation` current (building it if new, or from `project`); called by
        undo commands."""
        self.generation, self.spec = generation, spec
        config = self.controls.config()
        self._split = prepare(self.dataset, config.val_fraction, config.seed)
        self.controls.mark_applied()
        self.controller.set_live(**{n: getattr(config, n) for n in
                                    ("optimizer", "learning_rate", "batch_size", "epochs",
                                     "weight_decay", "l1")})
        self._pending_activation = (generation, spec, config, self.dataset, project)
        if self._started:
            self.activate_now()
        # The new network's weights when they can be known here, so that its probabilities
        # show at once; before the first paint, in activate_now (numpy.random waits).
        self.snapshot = self.known_weights.for_switch(generation, spec, config.seed, project) \
            if self._started else None
        self.plots.clear()
        self.banner.hide()
        features = tuple(f.with_range(lo, hi)
                         for f, lo, hi in zip(self.dataset.features, self._split.train_low,
                                              self._split.train_high, strict=True))
        self.editor.numeric_features = engineered.numeric_features(self.dataset.features)
        self.editor.set_network(spec, self._neuron_info())  # first: the panel's signal redraws it
        self.prediction.set_features(features)

    # --- projects (see project_file.py for the File menu) ---------------------------------
    def capture_project(self):
        """The current network, settings, weights, curves and prediction input."""
        self.activate_now()
        project = self.controller.export_project(
            self.dataset, {"prediction_input": [float(v) for v in self.prediction.values()]})
        project.runs = self.runs.saved()
        return project

    def apply_project(self, project) -> None:
        """Show a loaded project; raises ProjectError (changing nothing) if it does not fit."""
        from playground.core.project import check_dataset_fits

        check_dataset_fits(project, self.dataset)
        self.controls.set_config(project.config)
        self.undo_stack.clear()
        self.switch_generation(self._take_generation(), project.spec, project)
        self.runs.load(project.runs, History.from_arrays(project.history()), self.generation)
        values = project.extras.get("prediction_input")
        if isinstance(values, list) and len(values) == self.spec.n_inputs and all(
                isinstance(v, int | float) and np.isfinite(v) for v in values):
            self.prediction.set_values(np.array(values, dtype=np.float64))

    def _make_prediction_panel(self) -> PredictionPanel:
        panel = PredictionPanel(self.dataset)
        panel.inputChanged.connect(self._on_input_changed)
        panel.randomRequested.connect(self._on_random_sample)
        return panel

    def use_dataset(self, dataset: Dataset) -> None:
        """Another data set: its own inputs and outputs, a fresh default network (the undo
        history is cleared: its networks do not fit the new data)."""
        self.dataset = dataset
        self.snapshot = None  # the old network's weights: they do not fit the new inputs
        old, self.prediction = self.prediction, self._make_prediction_panel()
        self.docks["prediction"].setWidget(self.prediction)
        old.setParent(None)  # gone from the window now, not at the next event loop
        old.deleteLater()
        self.insights.forget_views()  # rebuilt for the new data when next shown
        self.plots.set_task(dataset.is_regression)
        self._title_task_docks()
        self.controls.name_rows(dataset.nouns[0])
        self.neuron_maps.use_dataset(dataset)
        self.reset_to_defaults()

    def reset_to_defaults(self) -> None:
        """A new project: the default network and settings, untrained."""
        self.controls.set_config(TrainingConfig())
        self.undo_stack.clear()
        self.switch_generation(self._take_generation(), default_spec(
            self.dataset.n_features, self.dataset.n_outputs))
        self.runs.load((), History(), self.generation)
        self.prediction.set_values(self.dataset.example_vector())

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
                self.snapshot = self.known_weights.for_switch(generation, spec, config.seed,
                                                              project)
                self._show_prediction()

    def _take_generation(self) -> int:
        self._next_generation += 1
        return self._next_generation - 1

    def _new_generation(self, spec: NetworkSpec, text: str) -> None:
        new = self._take_generation()
        self.controller.pause()
        self.undo_stack.push(SwitchNetwork(self, (self.generation, self.spec), (new, spec), text))

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

    @Slot(str, object)
    def _on_live_changed(self, name: str, value) -> None:
        self.controller.set_live(**{name: value})
        self.runs.settings_changed()
        self.project_file.mark_modified()
        if name == "epochs":
            self.toolbar.show_epoch(self.epoch, value)
        elif name == "l1":
            self.insights.state_changed()  # "Inside the network" says what L1 does

    # --- updates from the training thread ----------------------------------------------
    @Slot(object)
    def _on_update(self, update) -> None:
        """Draw what the worker sent. It sends no more often than the frame budget allows
        (set below), so every update is drawn: no polling timer wakes the GUI thread."""
        self.known_weights.remember(update.generation, update.snapshot)
        if update.generation != self.generation:
            return  # from a network that has since been replaced
        if len(update.epochs) and not update.replace_history:
            self.project_file.mark_modified()
        if update.replace_history:
            self.plots.history = History.from_arrays({"epochs": update.epochs,
                                                      **update.metrics})
        else:
            self.plots.history.extend(update.epochs, **update.metrics)
        self.runs.follow(update.generation, self.plots.history)
        self.snapshot = update.snapshot
        self.epoch = update.epoch
        self._rate = update.epochs_per_second if update.running else None
        self._redraw()
        if self.device_label.text() != update.device:
            self._on_torch_ready(update.device)
        if update.message:
            self.statusBar().showMessage(update.message, 8000)
            if update.diverged:
                self.banner.setText(f"⚠ Training paused: {update.message}")
                self.banner.show()

    def _redraw(self) -> None:
        start = time.perf_counter()
        self.budget.frame_started(start)
        self.plots.redraw()
        self._show_prediction()
        self.toolbar.show_epoch(self.epoch, self.controls.epochs.value())
        self.status_epoch.setText(f"epoch {self.epoch:,}")
        self.rate_label.setText(self._idle_text() if self._rate is None else
                                f"{self._rate:,.0f} epochs/s")
        self.budget.record(time.perf_counter() - start)
        self.frames += 1
        self.controller.set_update_interval(self.budget.interval())

    def _idle_text(self) -> str:
        return "paused" if self.epoch else "ready to train"

    def _on_torch_ready(self, device: str) -> None:
        from playground.core.devices import available_devices  # torch is loaded by now

        self.device_label.setText(device)
        self.device_label.setToolTip("The device training runs on")
        self.controls.set_devices(available_devices())

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.banner.setText(f"⚠ {message}")
        self.banner.show()

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        action = self.actions["train"]
        action.setText("Pause" if running else "Train")
        action.setIcon(self.style().standardIcon(PAUSE if running else PLAY))
        action.setToolTip("Pause training (Space)" if running else "Start training (Space)")
        self.actions["step"].setEnabled(not running)
        if not running:
            self.rate_label.setText(self._idle_text())
            self.project_file.autosave()

    # --- the prediction panel ----------------------------------------------------------
    @Slot(object)
    def _on_input_changed(self, raw: np.ndarray) -> None:
        self.project_file.mark_modified()
        self._show_prediction()

    @Slot()
    def _on_random_sample(self) -> None:
        rows = self._split.val_index
        row = int(np.random.default_rng().choice(rows))
        self.prediction.set_values(self.dataset.x[row], truth=self.prediction.truth_text(row),
                                   row=row)

    def _neuron_info(self) -> NeuronInfo:
        raw = self.prediction.values()
        standardized = self._split.standardizer.transform(raw)
        layers = forward_pass(self.snapshot, standardized) if self.snapshot else None
        outputs = [self.dataset.label] if self.dataset.is_regression else \
            list(self.dataset.class_names)
        terms, names = self.spec.engineered, engineered.short_names(self.dataset.features)
        return NeuronInfo(self.spec.widths, [f.label for f in self.dataset.features] +
                          [engineered.term_name(t, names) for t in terms],
                          [f.unit for f in self.dataset.features], outputs,
                          [h.activation for h in self.spec.hidden], self.snapshot, raw,
                          engineered.expand(standardized, terms), layers, self._split.target,
                          tuple(engineered.term_formula(t, names) for t in terms))

    def _decision_map_pair(self) -> tuple[int, int] | None:
        """The two features the decision map shows, once it has been opened: what a new
        x₁·x₂ input multiplies (if both are numeric)."""
        view = self.insights.views.get("decisionMapDock")
        if view is None:
            return None
        pair = view.scatter.axes()
        numeric = self.editor.numeric_features
        return pair if pair[0] != pair[1] and set(pair) <= set(numeric) else None

    def _show_prediction(self) -> None:
        """Forward pass of the panel's input through the latest snapshot (numpy)."""
        if self.spec.n_inputs != self.dataset.n_features or self.snapshot is not None and \
                self.snapshot.weights[0].shape[1] != self.spec.widths[0]:
            return  # mid-switch: the network, the data or the weights are not yet matched
        info = self._neuron_info()
        self.editor.update_values(info)
        self.neuron_maps.update(live=self._rate is not None)  # while training: throttled
        if self.dataset.is_regression:
            self.prediction.show_value(info.predicted_value())
        else:
            self.prediction.show_probabilities(info.layers[-1].activations if info.layers
                                               else None)
        self.insights.state_changed()

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

    # --- layout persistence and closing -------------------------------------------------
    def _restore_layout(self) -> None:
        if self.settings.value("window/version", 0, int) != SETTINGS_VERSION:
            return
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state, SETTINGS_VERSION)

    def closeEvent(self, event) -> None:
        if not self.project_file.confirm_discard("closing"):
            event.ignore()
            return
        self.project_file.stop()
        self.exports.background.wait()  # let an export in progress finish writing
        self.project_file.discard_autosave()  # a clean exit: nothing to recover next time
        self.settings.setValue("window/version", SETTINGS_VERSION)
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(SETTINGS_VERSION))
        self.settings.sync()
        if not self.controller.shutdown():
            print("playground: the training thread did not stop in time", file=sys.stderr)
        super().closeEvent(event)

    @Slot()
    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.project_file.recent()
        if not files:
            menu.addAction("No recent projects").setEnabled(False)
        for path in files:
            action = menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._open_recent)

    @Slot()
    def _open_recent(self) -> None:
        self.project_file.open_path(self.sender().data())
