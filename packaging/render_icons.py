"""Render resources/icons/playground.svg to the PNG sizes desktops ask for.

Run after editing the SVG:  python packaging/render_icons.py
Qt's own SVG renderer draws them, so the PNGs look like the icon the window
would draw from the SVG, and no other tool is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the hicolor theme's usual app sizes


def render(svg: Path = ICONS / "playground.svg", out: Path = ICONS) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs it)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"playground-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"{path}: could not write")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in render():
        print(f"Wrote {path}")
