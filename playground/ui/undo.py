"""Undoable network edits.

Each architecture edit (and each Reset) makes a new *generation*: a fresh model
in the training thread. The previous generation's trainer stays cached there,
so undoing brings back the previous network with its trained weights and curves.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class SwitchNetwork(QUndoCommand):
    def __init__(self, window, old: tuple[int, object], new: tuple[int, object],
                 text: str) -> None:
        super().__init__(text)
        self._window = window
        self._old, self._new = old, new

    def redo(self) -> None:
        self._window.switch_generation(*self._new)

    def undo(self) -> None:
        self._window.switch_generation(*self._old)
