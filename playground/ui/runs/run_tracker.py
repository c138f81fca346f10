"""The window's run list: follows training, and restores, removes and overlays runs.

Following costs one lookup per update from the training thread (a run keeps a
reference to the curves the window already extends); everything else happens
only when a person acts, or when the Runs view (runs_view.py) is open.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from playground.core.training.history import History
from playground.core.training.runs import Run, RunList
from playground.ui.training.training_worker import MAX_CACHED_TRAINERS
from playground.ui.undo import RemoveRun, RestoreRun


class RunTracker(QObject):
    changed = Signal()  # a run was added or removed, or the list replaced (not per epoch)
    message = Signal(str)  # what a restore did, in words

    def __init__(self, session, controls, plots, controller, undo_stack) -> None:
        super().__init__(session)
        self.session, self.controls, self.plots = session, controls, plots
        self.controller, self.undo_stack = controller, undo_stack
        self.runs = RunList()
        self.overlaid: set[int] = set()  # run numbers drawn on the plots

    def follow(self, generation: int, history: History) -> None:
        """After each update: the current generation's run starts or follows `history`."""
        count = len(self.runs)
        self.runs.track(generation, self.session.spec, self.controls.applied(), history)
        if len(self.runs) != count:
            self.changed.emit()

    def settings_changed(self) -> None:
        """A live setting changed: the current run records it."""
        self.runs.update_config(self.session.generation, self.controls.applied())

    def current(self) -> Run | None:
        return self.runs.for_generation(self.session.generation)

    # --- overlays ---------------------------------------------------------------------
    def set_overlaid(self, number: int, on: bool) -> None:
        run = self.runs.by_number(number)
        if on and run is not None:
            self.overlaid.add(number)
            self.plots.show_overlay(number, f"Run {number}", run.history)
        else:
            self.overlaid.discard(number)
            self.plots.hide_overlay(number)

    # --- restore and remove (undoable) --------------------------------------------------
    def restore(self, number: int) -> str:
        """Make run `number`'s network and settings current; says what was brought back."""
        s = self.session
        run = self.runs.by_number(number)
        if run is None:
            return ""
        if run.generation == s.generation:
            text = f"Run {number} is the current network."
        else:
            kept = run.generation is not None and self.controller.has_trainer(run.generation)
            target = run.generation if kept else s.take_generation()
            self.controller.pause()
            self.undo_stack.push(RestoreRun(s, self.controls,
                                            (s.generation, s.spec, self.controls.config()),
                                            (target, run.spec, run.config),
                                            f"Restore run {number}"))
            if kept:
                text = f"Run {number} restored, with its trained weights and curves."
            elif run.generation is None:
                text = (f"Run {number}'s network and settings are back, untrained: a project "
                        "file keeps the weights of its current network only.")
            else:
                text = (f"Run {number}'s network and settings are back, untrained: its "
                        f"weights were not kept (only the last {MAX_CACHED_TRAINERS} networks "
                        "are).")
        s.show_message(text, 15000)
        self.message.emit(text)
        return text

    def remove(self, number: int) -> None:
        if self.runs.by_number(number) is not None:
            self.undo_stack.push(RemoveRun(self, number, f"Remove run {number}"))

    def take(self, number: int) -> tuple[int, Run]:
        taken = self.runs.remove(number)
        self.set_overlaid(number, False)
        self.changed.emit()
        return taken

    def put_back(self, index: int, run: Run) -> None:
        self.runs.insert(index, run)
        self.changed.emit()

    # --- projects ------------------------------------------------------------------------
    def saved(self):
        return self.runs.to_saved(self.session.generation)

    def load(self, saved, current_history: History, generation: int) -> None:
        """The runs of an opened project (or none, for a new one)."""
        for number in list(self.overlaid):
            self.set_overlaid(number, False)
        self.runs = RunList.from_saved(saved, current_history, generation)
        self.changed.emit()
