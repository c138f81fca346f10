"""The Runs view: every run of the session in a sortable table, to compare, overlay
on the plots, restore or remove."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.ui.runs.runs_model import SORT_ROLE, RunsModel


class RunsView(QWidget):
    def __init__(self, tracker, parent=None, regression: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("runList")
        self.setMinimumWidth(420)  # the metrics columns and a readable part of the names
        self.tracker = tracker
        self.model = RunsModel(tracker, self, regression)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)

        self.table = QTableView(objectName="runTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per run: names elide, rows stay even
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_double_clicked)
        for key in (QKeySequence.StandardKey.Delete, QKeySequence(Qt.Key.Key_Backspace)):
            shortcut = QShortcut(key, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.remove_selected)

        self.restore_button = QPushButton("Restore", objectName="restoreRunButton")
        self.restore_button.setToolTip("Make the selected run's network and settings current "
                                       "again (Ctrl+Z undoes it)")
        self.restore_button.clicked.connect(self.restore_selected)
        self.remove_button = QPushButton("Remove", objectName="removeRunButton")
        self.remove_button.setToolTip("Remove the selected run from the list (Delete; "
                                      "Ctrl+Z brings it back)")
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = QLabel(objectName="runMessage")
        self.message.setWordWrap(True)
        hint = QLabel("Every network you train is a run. Tick a run to draw its validation "
                      "curves (dashed) on the plots; double-click it to bring it back.")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.message, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(hint)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)

        tracker.changed.connect(self.refresh)
        tracker.message.connect(self.message.setText)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()

    def show_state(self, state) -> None:
        """The current run's metrics move as it trains (called ≤4×/s while visible)."""
        self.refresh(every_row=False)

    @Slot()
    def refresh(self, every_row: bool = True) -> None:
        selected = self.selected_number()
        if self.model.refresh(every_row) and selected is not None:
            self.select(selected)  # rows came or went: keep the same run selected
        self._update_buttons()

    def selected_number(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.run_at(self.proxy.mapToSource(rows[0]).row()).number

    def select(self, number: int) -> None:
        row = self.model.row_of(number)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect |
            QItemSelectionModel.SelectionFlag.Rows)

    @Slot()
    def restore_selected(self) -> None:
        number = self.selected_number()
        if number is not None:
            self.tracker.restore(number)

    @Slot()
    def remove_selected(self) -> None:
        number = self.selected_number()
        if number is not None:
            self.tracker.remove(number)
            self.message.setText(f"Run {number} removed (Ctrl+Z brings it back).")

    @Slot(object)
    def _on_double_clicked(self, index) -> None:
        self.tracker.restore(self.model.run_at(self.proxy.mapToSource(index).row()).number)

    @Slot()
    def _update_buttons(self, *_) -> None:
        chosen = self.selected_number() is not None
        self.restore_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
