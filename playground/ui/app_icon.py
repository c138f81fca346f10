"""The application's icon, for the window's title bar and task switcher."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from playground.core.files.resources import resources_dir
from playground.desktop_entry import ICON_SIZES


def app_icon() -> QIcon:
    """Every rendered PNG size (crisp at each), and the SVG for sizes in between."""
    folder = resources_dir() / "icons"
    icon = QIcon()
    for size in ICON_SIZES:
        path = folder / f"playground-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    svg = folder / "playground.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon
