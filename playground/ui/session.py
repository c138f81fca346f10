"""What the window shows, in one place: the data set, the current network and its split,
the latest weights, and the prediction panel that holds the input; and the seams every
part shares: the dialogs (questions to the person) and the long tasks on threads.

Views and helpers take the session, read its attributes, and subscribe to its
signals in their constructors (small `_on_*` methods), as napari's views do with
their layers; none of them reaches into the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from playground.core.data.dataset import Dataset
from playground.core.data.split import prepare
from playground.core.network.spec import NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.ui.threads.background import Background


class Session(QObject):
    datasetChanged = Signal(object)  # the new Dataset (its default network follows)
    networkChanged = Signal(int, object, object)  # generation, NetworkSpec, project or None
    snapshotChanged = Signal(object)  # the latest weights (a WeightSnapshot), or None
    predictionPanelChanged = Signal(object)  # the panel made for a new data set
    message = Signal(str, int)  # a line for the status bar, and for how many ms

    def __init__(self, dataset: Dataset, spec: NetworkSpec,
                 config: Callable[[], TrainingConfig], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self.spec = spec
        self.generation = 0
        self.split = None  # the current network's split (core/split.py), once it has one
        self.snapshot = None
        self.epoch = 0
        self.prediction = None  # the PredictionPanel (a new one with each data set)
        self.background = Background(self)  # long tasks: the window stops them on closing
        self.dialogs = None  # every question to the person goes here (dialogs.py; tests fake it)
        self._config = config  # the settings the next network starts with
        self._next_generation = 1

    def take_generation(self) -> int:
        """A generation number no network has had: each edit makes a new one."""
        self._next_generation += 1
        return self._next_generation - 1

    def switch_network(self, generation: int, spec: NetworkSpec, project=None) -> None:
        """Make `generation` current (new, cached in the training thread, or the network
        of `project`), with the split of the settings it starts with."""
        config = self._config()
        self.generation, self.spec = generation, spec
        self.split = prepare(self.dataset, config.val_fraction, config.seed)
        self.networkChanged.emit(generation, spec, project)

    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.snapshot = None  # the old network's weights: they do not fit the new inputs
        self.datasetChanged.emit(dataset)

    def set_snapshot(self, snapshot) -> None:
        self.snapshot = snapshot
        self.snapshotChanged.emit(snapshot)

    def set_prediction_panel(self, panel) -> None:
        self.prediction = panel
        self.predictionPanelChanged.emit(panel)

    def show_message(self, text: str, ms: int = 0) -> None:
        self.message.emit(text, ms)
