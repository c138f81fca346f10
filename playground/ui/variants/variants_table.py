"""The variants' table: each one's colour and values, its final and best validation
loss and accuracy (R² for regression). Sortable by any column; a click selects one."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from playground.core.training.runs import summarize
from playground.ui.variants.variants_curves import variant_colour

REFRESH_S = 0.5  # the figures change every update; reading them needs them still a moment


class _Cell(QTableWidgetItem):
    """Sorted by its number (NaN last), shown formatted."""

    def __init__(self, text: str = "", value: float = math.nan) -> None:
        super().__init__(text)
        self.value = value

    def set(self, value: float, digits: int) -> None:
        self.value = value
        self.setText("—" if not math.isfinite(value) else f"{value:.{digits}f}")

    def __lt__(self, other) -> bool:
        a, b = self.value, getattr(other, "value", math.nan)
        if isinstance(a, str) or isinstance(b, str):
            return str(a) < str(b)
        return (math.isnan(a), a) < (math.isnan(b), b)


class VariantsTable(QTableWidget):
    selected = Signal(object)  # the variant's index, or None

    def __init__(self, parent=None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("variantsTable")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setSortingEnabled(True)
        self._cells: list[list[_Cell]] = []
        self._refreshed = 0.0
        self.itemSelectionChanged.connect(self._on_selection)
        self.set_variants([], None, False)

    def set_variants(self, variants, curves, regression: bool) -> None:
        score = "R²" if regression else "acc"
        self.setHorizontalHeaderLabels(["", "variant", "epochs", "val loss", "best loss",
                                        f"val {score}", f"best {score}"])
        self.setSortingEnabled(False)
        self.setRowCount(len(variants))
        self._cells = []
        for j, v in enumerate(variants):
            swatch = _Cell("", j)
            pixmap = QPixmap(12, 12)
            pixmap.fill(variant_colour(j, len(variants)))
            swatch.setIcon(QIcon(pixmap))  # an icon keeps its colour when the row is selected
            swatch.setData(Qt.ItemDataRole.UserRole, j)
            name = _Cell(v.label, v.label)
            name.setData(Qt.ItemDataRole.UserRole, j)
            row = [swatch, name, *(_Cell() for _ in range(5))]
            for column, cell in enumerate(row):
                if column >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.setItem(j, column, cell)
            self._cells.append(row)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the variants' own order
        # Fixed widths: fitting the columns to their contents measured every cell at each
        # refresh, and laid the dialog out again whenever a figure grew a digit.
        header = self.horizontalHeader()
        digits = self.fontMetrics().horizontalAdvance("0")
        for column, width in enumerate((3, 0, 9, 10, 10, 9, 9)):
            if width:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                self.setColumnWidth(column, width * digits + 12)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def refresh(self, histories, diverged, force: bool = False) -> bool:
        """The figures of every variant, at most twice a second unless `force`; says
        whether it refreshed."""
        now = time.perf_counter()
        if not force and now - self._refreshed < REFRESH_S:
            return False
        self._refreshed = now
        self.setSortingEnabled(False)  # rows would move under the updates
        for j, (history, row) in enumerate(zip(histories, self._cells, strict=True)):
            s = summarize(history)
            row[2].set(s.epochs, 0)
            for cell, value, digits in ((row[3], s.final_val_loss, 4),
                                        (row[4], s.best_val_loss, 4),
                                        (row[5], s.final_val_accuracy, 3),
                                        (row[6], s.best_val_accuracy, 3)):
                cell.set(value, digits)
            row[1].setToolTip(diverged[j] or "")
            if diverged[j]:
                row[2].setText(f"{s.epochs} ⚠")
                row[2].setToolTip(diverged[j])
        self.setSortingEnabled(True)
        return True

    def selected_variant(self) -> int | None:
        rows = self.selectionModel().selectedRows(0) if self.selectionModel() else []
        if not rows:
            return None
        return self.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_variant(self, j: int) -> None:
        self.selectRow(self.row(self._cells[j][0]))

    @Slot()
    def _on_selection(self) -> None:
        self.selected.emit(self.selected_variant())
