"""Undoable network edits.

Each architecture edit (and each Reset) makes a new *generation*: a fresh model
in the training thread. The previous generation's trainer stays cached there,
so undoing brings back the previous network with its trained weights and curves.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class SwitchNetwork(QUndoCommand):
    def __init__(self, session, old: tuple[int, object], new: tuple[int, object],
                 text: str) -> None:
        super().__init__(text)
        self._session = session
        self._old, self._new = old, new

    def redo(self) -> None:
        self._session.switch_network(*self._new)

    def undo(self) -> None:
        self._session.switch_network(*self._old)


class RestoreRun(QUndoCommand):
    """Bring an earlier run's network and settings back (its weights too when the
    training thread still keeps its generation, or from `project`, e.g. a variant
    continued alone); undo goes back to what was current."""

    def __init__(self, session, controls, old: tuple[int, object, object],
                 new: tuple[int, object, object], text: str, project=None) -> None:
        super().__init__(text)
        self._session, self._controls = session, controls
        self._old, self._new = old, new  # (generation, spec, config)
        self._project = project  # the new network's state, when it is not yet a generation

    def _switch(self, generation, spec, config, project=None) -> None:
        self._controls.set_config(config)  # the new network starts with the panel's
        self._session.switch_network(generation, spec, project)

    def redo(self) -> None:
        self._switch(*self._new, self._project)

    def undo(self) -> None:
        self._switch(*self._old)


class RemoveRun(QUndoCommand):
    def __init__(self, tracker, number: int, text: str) -> None:
        super().__init__(text)
        self._tracker, self._number = tracker, number
        self._taken = None  # (index, run) while removed

    def redo(self) -> None:
        self._taken = self._tracker.take(self._number)

    def undo(self) -> None:
        self._tracker.put_back(*self._taken)
