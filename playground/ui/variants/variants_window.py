"""Training ▸ Train variants…: the current network trained as K variants side by side.

Choose one or two settings to vary and their values; the variants train
together on the training thread (core/variant_trainer.py) while their
validation curves grow, a colour each, and a table keeps each one's final and
best figures. "Continue with this one" makes the chosen variant the current
network, with its weights, optimizer state and curves: an undoable switch.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from playground.core.training.history import History
from playground.core.training.variants import Axis, make_variants, parse_axis
from playground.ui import theme
from playground.ui.threads.background import home_when_finished
from playground.ui.undo import RestoreRun
from playground.ui.variants.variants_curves import VariantCurves
from playground.ui.variants.variants_table import VariantsTable
from playground.ui.variants.variants_worker import VariantsRequest, VariantsWorker

# What can be varied, with the values offered first (K = 4 × 4 = 16 by default).
CHOICES = (("lr", "Learning rate", "0.003, 0.01, 0.03, 0.1"), ("seed", "Seed", "0..3"),
           ("weight_decay", "Weight decay", "0, 0.001, 0.01, 0.1"),
           ("l1", "L1", "0, 0.0001, 0.001, 0.01"), ("dropout", "Dropout", "0, 0.1, 0.3, 0.5"))


class _Requests(QObject):
    """Queued requests to the worker, which lives in the training thread."""

    start = Signal(object)
    continue_with = Signal(int)


class VariantsWindow(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("variantsWindow")
        self.setWindowTitle("Train variants")
        self.main = window
        self.resize(900, 640)
        self._histories: list[History] = []
        self._diverged: list = []
        self._variants: list = []

        grid = QGridLayout()
        self.names, self.values = [], []
        for row, (default, values) in enumerate((("lr", CHOICES[0][2]),
                                                 ("seed", CHOICES[1][2]))):
            name = QComboBox(objectName=f"varyName{row}")
            if row:
                name.addItem("(nothing)", None)
            for key, text, _ in CHOICES:
                name.addItem(text, key)
            name.setCurrentIndex(name.findData(default))
            value = QLineEdit(values, objectName=f"varyValues{row}")
            value.setToolTip("Values separated by commas; for the seed also a range, 0..7")
            name.currentIndexChanged.connect(lambda _, r=row: self._on_name_changed(r))
            value.textChanged.connect(self._update_count)
            grid.addWidget(QLabel("Vary" if row == 0 else "and"), row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(value, row, 2)
            self.names.append(name)
            self.values.append(value)
        grid.setColumnStretch(2, 1)
        self.count = QLabel(objectName="variantsCount")
        self.count.setWordWrap(True)
        self.train_button = QPushButton("Train variants", objectName="variantsTrainButton")
        self.train_button.clicked.connect(self._on_train_clicked)
        self.status = QLabel(objectName="variantsStatus")
        # Its text changes with every update: a width of its own keeps that from laying
        # out the dialog again (the plots' resize handlers are Python).
        metrics = self.status.fontMetrics()
        self.status.setFixedSize(metrics.horizontalAdvance("x" * 48), metrics.height() + 4)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.status)
        top.addWidget(self.train_button)

        self.curves = VariantCurves()
        self.table = VariantsTable()
        self.table.selected.connect(self._on_selected)
        self.continue_button = QPushButton("Continue with this one",
                                           objectName="continueVariantButton")
        self.continue_button.setToolTip("Make the selected variant the current network, "
                                        "with its weights and curves (undoable)")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._on_continue_clicked)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.curves)
        split.addWidget(self.table)
        split.setSizes([340, 220])
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.continue_button)
        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addLayout(top)
        box.addWidget(split, 1)
        box.addLayout(bottom)

        self._worker = VariantsWorker()
        thread = window.controller.training_thread()
        self._worker.moveToThread(thread)
        home_when_finished(self._worker, thread)
        self._requests = _Requests()
        self._requests.start.connect(self._worker.start)
        self._requests.continue_with.connect(self._worker.continue_with)
        self._worker.updated.connect(self._on_update)
        self._worker.failed.connect(self._on_failed)
        self._worker.continued.connect(self._on_continued)
        self.running = False
        self._update_count()

    # --- the settings -------------------------------------------------------------------
    def _on_name_changed(self, row: int) -> None:
        key = self.names[row].currentData()
        self.values[row].setEnabled(key is not None)
        suggested = next((v for k, _, v in CHOICES if k == key), "")
        self.values[row].setText(suggested)
        self._update_count()

    def axes(self) -> list[Axis]:
        return [parse_axis(f"{name.currentData()}={value.text()}")
                for name, value in zip(self.names, self.values, strict=True)
                if name.currentData() is not None]

    def planned(self) -> list:
        """The variants the settings describe (SpecError if they do not make sense)."""
        w = self.main
        return make_variants(w.spec, self._config(), self.axes())

    def _config(self):
        return self.main.controls.config()

    @Slot()
    def _update_count(self) -> None:
        try:
            k = len(self.planned())
        except ValueError as e:
            self.count.setText(f"⚠ {e}")
            self.count.setStyleSheet(f"color: {theme.warning().name()};")
            self.train_button.setEnabled(self.running)
            return
        epochs = self._config().epochs
        self.count.setText(f"{k} variant{'s' if k != 1 else ''} of the current network, "
                           f"trained together from new weights for {epochs:,} epochs on the "
                           "split of the settings' seed")
        self.count.setStyleSheet("")
        self.train_button.setEnabled(True)

    # --- training -------------------------------------------------------------------------
    @Slot()
    def _on_train_clicked(self) -> None:
        if self.running:
            self._worker.stop_event.set()  # seen between batches
            return
        try:
            variants = self.planned()
        except ValueError as e:
            self._on_failed(str(e))
            return
        w = self.main
        w.controller.pause()  # one thread trains: the variants, not the current network
        self._variants = variants
        self._histories = [History() for _ in variants]
        self._diverged = [None] * len(variants)
        regression = w.dataset.is_regression
        self.curves.set_task(regression)
        self.curves.set_variants([v.label for v in variants])
        self.table.set_variants(variants, self.curves, regression)
        self.continue_button.setEnabled(False)
        self._set_running(True)
        self._say("starting…")
        # Cleared here, before the request is queued: a Stop or a close that comes before
        # the training thread takes the request up must still stop it.
        self._worker.stop_event.clear()
        self._requests.start.emit(VariantsRequest(w.dataset, self._config(), variants))

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.train_button.setText("Stop" if running else "Train variants")
        self.train_button.setEnabled(True)
        for widget in (*self.names, *self.values):
            widget.setEnabled(not running)
        if not running:
            for row in range(len(self.names)):
                self.values[row].setEnabled(self.names[row].currentData() is not None)

    def _say(self, text: str) -> None:
        """The status line, shortened with "…" to its fixed width (the tooltip has it all)."""
        self.status.setToolTip(text)
        self.status.setText(self.status.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, self.status.width()))

    @Slot(object)
    def _on_update(self, update) -> None:
        for history, (epochs, metrics) in zip(self._histories, update.curves, strict=True):
            history.extend(epochs, **metrics)
        self._diverged = update.diverged
        self.curves.redraw(self._histories, self._diverged, every=not update.running)
        if self.table.refresh(self._histories, self._diverged, force=not update.running):
            rate = update.network_epochs_per_second  # with the table: 2 a second is plenty
            self._say(update.message or f"epoch {update.epoch:,}, "
                                        f"{rate:,.0f} network-epochs/s")
        if not update.running:
            self._set_running(False)
            self._on_selected(self.table.selected_variant())

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self._say(f"⚠ {message}")
        self.count.setText(f"⚠ {message}")  # in full: the status line is short
        self.count.setStyleSheet(f"color: {theme.warning().name()};")

    # --- continuing with one --------------------------------------------------------------
    @Slot(object)
    def _on_selected(self, j) -> None:
        self.curves.select(j)
        self.continue_button.setEnabled(
            j is not None and not self.running and self._diverged[j] is None)

    @Slot()
    def _on_continue_clicked(self) -> None:
        j = self.table.selected_variant()
        if j is not None:
            self._requests.continue_with.emit(j)

    @Slot(object, str)
    def _on_continued(self, project, label: str) -> None:
        """Switch the window to the variant: undo goes back to the network before."""
        from playground.core.errors import ProjectError
        from playground.core.files.project import check_dataset_fits

        w = self.main
        try:  # variants of another data set than the window's (opened since)
            check_dataset_fits(project, w.dataset)
        except ProjectError as e:
            self._on_failed(f"These variants were trained on another data set: {e}")
            return
        target = w.session.take_generation()
        w.controller.pause()
        w.undo_stack.push(RestoreRun(w.session, w.controls,
                                     (w.generation, w.spec, w.controls.config()),
                                     (target, project.spec, project.config),
                                     f"Continue with variant {label}", project))
        text = (f"Continuing with variant {label}: its weights, optimizer state and "
                f"{project.epoch:,} epochs of curves (Ctrl+Z goes back).")
        w.statusBar().showMessage(text, 15000)
        self._say(f"Continuing with {label} (Ctrl+Z goes back).")

    def closeEvent(self, event) -> None:
        self._worker.stop_event.set()
        super().closeEvent(event)


def summary_text(window) -> str:
    """A line for the Learn panel about the variants trained last, if any."""
    dialog = getattr(window, "variants_window", None)
    finished = [] if dialog is None else [
        (h["val_loss"][-1], v.label) for v, h in zip(dialog._variants, dialog._histories,
                                                     strict=True) if len(h)]
    if len(finished) < 2:
        return "Open Training ▸ Train variants… to see it."
    (low, best), (high, _) = min(finished), max(finished)
    return (f"Your last {len(finished)} variants ended with validation losses from "
            f"{low:.4f} ({best}) to {high:.4f}.")


def open_variants(window) -> VariantsWindow:
    """Show the window's variants dialog, made when first opened."""
    dialog = getattr(window, "variants_window", None)
    if dialog is None:
        dialog = window.variants_window = VariantsWindow(window)
    dialog.show()
    dialog.raise_()
    return dialog
