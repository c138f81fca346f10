"""The window's side of a project: the current one captured, a loaded one shown, another
data set taken in, a new project started. ProjectFile (the File menu) decides when.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from playground.core.data.dataset import Dataset
from playground.core.network.spec import default_spec
from playground.core.training.config import TrainingConfig
from playground.core.training.history import History
from playground.ui.prediction.prediction_panel import PredictionPanel


class ProjectView(QObject):
    def __init__(self, session, controls, controller, runs, undo_stack, prediction_dock,
                 activate) -> None:
        """`activate()`: send the pending network to the training thread now."""
        super().__init__(session)
        self.session, self.controls, self.controller = session, controls, controller
        self.runs, self.undo_stack = runs, undo_stack
        self.prediction_dock, self._activate = prediction_dock, activate

    def capture(self):
        """The current network, settings, weights, curves and prediction input."""
        self._activate()
        s = self.session
        project = self.controller.export_project(
            s.dataset, {"prediction_input": [float(v) for v in s.prediction.values()]})
        project.runs = self.runs.saved()
        return project

    def apply(self, project) -> None:
        """Show a loaded project; raises ProjectError (changing nothing) if it does not fit."""
        from playground.core.files.project import check_dataset_fits

        s = self.session
        check_dataset_fits(project, s.dataset)
        self.controls.set_config(project.config)
        self.undo_stack.clear()
        s.switch_network(s.take_generation(), project.spec, project)
        self.runs.load(project.runs, History.from_arrays(project.history()), s.generation)
        values = project.extras.get("prediction_input")
        if isinstance(values, list) and len(values) == s.spec.n_inputs and all(
                isinstance(v, int | float) and np.isfinite(v) for v in values):
            s.prediction.set_values(np.array(values, dtype=np.float64))

    def use_dataset(self, dataset: Dataset) -> None:
        """Another data set: its own inputs and outputs, a fresh default network (the undo
        history is cleared: its networks do not fit the new data)."""
        s = self.session
        old = s.prediction
        s.set_prediction_panel(PredictionPanel(dataset))
        self.prediction_dock.setWidget(s.prediction)
        old.setParent(None)  # gone from the window now, not at the next event loop
        old.deleteLater()
        s.set_dataset(dataset)  # the views follow, each in its _on_dataset_changed
        self.reset()

    def reset(self) -> None:
        """A new project: the default network and settings, untrained."""
        s = self.session
        self.controls.set_config(TrainingConfig())
        self.undo_stack.clear()
        s.switch_network(s.take_generation(),
                         default_spec(s.dataset.n_features, s.dataset.n_outputs))
        self.runs.load((), History(), s.generation)
        s.prediction.set_values(s.dataset.example_vector())
