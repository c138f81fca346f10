"""File ▸ Import Data…: preview a CSV file, choose what each column is, import it.

The preview (the first rows) is read on the GUI thread: it is small. The import
runs on its own thread (import_worker.py) with a progress bar and Cancel. The
dialog only builds an ImportPlan; core/table_import.py does the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.column_roles import detect_task
from playground.core.data.table_import import Preview, preview
from playground.core.errors import PlaygroundError
from playground.ui import theme
from playground.ui.threads.import_worker import start_import

FILTER = "Data files (*.csv *.tsv *.txt);;All files (*)"
ROLES = {"feature": "Feature", "label": "Label", "ignore": "Ignore"}
SHOWN_ROWS = 12


class ImportDialog(QDialog):
    """Emits `imported(dataset)` when an import has finished; the window takes it."""

    imported = Signal(object)

    def __init__(self, dialogs, background, parent: QWidget | None = None) -> None:
        """`background`: where the import runs (background.py)."""
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import Data")
        self.dialogs, self.background = dialogs, background
        self.table: Preview | None = None
        self.roles: dict[str, str] = {}
        self.role_boxes: dict[str, QComboBox] = {}
        self._thread = self._worker = None

        self.file_label = QLabel("No file chosen", objectName="importFileLabel")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.format_label = QLabel(objectName="importFormatLabel")
        self.format_label.setStyleSheet("color: palette(placeholder-text);")
        choose = QPushButton("Choose File…", objectName="importChooseButton")
        choose.setToolTip("A CSV file with a header row (comma, semicolon or tab between values)")
        choose.clicked.connect(self.choose_file)
        file_box = QGroupBox("File")
        file_row = QHBoxLayout(file_box)
        names = QVBoxLayout()
        names.addWidget(self.file_label)
        names.addWidget(self.format_label)
        file_row.addLayout(names, 1)
        file_row.addWidget(choose, 0, Qt.AlignmentFlag.AlignTop)

        self.columns = QTableWidget(0, 3, objectName="importColumns")
        self.columns.setHorizontalHeaderLabels(["Column", "Role", "How it will be used"])
        self._tidy(self.columns)
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rows = QTableWidget(0, 0, objectName="importPreview")
        self._tidy(self.rows)
        self.rows.setToolTip("The first rows of the file, as written")
        columns_box, rows_box = QGroupBox("Columns"), QGroupBox("First rows")
        QVBoxLayout(columns_box).addWidget(self.columns)
        QVBoxLayout(rows_box).addWidget(self.rows)

        self.drop = QRadioButton("Drop rows with a missing value", objectName="missingDrop")
        self.fill = QRadioButton("Fill gaps: the mean of a number column, the most common "
                                 "value of a text column", objectName="missingFill")
        self.drop.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.drop)
        group.addButton(self.fill)
        group.buttonToggled.connect(self._refresh)
        self.missing_label = QLabel(objectName="missingCounts")
        self.task = QComboBox(objectName="importTask")
        self.task.addItem("Classification: one class per label value", "classification")
        self.task.addItem("Regression: predict the label's number", "regression")
        self.task.setToolTip("Suggested from the label: a number with many different values "
                             "is a regression task")
        self.task.currentIndexChanged.connect(self._refresh)
        options = QGroupBox("Missing values and task")
        opt = QVBoxLayout(options)
        opt.addWidget(self.missing_label)
        opt.addWidget(self.drop)
        opt.addWidget(self.fill)
        task_row = QHBoxLayout()
        task_row.addWidget(QLabel("Task:"))
        task_row.addWidget(self.task, 1)
        opt.addLayout(task_row)

        self.summary = QLabel(objectName="importSummary")
        font = self.summary.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.summary.setFont(font)
        self.reason = QLabel(objectName="importReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {theme.warning().name()};")
        self.progress = QProgressBar(objectName="importProgress")
        self.progress.setRange(0, 1000)
        self.progress.setFormat("Reading… %p%")
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        self.ok.setObjectName("importOkButton")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("importCancelButton")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.cancel)

        box = QVBoxLayout(self)
        box.addWidget(file_box)
        box.addWidget(columns_box, 5)
        box.addWidget(rows_box, 3)
        box.addWidget(options)
        box.addWidget(self.summary)
        box.addWidget(self.reason)
        box.addWidget(self.progress)
        box.addWidget(self.buttons)
        self.resize(880, 800)
        self._refresh()

    @staticmethod
    def _tidy(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        table.setWordWrap(False)

    # --- the file ----------------------------------------------------------------------
    @Slot()
    def choose_file(self) -> bool:
        path = self.dialogs.open_file("Import data", FILTER)
        return bool(path) and self.load(path)

    def load(self, path: str) -> bool:
        """Preview `path`; a bad file is a message, and the dialog keeps what it had."""
        try:
            table = preview(path)
        except PlaygroundError as e:
            self.dialogs.error("Could not import the data", str(e))
            return False
        self.table = table
        self.file_label.setText(str(table.path.resolve()))
        rows = (f" · {len(table.rows):,} rows" if table.complete
                else f" · about {table.estimated_rows:,} rows")
        self.format_label.setText(table.format.describe() + rows)
        plan = table.default_plan()
        self.roles = {c.name: ("label" if c.name == plan.label else
                               "feature" if c.name in plan.features else "ignore")
                      for c in table.columns}
        self._fill_columns()
        self._fill_rows()
        self._set_task(plan.task)
        self._refresh()
        return True

    def _fill_columns(self) -> None:
        table = self.table
        self.columns.setRowCount(len(table.columns))
        self.role_boxes = {}
        for i, c in enumerate(table.columns):
            self.columns.setItem(i, 0, QTableWidgetItem(c.name))
            box = QComboBox(objectName=f"importRole:{c.name}")
            for role, text in ROLES.items():
                box.addItem(text, role)
            box.setCurrentIndex(list(ROLES).index(self.roles[c.name]))
            box.currentIndexChanged.connect(self._on_role_changed)
            self.columns.setCellWidget(i, 1, box)
            self.columns.setItem(i, 2, QTableWidgetItem())
            self.role_boxes[c.name] = box
        self.columns.resizeColumnsToContents()
        self.columns.setColumnWidth(1, max(self.columns.columnWidth(1), 120))
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _fill_rows(self) -> None:
        table = self.table
        names = [c.name for c in table.columns]
        self.rows.clear()
        self.rows.setColumnCount(len(names))
        self.rows.setHorizontalHeaderLabels(names)
        shown = table.rows[:SHOWN_ROWS]
        self.rows.setRowCount(len(shown))
        for r, row in enumerate(shown):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if table.columns[c].numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.rows.setItem(r, c, item)
        self.rows.resizeColumnsToContents()

    # --- roles, task and the plan ------------------------------------------------------
    def set_role(self, column: str, role: str) -> None:
        self.role_boxes[column].setCurrentIndex(list(ROLES).index(role))

    @Slot(int)
    def _on_role_changed(self, _: int) -> None:
        box = self.sender()
        name = next(n for n, b in self.role_boxes.items() if b is box)
        role = box.currentData()
        by_name = {c.name: c for c in self.table.columns}
        if role == "label":  # one label: the old one becomes a feature if it can be one
            for other, r in list(self.roles.items()):
                if r == "label" and other != name:
                    self.roles[other] = "feature" if by_name[other].usable else "ignore"
                    self._show_role(other)
            self._set_task(detect_task(by_name[name]))
        self.roles[name] = role
        self._refresh()

    def _show_role(self, name: str) -> None:
        box = self.role_boxes[name]
        box.blockSignals(True)
        box.setCurrentIndex(list(ROLES).index(self.roles[name]))
        box.blockSignals(False)

    def _set_task(self, task: str) -> None:
        self.task.blockSignals(True)
        self.task.setCurrentIndex(self.task.findData(task))
        self.task.blockSignals(False)

    def plan(self):
        if self.table is None:
            return None
        return self.table.plan_for(self.roles, self.task.currentData(),
                                   "fill" if self.fill.isChecked() else "drop")

    @Slot()
    def _refresh(self, *_) -> None:
        plan = self.plan()
        if plan is None:
            self.summary.setText("Choose a CSV file to import.")
            self.reason.hide()
            self.ok.setEnabled(False)
            self.missing_label.setText("")
            return
        for i, c in enumerate(self.table.columns):
            self.columns.item(i, 2).setText(c.describe(self.roles[c.name], plan.task))
        problem = self.table.problem(plan)
        self.summary.setText(self.table.summary(plan))
        self.reason.setText(problem or "")
        self.reason.setVisible(bool(problem))
        self.ok.setEnabled(problem is None and self._thread is None)
        self.ok.setToolTip(problem or "Import the file as the new data set")
        where = "" if self.table.complete else f" in the first {len(self.table.rows):,} rows"
        missing = self.table.missing_in(plan)
        dropped = len(self.table.rows) - self.table.kept_rows(plan)
        self.missing_label.setText(
            f"No values are missing{where}." if not missing and not dropped else
            f"{missing:,} feature values are missing{where}; "
            + (f"{dropped:,} rows will be dropped." if plan.missing == "drop" else
               f"{missing:,} gaps will be filled."))

    # --- the import ------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        plan = self.plan()
        if plan is None or self.table.problem(plan) or self._thread is not None:
            return
        self.progress.setValue(0)
        self.progress.show()
        self.ok.setEnabled(False)
        for w in (self.columns, self.drop, self.fill, self.task):
            w.setEnabled(False)
        self._thread, self._worker = start_import(str(self.table.path), plan,
                                                  self.background)
        self._worker.progressed.connect(self._on_progress)
        self._worker.imported.connect(self._on_imported)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)

    def busy(self) -> bool:
        return self._thread is not None

    @Slot()
    def cancel(self) -> None:
        """While importing: stop it (the dialog stays); else close the dialog."""
        if self._worker is not None:
            self._worker.cancel()
            self.progress.setFormat("Cancelling…")
        else:
            self.reject()

    @Slot(float)
    def _on_progress(self, share: float) -> None:
        self.progress.setValue(int(share * 1000))

    @Slot(object)
    def _on_imported(self, dataset) -> None:
        self._finish_thread()
        self.imported.emit(dataset)
        self.accept()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._finish_thread()
        self.dialogs.error("Could not import the data", message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish_thread()

    def _finish_thread(self) -> None:
        # The thread ends on its own once the worker's outcome has been sent (background.py).
        self._thread = self._worker = None
        self.progress.hide()
        self.progress.setFormat("Reading… %p%")
        for w in (self.columns, self.drop, self.fill, self.task):
            w.setEnabled(True)
        self._refresh()

    def done(self, result: int) -> None:
        if self._worker is not None:  # closed while importing: stop and wait first
            self._worker.cancel()
            self._thread.wait()
            self._finish_thread()
        super().done(result)
