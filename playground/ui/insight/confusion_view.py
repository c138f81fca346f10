"""The confusion matrix of the validation set, with per-class precision and recall.

Rows are the true species, columns the predicted one; the last row holds each
predicted class's precision, the last column each true class's recall. Clicking a
cell lists its penguins; choosing one loads it into the prediction panel.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.dataset import Dataset
from playground.core.training.metrics import (
    accuracy,
    cell_members,
    confusion_matrix,
    per_class_precision,
    per_class_recall,
)
from playground.ui import theme
from playground.ui.files.data_table import DatasetTableModel, PenguinTable
from playground.ui.insight.insight_views import ModelState

SHADE = 0.8  # the fullest cell's share of the accent colour; the rest is the background


def _percent(x: float) -> str:
    return "—" if np.isnan(x) else f"{100 * x:.0f} %"


def swatch(colour) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class ConfusionView(QWidget):
    """Emits `rowChosen(data-set row)` when a row in a cell's list is chosen."""

    rowChosen = Signal(int)

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.dataset = dataset
        self.n = dataset.n_classes
        # "penguin"/"species" for the penguins; "sample"/"class" for other data sets
        self.one, self.kind = dataset.nouns
        self.many = f"{self.one}s"
        self._snapshot = self._split = None  # what the shown numbers were computed from
        self._truth = self._predicted = self._val_index = None
        self._matrix: np.ndarray | None = None
        self._cell: tuple[int, int] | None = None

        self.summary = QLabel(objectName="confusionSummary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip(f"Accuracy: the share of validation {self.many} whose "
                                f"{self.kind} the network predicts correctly")
        self.matrix = self._build_matrix()
        self.matrix.currentCellChanged.connect(self._on_current_cell_changed)
        self.matrix.cellActivated.connect(self._on_cell_activated)

        self.members_label = QLabel(f"Click a cell to list its {self.many}.",
                                    objectName="confusionMembersLabel")
        self.members_label.setWordWrap(True)
        self.members = PenguinTable(DatasetTableModel(dataset, rows=[]))
        self.members.setObjectName("confusionMembers")
        self.members.setToolTip(f"The {self.many} in the chosen cell, with their "
                                "measurements. Choose one to load it into the prediction "
                                "panel.")
        self.members.rowChosen.connect(self.rowChosen)

        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.matrix)
        box.addWidget(self.members_label)
        box.addWidget(self.members, 1)

    def _build_matrix(self) -> QTableWidget:
        n, names = self.n, self.dataset.class_names
        table = QTableWidget(n + 1, n + 1, objectName="confusionMatrix")
        table.setToolTip(f"Rows: the true {self.kind}. Columns: the {self.kind} the network "
                         "predicts. Click a cell (or move with the arrow keys) to list "
                         f"its {self.many}; Enter goes to the list.")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        colours = theme.class_colours(n)
        for axis, (setter, what) in enumerate(((table.setHorizontalHeaderItem, "predicted"),
                                               (table.setVerticalHeaderItem, "true"))):
            for k, name in enumerate(names):
                item = QTableWidgetItem(swatch(colours[k]), name)
                item.setToolTip(f"{what.capitalize()} {self.kind}: {name}")
                setter(k, item)
            last = QTableWidgetItem("Recall" if axis == 0 else "Precision")
            last.setToolTip(
                f"Recall: of the {self.many} of this true {self.kind}, the share predicted "
                "correctly" if axis == 0 else
                f"Precision: of the {self.many} predicted as this {self.kind}, the share "
                "that are")
            setter(n, last)
        # Columns share the width but never squeeze a species name; rows keep their height.
        columns = table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        columns.setMinimumSectionSize(
            max(table.fontMetrics().horizontalAdvance(t) for t in (*names, "Recall")) + 30)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for i in range(n + 1):
            for j in range(n + 1):
                item = QTableWidgetItem("—")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i == n or j == n:  # the precision row and the recall column
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                table.setItem(i, j, item)
        table.item(n, n).setText("")
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + (n + 1) * table.verticalHeader().defaultSectionSize())
        table.setMinimumWidth(table.verticalHeader().sizeHint().width() + 2 * table.frameWidth()
                              + (n + 1) * columns.minimumSectionSize())
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    # --- numbers ------------------------------------------------------------------------
    def show_state(self, state: ModelState) -> None:
        if state.snapshot is self._snapshot and state.split is self._split:
            return  # only the prediction panel's input changed: nothing here depends on it
        self._snapshot, self._split = state.snapshot, state.split
        self._val_index = state.split.val_index
        probabilities = state.probabilities(state.dataset.x[self._val_index])
        if probabilities is None:
            self._truth = self._predicted = None
            self._show_matrix(None, state.epoch)
        else:
            self._truth = state.dataset.y[self._val_index]
            self._predicted = probabilities.argmax(axis=1)
            self._show_matrix(confusion_matrix(self._truth, self._predicted, self.n),
                              state.epoch)
        self._show_members()

    def counts(self) -> np.ndarray | None:
        """The matrix as shown (None before the network exists)."""
        return None if self._matrix is None else self._matrix.copy()

    def _show_matrix(self, matrix: np.ndarray | None, epoch: int) -> None:
        if matrix is None:
            self.summary.setText("The network is being built…")
        else:
            total = int(matrix.sum())
            self.summary.setText(
                f"Validation set, epoch {epoch:,}: <b>{_percent(accuracy(matrix))}</b> "
                f"correct ({int(np.trace(matrix))} of {total} {self.many})")
        if matrix is not None and self._matrix is not None and \
                np.array_equal(matrix, self._matrix):
            return  # the cells already show these counts
        self._matrix = matrix
        n, table, names = self.n, self.matrix, self.dataset.class_names
        if matrix is None:
            for i in range(n + 1):
                for j in range(n + 1):
                    if (i, j) != (n, n):
                        table.item(i, j).setText("—")
            return
        rows = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        share = matrix / rows
        base = theme.background()
        good, bad = theme.positive(), theme.negative()
        for i in range(n):
            for j in range(n):
                item = table.item(i, j)
                count = int(matrix[i, j])
                fill = theme.blend(base, good if i == j else bad, SHADE * share[i, j])
                item.setText(str(count))
                item.setBackground(QBrush(fill))
                item.setForeground(QBrush(theme.readable_on(fill)))
                item.setToolTip(
                    f"{count} {names[i]} {self.one}{'s' * (count != 1)} predicted as {names[j]}"
                    f" ({_percent(share[i, j])} of the {int(matrix[i].sum())} {names[i]} in "
                    "the validation set). Click to list them.")
        precision, recall = per_class_precision(matrix), per_class_recall(matrix)
        for k in range(n):
            table.item(n, k).setText(_percent(precision[k]))
            table.item(n, k).setToolTip(
                f"Precision for {names[k]}: {int(matrix[k, k])} of the "
                f"{int(matrix[:, k].sum())} {self.many} predicted as {names[k]} are {names[k]}")
            table.item(k, n).setText(_percent(recall[k]))
            table.item(k, n).setToolTip(
                f"Recall for {names[k]}: {int(matrix[k, k])} of the "
                f"{int(matrix[k].sum())} {names[k]} are predicted as {names[k]}")

    def precision_recall(self) -> tuple[list[str], list[str]]:
        """The precision row and the recall column as shown."""
        n = self.n
        return ([self.matrix.item(n, k).text() for k in range(n)],
                [self.matrix.item(k, n).text() for k in range(n)])

    # --- the chosen cell's penguins -------------------------------------------------------
    @Slot(int, int, int, int)
    def _on_current_cell_changed(self, row: int, column: int, *_previous) -> None:
        self._cell = (row, column) if 0 <= row < self.n and 0 <= column < self.n else None
        self._show_members()

    @Slot(int, int)
    def _on_cell_activated(self, row: int, column: int) -> None:
        if self._cell is not None and self.members.model().rowCount():
            self.members.setFocus()
            self.members.selectRow(0)

    def _show_members(self) -> None:
        model: DatasetTableModel = self.members.model()
        if self._cell is None or self._predicted is None:
            model.set_rows([])
            self.members_label.setText(f"Click a cell to list its {self.many}.")
            return
        i, j = self._cell
        names = self.dataset.class_names
        rows = self._val_index[cell_members(self._truth, self._predicted, i, j)]
        model.set_rows(rows)
        verdict = "correctly" if i == j else "wrongly"
        self.members_label.setText(
            f"{len(rows)} {names[i]} {self.one}{'s' * (len(rows) != 1)} {verdict} predicted as "
            f"{names[j]}" + (" — choose one to load it into the prediction panel:"
                             if len(rows) else "."))
