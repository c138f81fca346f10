"""Rows of the data set in a table: the data explorer's whole table and the confusion
matrix's list of the penguins in one cell.

A model over the data set's arrays, not a widget item per cell: Qt asks for the
few cells on screen, and sorting is one numpy argsort.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from playground.core.data.dataset import Dataset
from playground.ui import theme

MISSING = "missing"


class DatasetTableModel(QAbstractTableModel):
    """Columns: data-set row number, species (or a regression target's value), then each
    feature in raw units."""

    def __init__(self, dataset: Dataset, rows: np.ndarray | None = None, parent=None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self._rows = np.arange(len(dataset)) if rows is None else np.asarray(rows, np.int64)
        label = dataset.nouns[1]
        self._headers = ["#", label[:1].upper() + label[1:]] + [f.label for f in dataset.features]
        self._colours = [QColor(c) for c in theme.class_colours(dataset.n_classes)]
        self._regression = dataset.is_regression
        self._sorted = (0, Qt.SortOrder.AscendingOrder)

    # --- what is shown ------------------------------------------------------------------
    def rows(self) -> np.ndarray:
        """Data-set row numbers, in the order shown."""
        return self._rows

    def set_rows(self, rows: np.ndarray) -> None:
        """Show these data-set rows (kept in the current sort order)."""
        rows = np.asarray(rows, dtype=np.int64)
        if np.array_equal(np.sort(rows), np.sort(self._rows)):
            return  # nothing changed: keep the selection and the scroll position
        self.beginResetModel()
        self._rows = rows[self._order(rows, *self._sorted)]
        self.endResetModel()

    def dataset_row(self, table_row: int) -> int:
        return int(self._rows[table_row])

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 0:
                return f"The {self.dataset.nouns[0]}'s row in the data set (click to sort)"
            if section == 1 and self._regression:
                return (f"{self._headers[1]}: the value to predict (click to sort "
                        "from lowest to highest)")
            return f"{self._headers[section]} (click to sort)"
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        row, col = int(self._rows[index.row()]), index.column()
        d = self.dataset
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row + 1)
            if col == 1 and not self._regression:
                return d.class_names[int(d.y[row])]
            value = float(d.y[row]) if col == 1 else float(d.x[row, col - 2])
            return MISSING if math.isnan(value) else f"{value:g}"
        if role == Qt.ItemDataRole.TextAlignmentRole and (col != 1 or self._regression):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and col == 1 and not self._regression:
            return self._colours[int(d.y[row])]  # a swatch of the species' colour
        if role == Qt.ItemDataRole.ForegroundRole and col >= 2 and math.isnan(d.x[row, col - 2]):
            return theme.muted_text()
        return None

    # --- sorting ------------------------------------------------------------------------
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._rows = before[self._order(before, column, order)]
        # Keep the selection on the same penguins: map each persistent index to its new row.
        position = np.empty(len(self.dataset), dtype=np.int64)
        position[self._rows] = np.arange(len(self._rows))
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(int(position[before[i.row()]]), i.column()) for i in old])
        self.layoutChanged.emit()

    def _order(self, rows: np.ndarray, column: int, order) -> np.ndarray:
        d = self.dataset
        if column == 0:
            keys = rows
        elif column == 1 and self._regression:
            keys = d.y[rows]  # by value
        elif column == 1:
            # Alphabetical by species name, ties by row number
            by_name = np.argsort(np.argsort(np.array(d.class_names, dtype=object)))
            keys = by_name[d.y[rows]]
        else:
            keys = d.x[rows, column - 2]  # NaN (missing) sorts last
        positions = np.argsort(keys, kind="stable")
        return positions[::-1] if order == Qt.SortOrder.DescendingOrder else positions


class PenguinTable(QTableView):
    """A sortable table of penguins; choosing one (click or arrow keys; Enter or
    double-click to choose the current one again) emits `rowChosen(data-set row)`."""

    rowChosen = Signal(int)

    def __init__(self, model: DatasetTableModel, parent=None) -> None:
        super().__init__(parent)
        model.setParent(self)  # setModel does not take ownership; Python would free it
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._chosen: int | None = None
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.activated.connect(self._on_activated)
        model.modelReset.connect(self._forget_chosen)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Sorting moves the current row without a new choice, and a reset of the rows
        # clears it: neither should reload a penguin the person may have edited since.
        if current.isValid():
            row = self.model().dataset_row(current.row())
            if row != self._chosen:
                self._chosen = row
                self.rowChosen.emit(row)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        self._chosen = self.model().dataset_row(index.row())
        self.rowChosen.emit(self._chosen)

    @Slot()
    def _forget_chosen(self) -> None:
        self._chosen = None
