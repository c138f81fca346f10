"""What the window draws from the training thread and the prediction panel: the curves,
the network's values and the prediction through the latest weights, the epoch and the
rate, the device, the Train action's state, and the warning banner.

The worker sends no more often than the frame budget allows (set after each redraw),
so every update is drawn: no polling timer wakes the GUI thread.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from playground.core.network import engineered
from playground.core.network.forward import forward_pass
from playground.core.training.history import History
from playground.ui.editor.neuron_text import NeuronInfo
from playground.ui.training.frame_budget import FrameBudget
from playground.ui.window_menus import PAUSE, PLAY


class LiveDisplay(QObject):
    def __init__(self, session, controller, known_weights, views, labels, actions) -> None:
        """`views`: the editor, plots, controls, toolbar, runs, insights, neuron maps and
        project file (by those names); `labels`: the status bar's epoch, rate and device
        labels, and the banner; `actions`: the window's, by name (build_menus)."""
        super().__init__(session)
        self.session, self.controller, self.known_weights = session, controller, known_weights
        v = views
        self.editor, self.plots, self.controls, self.toolbar = (
            v["editor"], v["plots"], v["controls"], v["toolbar"])
        self.runs, self.insights = v["runs"], v["insights"]
        self.neuron_maps, self.project_file = v["neuron_maps"], v["project_file"]
        self.status_epoch, self.rate_label, self.device_label, self.banner = labels
        self.actions = actions
        self.budget = FrameBudget()
        self.rate = None  # epochs per second while training, else None
        self.frames = 0  # redraws so far (the benchmark counts them)
        controller.updated.connect(self._on_update)
        controller.failed.connect(self._on_failed)
        controller.runningChanged.connect(self._on_running_changed)
        self.controls.liveChanged.connect(self._on_live_changed)
        session.predictionPanelChanged.connect(self._on_prediction_panel_changed)
        self._on_prediction_panel_changed(session.prediction)

    @Slot(object)
    def _on_update(self, update) -> None:
        s = self.session
        self.known_weights.remember(update.generation, update.snapshot)
        if update.generation != s.generation:
            return  # from a network that has since been replaced
        if len(update.epochs) and not update.replace_history:
            self.project_file.mark_modified()
        if update.replace_history:
            self.plots.history = History.from_arrays({"epochs": update.epochs,
                                                      **update.metrics})
        else:
            self.plots.history.extend(update.epochs, **update.metrics)
        self.runs.follow(update.generation, self.plots.history)
        s.set_snapshot(update.snapshot)
        s.epoch = update.epoch
        self.rate = update.epochs_per_second if update.running else None
        self._redraw()
        if self.device_label.text() != update.device:
            self._on_torch_ready(update.device)
        if update.message:
            s.show_message(update.message, 8000)
            if update.diverged:
                self.banner.setText(f"⚠ Training paused: {update.message}")
                self.banner.show()

    def _redraw(self) -> None:
        start = time.perf_counter()
        self.budget.frame_started(start)
        self.plots.redraw()
        self.show_prediction()
        epoch = self.session.epoch
        self.toolbar.show_epoch(epoch, self.controls.epochs.value())
        self.status_epoch.setText(f"epoch {epoch:,}")
        self.rate_label.setText(self.idle_text() if self.rate is None else
                                f"{self.rate:,.0f} epochs/s")
        self.budget.record(time.perf_counter() - start)
        self.frames += 1
        self.controller.set_update_interval(self.budget.interval())

    def idle_text(self) -> str:
        return "paused" if self.session.epoch else "ready to train"

    def _on_torch_ready(self, device: str) -> None:
        from playground.core.training.devices import available_devices  # torch is loaded by now

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
        action.setIcon(QApplication.style().standardIcon(PAUSE if running else PLAY))
        action.setToolTip("Pause training (Space)" if running else "Start training (Space)")
        self.actions["step"].setEnabled(not running)
        if not running:
            self.rate_label.setText(self.idle_text())
            self.project_file.autosave()

    @Slot(str, object)
    def _on_live_changed(self, name: str, value) -> None:
        self.controller.set_live(**{name: value})
        self.runs.settings_changed()
        self.project_file.mark_modified()
        if name == "epochs":
            self.toolbar.show_epoch(self.session.epoch, value)
        elif name == "l1":
            self.insights.state_changed()  # "Inside the network" says what L1 does

    # --- the prediction panel ----------------------------------------------------------
    @Slot(object)
    def _on_prediction_panel_changed(self, panel) -> None:
        panel.inputChanged.connect(self._on_input_changed)
        panel.randomRequested.connect(self._on_random_sample)

    @Slot(object)
    def _on_input_changed(self, raw: np.ndarray) -> None:
        self.project_file.mark_modified()
        self.show_prediction()

    @Slot()
    def _on_random_sample(self) -> None:
        s = self.session
        row = int(np.random.default_rng().choice(s.split.val_index))
        s.prediction.set_values(s.dataset.x[row], truth=s.prediction.truth_text(row), row=row)

    # --- the network's values for the panel's input ------------------------------------
    def neuron_info(self) -> NeuronInfo:
        s = self.session
        d, split, snapshot = s.dataset, s.split, s.snapshot
        raw = s.prediction.values()
        standardized = split.standardizer.transform(raw)
        layers = forward_pass(snapshot, standardized) if snapshot else None
        outputs = [d.label] if d.is_regression else list(d.class_names)
        terms, names = s.spec.engineered, engineered.short_names(d.features)
        return NeuronInfo(s.spec.widths, [f.label for f in d.features] +
                          [engineered.term_name(t, names) for t in terms],
                          [f.unit for f in d.features], outputs,
                          [h.activation for h in s.spec.hidden], snapshot, raw,
                          engineered.expand(standardized, terms), layers, split.target,
                          tuple(engineered.term_formula(t, names) for t in terms))

    def show_prediction(self) -> None:
        """Forward pass of the panel's input through the latest snapshot (numpy)."""
        s = self.session
        if s.spec.n_inputs != s.dataset.n_features or s.snapshot is not None and \
                s.snapshot.weights[0].shape[1] != s.spec.widths[0]:
            return  # mid-switch: the network, the data or the weights are not yet matched
        info = self.neuron_info()
        self.editor.update_values(info)
        # While training: throttled, and painted midway to the next frame.
        self.neuron_maps.update(live=self.rate is not None, after=self.budget.interval() / 2)
        if s.dataset.is_regression:
            s.prediction.show_value(info.predicted_value())
        else:
            s.prediction.show_probabilities(info.layers[-1].activations if info.layers
                                            else None)
        self.insights.state_changed()

    def decision_map_pair(self) -> tuple[int, int] | None:
        """The two features the decision map shows, once it has been opened: what a new
        x₁·x₂ input multiplies (if both are numeric)."""
        view = self.insights.views.get("decisionMapDock")
        if view is None:
            return None
        pair = view.scatter.axes()
        numeric = self.editor.numeric_features
        return pair if pair[0] != pair[1] and set(pair) <= set(numeric) else None
