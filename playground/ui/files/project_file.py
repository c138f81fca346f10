"""The File menu's work: New, Open, Open Recent, Save, Save As, autosave and recovery.

ProjectView (project_view.py) captures the project and shows one; this class
decides when to ask, where to write, and what the title says. Every question goes through the
dialog seam (dialogs.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Slot

from playground.core.data.builtin_data import project_dataset
from playground.core.data.data_loaders import load_penguins
from playground.core.data.toy_data import make_toy
from playground.core.errors import PlaygroundError
from playground.ui.threads.background import run_with_progress

# core.project (with safetensors) is imported where used: a project is read or written
# only after the window's first paint.

FILTER = "Playground projects (*.pgproj);;All files (*)"
SUFFIX = ".pgproj"
MAX_RECENT = 8
AUTOSAVE_MS = 3 * 60 * 1000  # every three minutes while there are unsaved changes


def autosave_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / "autosave.pgproj"


class ProjectFile(QObject):
    def __init__(self, session, projects, window, settings, controls) -> None:
        """`projects` (a ProjectView) shows and captures projects; `window` holds the title
        and parents the dialogs."""
        super().__init__(session)
        self.session, self.projects = session, projects
        self.window = window
        self.settings, self.controls = settings, controls
        self.path: Path | None = None
        self.modified = False
        self._stopped = False
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._update_title()

    # --- state -------------------------------------------------------------------------
    def mark_modified(self) -> None:
        if not self.modified:
            self.modified = True
            self._update_title()
            self._autosave.start()

    def mark_clean(self, path: Path | None = None) -> None:
        self.path = path
        self.modified = False
        self._autosave.stop()
        self._update_title()

    def _update_title(self) -> None:
        name = self.path.name if self.path else "Untitled"
        self.window.setWindowTitle(f"{name}[*] — Neural Network Playground")
        self.window.setWindowModified(self.modified)

    # --- asking before work is lost ------------------------------------------------------
    def confirm_discard(self, doing: str) -> bool:
        """True if the current work may be replaced (saved first if the person says so)."""
        if not self.modified:
            return True
        name = self.path.name if self.path else "the untitled project"
        answer = self.session.dialogs.ask(
            "Unsaved changes", f"Save the changes to {name} before {doing}?",
            ("Save", "Discard", "Cancel"))
        if answer == "Save":
            return self.save()
        return answer == "Discard"

    # --- the actions ----------------------------------------------------------------------
    @Slot()
    def new(self) -> None:
        if self.confirm_discard("starting a new project"):
            self.projects.reset()
            self.mark_clean(None)

    @Slot()
    def open(self) -> None:
        if not self.confirm_discard("opening another project"):
            return
        folder = str(self.path.parent) if self.path else ""
        path = self.session.dialogs.open_file("Open project", FILTER, folder)
        if path:
            self.open_path(path, confirmed=True)

    def new_with_dataset(self, kind: str) -> None:
        """A new project on another data set: the penguins, or a generated set."""
        if not self.confirm_discard("switching the data set"):
            return
        if kind == "penguins":
            dataset = load_penguins()
        else:
            noise = self.session.dialogs.number(
                "New data set", "Noise (0 = clean, 1 = very noisy):", 0.1, 0.0, 1.0)
            if noise is None:
                return
            dataset = make_toy(kind, noise, self.controls.config().seed)
        self.projects.use_dataset(dataset)
        self.mark_clean(None)

    @Slot()
    def import_data(self) -> None:
        """File ▸ Import Data…: choose a CSV file, then the dialog (non-blocking)."""
        from playground.ui.files.import_dialog import ImportDialog

        dialog = ImportDialog(self.session.dialogs, self.session.background,
                              self.window)
        if not dialog.choose_file():
            dialog.deleteLater()
            return
        dialog.imported.connect(self._on_imported)
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_imported(self, dataset) -> None:
        if not self.confirm_discard("switching the data set"):
            return
        self.projects.use_dataset(dataset)
        self.mark_clean(None)
        dropped = f", {dataset.dropped:,} rows with missing values dropped" \
            if dataset.dropped else ""
        self.session.show_message(
            f"Imported {len(dataset):,} rows from {dataset.name}{dropped}", 8000)

    def open_path(self, path: str | os.PathLike, confirmed: bool = False) -> bool:
        if not confirmed and not self.confirm_discard("opening another project"):
            return False
        from playground.core.files.project import load_project

        try:
            project = load_project(path)
            if not self._show_project(project):
                return False
        except PlaygroundError as e:
            self.session.dialogs.error("Could not open the project", str(e))
            return False  # the work in the window is untouched
        self.mark_clean(Path(path).resolve())
        self._add_recent(self.path)
        return True

    @Slot()
    def _show_project(self, project) -> bool:
        """Bring the project's data set (re-read with a progress dialog when it is an
        imported file), check that it fits, then show the project. False if the person
        cancelled the reading; PlaygroundError (the window unchanged) if it failed."""
        from playground.core.files.project import check_dataset_fits
        identity = project.dataset
        if identity.get("import") and identity != self.session.dataset.identity:
            from playground.core.data.table_import import ImportCancelled  # pandas: when needed

            try:
                name = Path(str(identity.get('path', ''))).name
                dataset = run_with_progress(
                    self.session.background, self.window, f"Reading {name}…",
                    lambda progress, cancelled: self._read_and_split(project, progress,
                                                                     cancelled))
            except ImportCancelled:
                self.session.show_message("Opening cancelled", 5000)
                return False
        else:
            dataset = project_dataset(identity, project.features, project.class_names)
        if dataset is not None and dataset.identity != self.session.dataset.identity:
            check_dataset_fits(project, dataset)  # before anything in the window changes
            self.projects.use_dataset(dataset)
        self.projects.apply(project)
        return True

    @staticmethod
    def _read_and_split(project, progress, cancelled):
        """Off the GUI thread: the project's data set, and its split (split.prepare keeps
        it for the window and the training thread)."""
        from playground.core.data.split import prepare

        dataset = project_dataset(project.dataset, project.features, project.class_names,
                                  progress, cancelled)
        if dataset is not None:
            prepare(dataset, project.config.val_fraction, project.config.seed)
        return dataset

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    @Slot()
    def save_as(self) -> bool:
        suggested = str(self.path) if self.path else "penguins.pgproj"
        path = self.session.dialogs.save_file("Save project as", FILTER, suggested)
        if not path:
            return False
        if not path.endswith(SUFFIX) and Path(path).suffix == "":
            path += SUFFIX
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        from playground.core.files.project import save_project

        try:
            save_project(self.projects.capture(), path)
        except PlaygroundError as e:
            self.session.dialogs.error("Could not save the project", str(e))
            return False  # nothing changes: the work stays, the old file is intact
        self.mark_clean(path.resolve())
        self._add_recent(self.path)
        self.session.show_message(f"Saved {path}", 5000)
        return True

    # --- autosave and recovery -----------------------------------------------------------
    @Slot()
    def autosave(self) -> None:
        if not self.modified or self._stopped:
            return
        from playground.core.files.project import save_project

        try:
            project = self.projects.capture()
            project.extras["autosave_of"] = str(self.path) if self.path else None
            save_project(project, autosave_path())
        except PlaygroundError as e:
            self.session.show_message(f"Autosave failed: {e}", 8000)

    def discard_autosave(self) -> None:
        try:
            autosave_path().unlink(missing_ok=True)
        except OSError:
            pass

    def offer_recovery(self) -> None:
        """After a crash the autosave is still there: offer to bring it back."""
        path = autosave_path()
        if not path.exists():
            return
        answer = self.session.dialogs.ask(
            "Recover unsaved work?",
            "The playground did not close normally last time. Recover the work it "
            "saved automatically?", ("Recover", "Discard"))
        if answer == "Recover":
            from playground.core.files.project import load_project

            try:
                project = load_project(path)
                if not self._show_project(project):
                    return
            except PlaygroundError as e:
                self.session.dialogs.error("Could not recover", str(e))
                return
            original = project.extras.get("autosave_of")
            self.path = Path(original) if original else None
            self.mark_modified()  # recovered work is not yet saved anywhere
        self.discard_autosave()

    def stop(self) -> None:
        """The window is closing: no more autosaves."""
        self._stopped = True
        self._autosave.stop()

    # --- recent files ---------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if p]

    def fill_recent_menu(self, menu) -> None:
        menu.clear()
        files = self.recent()
        if not files:
            menu.addAction("No recent projects").setEnabled(False)
        for path in files:
            action = menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._open_recent)

    @Slot()
    def _open_recent(self) -> None:
        self.open_path(self.sender().data())

    def _add_recent(self, path: Path) -> None:
        items = [str(path)] + [p for p in self.recent() if p != str(path)]
        self.settings.setValue("recentFiles", items[:MAX_RECENT])
