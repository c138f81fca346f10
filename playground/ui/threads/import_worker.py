"""The import of a CSV file on a thread of its own, so the window never freezes.

The worker is a ThreadWorker moved to a QThread (background.py): `run` does the whole
import; cancelling sets a flag that table_import checks between blocks.
Progress, the data set or the error come back to the GUI thread as queued signals.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal, Slot

from playground.core.data.split import prepare
from playground.core.data.table_import import ImportCancelled, import_table
from playground.core.errors import PlaygroundError
from playground.core.training.config import TrainingConfig
from playground.ui.threads.background import Background, ThreadWorker


class ImportWorker(ThreadWorker):
    progressed = Signal(float)  # share of the file read, 0–1
    imported = Signal(object)  # the Dataset
    failed = Signal(str)  # one sentence for a person
    cancelled = Signal()

    def __init__(self, path: str, plan) -> None:
        super().__init__()
        self.path, self.plan = path, plan
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Thread-safe: the import stops at the next block."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            dataset = import_table(self.path, self.plan, progress=self.progressed.emit,
                                   cancelled=self._stop.is_set)
            # The split a new network starts with, made here (a second or more for a
            # million rows) so that the window finds it ready (split.prepare keeps it).
            defaults = TrainingConfig()
            prepare(dataset, defaults.val_fraction, defaults.seed)
        except ImportCancelled:
            self.cancelled.emit()
        except PlaygroundError as e:
            self.failed.emit(str(e))
        except MemoryError:
            self.failed.emit(f"{self.path}: not enough memory to import it")
        except Exception as e:  # noqa: BLE001 — a bug; shown, and the window carries on
            self.failed.emit(f"internal error while importing: {type(e).__name__}: {e}")
        else:
            self.imported.emit(dataset)
        finally:
            self.finish()


def start_import(path: str, plan, background: Background) -> tuple[QThread, ImportWorker]:
    """A started import, on a thread of its own (background.py)."""
    worker = ImportWorker(path, plan)
    return background.start(worker), worker
