"""Every question the window asks a person goes through here.

Tests replace `MainWindow.dialogs` with a scripted fake, so a modal dialog can
never block the test suite (or CI) waiting for a click.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


class Dialogs:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def about(self, title: str, text: str) -> None:
        QMessageBox.about(self.parent, title, text)

    def ask(self, title: str, text: str, buttons=("Yes", "No")) -> str | None:
        """The text of the button the person chose, or None if they closed the box."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        made = {box.addButton(b, QMessageBox.ButtonRole.ActionRole): b for b in buttons}
        box.exec()
        return made.get(box.clickedButton())

    def number(self, title: str, label: str, value: float, low: float, high: float,
               decimals: int = 2) -> float | None:
        """A number from the person, or None if they cancelled."""
        got, ok = QInputDialog.getDouble(self.parent, title, label, value, low, high, decimals)
        return got if ok else None

    def open_file(self, title: str, filters: str, folder: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return path or None

    def choose_folder(self, title: str, folder: str = "") -> str | None:
        path = QFileDialog.getExistingDirectory(self.parent, title, folder)
        return path or None

    def save_file(self, title: str, filters: str, suggested: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return path or None
