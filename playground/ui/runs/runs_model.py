"""The table behind the Runs view: one row per run, with its final and best metrics.

Summaries are computed in `refresh` (a few times a second at most, and only
while the view is open), never in `data`, which Qt calls for every cell it
paints.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont

from playground.core.training.runs import Run, RunSummary
from playground.ui.runs.run_overlays import overlay_colour

# Short headers keep the names readable in a narrow dock; the tooltips say them in full.
COLUMNS = ("Run", "Network", "Epochs", "Val. loss", "Best", "Val. acc.", "Best")
HEADER_TIPS = ("The run's number; tick to draw its validation curves on the plots",
               "Layer widths, hidden activations, optimizer and learning rate",
               "Epochs trained", "Validation loss at the last epoch",
               "Lowest validation loss of any epoch", "Validation accuracy at the last epoch",
               "Highest validation accuracy of any epoch")
# Regression keeps R² where classification keeps accuracy (the same history slots).
REGRESSION_COLUMNS = {5: "Val. R²"}
REGRESSION_TIPS = {5: "Validation R² at the last epoch (1 is a perfect fit; 0 is no better "
                      "than always answering the mean)",
                   6: "Highest validation R² of any epoch"}
SORT_ROLE = Qt.ItemDataRole.UserRole
EPOCHS = 2
LOSSES = {3: "final_val_loss", 4: "best_val_loss"}
ACCURACIES = {5: "final_val_accuracy", 6: "best_val_accuracy"}


class RunsModel(QAbstractTableModel):
    def __init__(self, tracker, parent=None, regression: bool = False) -> None:
        super().__init__(parent)
        self.tracker = tracker
        self.regression = regression
        self._runs: list[Run] = []
        self._summaries: list[RunSummary] = []
        self._current: int | None = None  # the number of the run now training

    def refresh(self, every_row: bool = True) -> bool:
        """Catch up with the run list; True when rows came or went (selection is lost).

        `every_row=False` (the periodic refresh while training) announces only the rows
        whose figures or current-run mark changed: the view asks `data` again for each
        announced cell and role, in Python, and with every row announced that grew with
        the number of runs (eleven runs took the GUI timer's p99 lateness from 8 to
        18 ms while training)."""
        runs = list(self.tracker.runs)
        current = self.tracker.current()
        was_current, self._current = self._current, current.number if current else None
        if [r.number for r in runs] != [r.number for r in self._runs]:
            self.beginResetModel()
            self._runs, self._summaries = runs, [r.summary() for r in runs]
            self.endResetModel()
            return True
        old, self._summaries = self._summaries, [r.summary() for r in runs]
        last = len(COLUMNS) - 1
        for row, run in enumerate(runs):
            if every_row or old[row] != self._summaries[row] or \
                    was_current != self._current and run.number in (was_current, self._current):
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        return False

    def run_at(self, row: int) -> Run:
        return self._runs[row]

    def row_of(self, number: int) -> int | None:
        return next((i for i, r in enumerate(self._runs) if r.number == number), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self.regression:
                return REGRESSION_COLUMNS.get(section, COLUMNS[section])
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.regression:
                return REGRESSION_TIPS.get(section, HEADER_TIPS[section])
            return HEADER_TIPS[section]
        return None

    def flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        run, summary, column = self._runs[index.row()], self._summaries[index.row()], \
            index.column()
        overlaid = run.number in self.tracker.overlaid
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(run, summary, column, self.regression)
        if role == SORT_ROLE:
            return self._sort_value(run, summary, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if overlaid else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and overlaid:
            return overlay_colour(run.number)  # the colour of its dashed curves
        if role == Qt.ItemDataRole.FontRole and run.number == self._current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column <= 1:
                state = " (the current network)" if run.number == self._current else ""
                return f"{run.name}{state}\nTick to draw its validation curves, dashed."
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= EPOCHS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        self.tracker.set_overlaid(self._runs[index.row()].number, on)
        self.dataChanged.emit(index, index)
        return True

    @staticmethod
    def _text(run: Run, summary: RunSummary, column: int, regression: bool = False) -> str:
        if column == 0:
            return str(run.number)
        if column == 1:  # the name says the number again; the column before shows it
            return run.name.removeprefix(f"Run {run.number}: ")
        if column == EPOCHS:
            return f"{summary.epochs:,}"
        if column in LOSSES:
            value = getattr(summary, LOSSES[column])
            return f"{value:.4f}" if math.isfinite(value) else "—"
        value = getattr(summary, ACCURACIES[column])
        if not math.isfinite(value):
            return "—"
        return f"{value:.3f}" if regression else f"{100 * value:.1f} %"

    @staticmethod
    def _sort_value(run: Run, summary: RunSummary, column: int) -> float | str:
        """Numbers to sort by; a missing (NaN) loss sorts as the worst."""
        if column == 0:
            return float(run.number)
        if column == 1:
            return run.name
        if column == EPOCHS:
            return float(summary.epochs)
        if column in LOSSES:
            value = getattr(summary, LOSSES[column])
            return value if math.isfinite(value) else math.inf
        value = getattr(summary, ACCURACIES[column])
        return value if math.isfinite(value) else -math.inf  # R² can be below −1
