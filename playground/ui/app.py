"""Start the application: the window first, torch once the window is up."""

from __future__ import annotations

import sys

FIRST_PAINT_WATCH = None  # an event filter `playground bench` installs to time start-up


def run_app(project: str | None = None, smoke_test: bool = False) -> int:
    """The window's event loop; `smoke_test` quits after the first paint (see first_paint.py)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("NeuralNetworkPlayground")
    QCoreApplication.setApplicationName("playground")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Neural Network Playground")
    from playground.desktop_entry import APP_ID
    from playground.ui.app_icon import app_icon
    from playground.ui.main_window import MainWindow

    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to its menu entry by this
    window = MainWindow()
    window.show()
    if smoke_test:
        from playground.ui.first_paint import after_first_paint, report_and_quit

        after_first_paint(window, report_and_quit)
    elif FIRST_PAINT_WATCH is not None:
        # On the native window alone (see first_paint.py): a filter on the whole
        # application would run for each of the ~5,000 events that building the window
        # sends, and slow what it measures.
        window.windowHandle().installEventFilter(FIRST_PAINT_WATCH)
    if project is not None:
        window.project_file.open_path(project, confirmed=True)
    elif not smoke_test:  # a recovery question would wait for an answer nobody gives
        window.project_file.offer_recovery()
    return app.exec()
