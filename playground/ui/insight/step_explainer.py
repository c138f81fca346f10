""""Explain this training step": for the prediction panel's example and a target, the
forward pass, the loss, the backward pass (each neuron's error term, each weight's
gradient, drawn in the editor while this view is open) and the update the optimizer
would make — and a Step button that makes exactly that update.

The backward pass is computed here in numpy from the latest weight snapshot
(core/backprop.py). The update depends on the optimizer's state, which lives in the
training thread: it is asked for there (a queued request, answered by the
controller's `stepReady`), computed on a copy, and taken only when Step is pressed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground.core.network.backprop import Backward, backprop
from playground.core.network.engineered import term_name
from playground.ui.editor.gradient_overlay import GradientOverlay
from playground.ui.insight.step_html import Names, step_html
from playground.ui.training.training_worker import StepRequest

NOT_READY = "The network is still being built: its training step appears here once it is ready."
STEP_TIP = ("One training step on this one example: every weight becomes new = old − step, "
            "as shown below. It is not counted as an epoch.")


class StepExplainer(QWidget):
    def __init__(self, session, controller, controls, editor, project_file, insights) -> None:
        super().__init__()
        self.setObjectName("explainStepView")
        self.session, self.controller, self.controls = session, controller, controls
        self.editor, self.project_file, self.insights = editor, project_file, insights
        d = session.dataset
        self.regression = d.is_regression
        self.names = Names([f.display or f.column for f in d.features],
                           [d.label] if self.regression else list(d.class_names), d.nouns[0])
        if self.regression:
            self.target = QDoubleSpinBox(objectName="stepTargetInput")
            self.target.setRange(-1e12, 1e12)
            self.target.setDecimals(4)
            self.target.valueChanged.connect(self._on_target_changed)
        else:
            self.target = QComboBox(objectName="stepTargetInput")
            self.target.addItems(self.names.outputs)
            self.target.currentIndexChanged.connect(self._on_target_changed)
        self.target.setToolTip(f"What the network should have answered for this {d.nouns[0]}:"
                               " its true value when it comes from the data set")
        self.step_button = QPushButton("Step: apply this update", objectName="applyStepButton")
        self.step_button.clicked.connect(self.take_step)
        self.status = QLabel(objectName="stepStatus")
        self.status.setWordWrap(True)
        self.text = QTextBrowser(objectName="explainStepText")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(f"Target {d.nouns[1]}:"))
        bar.addWidget(self.target, 1)
        bar.addWidget(self.step_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(bar)
        box.addWidget(self.status)
        box.addWidget(self.text, 1)
        self.setMinimumWidth(420)

        self.overlay = GradientOverlay()
        self.backward: Backward | None = None
        self.step = None  # the TrainingStep shown (from the training thread)
        self.taken = None  # the last step taken with the Step button
        self._state = None
        self._example = None  # (input, data-set row) whose target was last set
        self._requested: StepRequest | None = None
        self._requested_for = None  # the snapshot whose weights that request was sent with
        self._key = None  # what the last request was for
        self._settings = 0  # counts changes of the live training settings
        self._error: str | None = None
        self._shown = ""
        controller.stepReady.connect(self._on_step_ready)
        controller.runningChanged.connect(self._on_running_changed)
        controls.liveChanged.connect(self._on_settings_changed)
        self._enable()

    # --- from the window ---------------------------------------------------------------
    def show_state(self, state) -> None:
        self._state = state
        snap = state.snapshot
        if not state.fits():
            self._not_ready()
            return
        example = (state.raw_input.tobytes(), state.true_row)
        if example != self._example:
            self._example = example
            self._set_target_from(state)
        target = self.target_value()
        split, l1 = state.split, self.controls.config().l1
        if self.regression:
            self.backward = backprop(snap, split.standardizer, state.raw_input,
                                     target=split.target, true_value=target, l1=l1)
        else:
            self.backward = backprop(snap, split.standardizer, state.raw_input, target,
                                     l1=l1)
        key = (self.session.generation, state.raw_input.tobytes(), target, self._settings)
        if self.controller.running:
            # The update would be out of date within a frame, and each costs the training
            # thread about two steps of training: it is asked for once training pauses.
            self.step, self._key, self._requested_for = None, None, None
        elif key != self._key or snap is not self._requested_for:
            if key != self._key:  # another example, target or setting: not the old step
                self.step, self._error = None, None
            self._key = key
            self._request(state, target)
        self._show_taken_effect()
        self._render()
        if self.isVisible():
            self.overlay.show(self.editor.view, self.backward)

    def target_value(self):
        if self.regression:
            return float(self.target.value())
        return int(self.target.currentIndex())

    # --- the Step button -----------------------------------------------------------------
    @Slot()
    def take_step(self) -> None:
        state = self._state
        if state is None or self.step is None or self.controller.running:
            return
        request = StepRequest(self.session.generation, state.raw_input.copy(),
                              self.target_value(), apply=True)
        self.step_button.setEnabled(False)
        self.controller.training_step(request)

    # --- answers from the training thread ---------------------------------------------------
    @Slot(object)
    def _on_step_ready(self, reply) -> None:
        if reply.request.generation != self.session.generation:
            return  # about a network that has since been replaced
        if reply.request.apply:
            self._on_taken(reply)
        elif reply.request is self._requested:
            self.step, self._error = reply.step, reply.error
            self._render()
        self._enable()

    def _on_taken(self, reply) -> None:
        if reply.error:
            self.status.setText(f"⚠ {reply.error}")
            return
        self.taken = reply.step
        self.status.setText(f"Step taken: the loss of this example was {reply.step.loss:.4f}. "
                            "The new weights are drawn (not counted as an epoch).")
        self.project_file.mark_modified()

    def _show_taken_effect(self) -> None:
        """Once the new weights are here: the example's loss before and after the step."""
        taken, b = self.taken, self.backward
        if taken is None or b is None:
            return
        new = self._state.snapshot.weights
        if len(new) == len(taken.new_weights) and all(
                w.shape == t.shape and np.allclose(w, t, atol=1e-6)
                for w, t in zip(new, taken.new_weights, strict=True)):
            self.status.setText(f"Step taken: the loss of this example went from "
                                f"{taken.loss:.4f} to {b.loss:.4f} (not counted as an "
                                "epoch). The next step is shown below.")
            self.taken = None

    # --- inside ----------------------------------------------------------------------------
    def _request(self, state, target) -> None:
        request = StepRequest(self.session.generation, state.raw_input.copy(), target)
        self._requested, self._requested_for = request, state.snapshot
        self.controller.training_step(request)

    def _set_target_from(self, state) -> None:
        """An example from the data set: its true class (value) is the target."""
        if state.true_row is None:
            if self.regression and self.target.value() == 0.0:
                self.target.setValue(float(state.split.target.mean[0]))
            return
        y = state.dataset.y[state.true_row]
        self.target.blockSignals(True)
        if self.regression:
            self.target.setValue(float(y))
        else:
            self.target.setCurrentIndex(int(y))
        self.target.blockSignals(False)

    def _origin(self) -> str:
        state, noun, kind = self._state, self.names.noun, self.session.dataset.nouns[1]
        if state.true_row is not None:
            return (f"The prediction panel's {noun}, row {state.true_row + 1} of the data "
                    f"set: its true {kind} is the target.")
        return (f"The prediction panel's {noun}. It has no known {kind}, so the target is "
                "the one chosen above.")

    def _render(self) -> None:
        if self.backward is None or self._state is None:
            return
        waiting = (f"⚠ {self._error}" if self._error else
                   "Training is running: the update is shown when it pauses."
                   if self.controller.running else "Computing the update…")
        # The input column names the engineered inputs too, which edits add and remove.
        short = self.names.features
        names = replace(self.names, features=short + [
            term_name(t, short) for t in self._state.spec.engineered])
        html_text = step_html(self.backward, self.step, names, self._origin(), waiting)
        if html_text != self._shown:
            self._shown = html_text
            bar = self.text.verticalScrollBar()
            at = bar.value()
            self.text.setHtml(html_text)
            bar.setValue(at)  # a live update must not jump the reader back to the top
        self._enable()

    def _not_ready(self) -> None:
        self.backward = self.step = None
        self._key = self._requested = self._requested_for = None
        self._shown = ""
        self.text.setPlainText(NOT_READY)
        self.overlay.hide(self.editor.view)
        self._enable()

    def _enable(self) -> None:
        running = self.controller.running
        self.step_button.setEnabled(self.step is not None and not running)
        self.step_button.setToolTip(STEP_TIP if not running else
                                    "Pause training to take a step by hand.")

    @Slot()
    def _on_target_changed(self, *_) -> None:
        if self._state is not None:
            self.show_state(self._state)

    @Slot(str, object)
    def _on_settings_changed(self, *_) -> None:
        """A new learning rate, optimizer, …: the update shown changes with it."""
        self._settings += 1
        if self._state is not None and self.isVisible():
            self.show_state(self._state)

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self._enable()
        if not running and self._state is not None and self.isVisible():
            self.show_state(self.insights.state())  # the update, for the new weights

    def hideEvent(self, event) -> None:
        """Closed (or behind another tab): the editor shows the weights again."""
        super().hideEvent(event)
        self.overlay.hide(self.editor.view)
