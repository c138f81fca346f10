"""Start the application: the window first, torch once the window is up."""

from __future__ import annotations

import sys

FIRST_PAINT_WATCH = None  # an event filter `playground bench` installs to time start-up


def run_app(project: str | None = None) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("NeuralNetworkPlayground")
    QCoreApplication.setApplicationName("playground")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Neural Network Playground")
    from playground.ui.main_window import MainWindow

    if FIRST_PAINT_WATCH is not None:
        app.installEventFilter(FIRST_PAINT_WATCH)
    window = MainWindow()
    window.show()
    if project is not None:
        window.project_file.open_path(project, confirmed=True)
    else:
        window.project_file.offer_recovery()
    return app.exec()
