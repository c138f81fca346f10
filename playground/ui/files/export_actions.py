"""The Export menu: ONNX, weights, a training script, the plots and the history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QRectF, QSize, Slot
from PySide6.QtGui import QPainter, QRegion
from PySide6.QtWidgets import QWidget

from playground.core.errors import PlaygroundError


class ExportActions(QObject):
    def __init__(self, session, plots, project_file, capture) -> None:
        """`capture()`: the current project (the window's network, weights and curves)."""
        super().__init__(session)
        self.session, self.plots = session, plots
        self.project_file, self._capture = project_file, capture
        self.background = session.background  # the window waits for it when closing

    def _ask_path(self, title: str, filters: str, suggested: str) -> Path | None:
        path = self.session.dialogs.save_file(title, filters, suggested)
        return Path(path) if path else None

    def _project(self):
        try:
            return self._capture()
        except PlaygroundError as e:
            self.session.dialogs.error("Nothing to export yet", str(e))
            return None

    def _done(self, what: str, path, error) -> None:
        if error is not None:
            message = str(error) if isinstance(error, PlaygroundError) else \
                f"{type(error).__name__}: {error}"
            self.session.dialogs.error(f"Could not export {what}", message)
        else:
            self.session.show_message(f"Exported {what} to {path}", 8000)

    @Slot()
    def onnx(self) -> None:
        from playground.core.files.export_onnx import export_onnx

        path = self._ask_path("Export ONNX model", "ONNX models (*.onnx)", "model.onnx")
        project = self._project() if path else None
        if project is None:
            return
        self.session.show_message("Exporting the ONNX model…")
        self.background.run(lambda: export_onnx(project, path),
                            lambda result, error: self._done("the ONNX model", path, error))

    @Slot()
    def weights(self) -> None:
        from playground.core.files.export_weights import export_weights

        path = self._ask_path("Export weights", "safetensors (*.safetensors)",
                              "weights.safetensors")
        project = self._project() if path else None
        if project is None:
            return
        try:
            export_weights(project, path)
        except PlaygroundError as e:
            return self._done("the weights", path, e)
        self._done("the weights (and a JSON description beside them)", path, None)

    @Slot()
    def script(self) -> None:
        from playground.core.files.export_script import export_script

        folder = self.session.dialogs.choose_folder("Export a training script into a folder")
        project = self._project() if folder else None
        if project is None:
            return
        # On the background thread, as ONNX: writing a large data set's rows takes a while.
        self.session.show_message("Exporting the training script…")
        where = self.project_file.path
        self.background.run(lambda: export_script(project, folder, where),
                            lambda result, error: self._script_done(folder, result, error))

    def _script_done(self, folder, result, error) -> None:
        if error is not None:
            return self._done("the training script", folder, error)
        # Say what comes back: the project the script writes when it has trained.
        self.session.show_message(
            f"Exported the training script to {result[0]}; run it, then open the "
            "trained.pgproj it writes to carry on here", 12000)

    @Slot()
    def plots_png(self) -> None:
        path = self._ask_path("Export plots as PNG", "PNG images (*.png)", "curves.png")
        if path is None:
            return
        image = self.plots.grab()
        if not image.save(str(path), "PNG"):
            return self._done("the plots", path, PlaygroundError(f"could not write {path}"))
        self._done("the plots", path, None)

    @Slot()
    def plots_svg(self) -> None:
        path = self._ask_path("Export plots as SVG", "SVG images (*.svg)", "curves.svg")
        if path is None:
            return
        from PySide6.QtSvg import QSvgGenerator  # loaded when needed: not at start-up

        widget = self.plots
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(widget.width(), widget.height()))
        generator.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
        generator.setTitle("Neural Network Playground: loss and accuracy")
        painter = QPainter(generator)
        # (PySide6 needs every argument here to pick the QPainter overload)
        widget.render(painter, QPoint(), QRegion(),
                      QWidget.RenderFlag.DrawChildren | QWidget.RenderFlag.DrawWindowBackground)
        ok = painter.end()
        if not ok or not path.exists():
            return self._done("the plots", path, PlaygroundError(f"could not write {path}"))
        self._done("the plots", path, None)

    @Slot()
    def history(self) -> None:
        from playground.core.files.export_history import export_history

        path = self._ask_path("Export the training history", "CSV files (*.csv)",
                              "history.csv")
        if path is None:
            return
        h = self.plots.history
        try:
            export_history(h.epochs, {m: h[m] for m in
                                      ("train_loss", "val_loss", "train_accuracy",
                                       "val_accuracy")}, path)
        except PlaygroundError as e:
            return self._done("the history", path, e)
        self._done("the history", path, None)
