"""The small maps drawn inside the editor's neurons, and the colours of every neuron map.

Each drawn hidden and output neuron gets a plain C++ pixmap item (no Python
paint(): see network_view.Edges) on top of its circle, a round image of the
neuron's output over the plane. The colours are the connections': blue where
the output is positive, orange where it is negative, the background at zero.
All the images of a frame are coloured in one numpy pass; Python then only
hands each neuron its finished image.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem

from playground.core.neuron_maps import PlaneMaps
from playground.ui import theme

INSET = 1.5  # scene pixels between a map's edge and its circle: the outline stays in view


LEVELS = 255  # colour steps from −1 to 1 (odd: zero has a step of its own)


def colour_table() -> np.ndarray:
    """RGB (uint8) of each of the LEVELS steps from −1 to 1: the background at 0,
    blending toward the positive colour (blue) or the negative one (orange)."""
    back = np.array(theme.background().getRgb()[:3], dtype=np.float64)
    pos = np.array(theme.positive().getRgb()[:3], dtype=np.float64)
    neg = np.array(theme.negative().getRgb()[:3], dtype=np.float64)
    t = np.linspace(-1.0, 1.0, LEVELS)[:, None]
    colour = np.where(t >= 0, pos, neg)
    return (back + (colour - back) * np.abs(t) + 0.5).astype(np.uint8)


def _levels(t: np.ndarray) -> np.ndarray:
    """Values in [−1, 1] (NaN: 0) → their step in the table (in place on a float32 copy:
    this runs over every pixel of every map with each frame)."""
    t = np.array(t, dtype=np.float32)
    np.nan_to_num(t, copy=False)
    np.clip(t, -1.0, 1.0, out=t)
    t += 1.0
    t *= (LEVELS - 1) / 2
    t += 0.5
    return t.astype(np.uint8)


def diverging_rgb(t: np.ndarray) -> np.ndarray:
    """Values in [−1, 1] → RGB (uint8, shaped t.shape + (3,))."""
    return colour_table()[_levels(t)]


@lru_cache(maxsize=4)
def _disc(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pixels of an n × n image outside its inscribed circle, those on its edge, and
    the edge pixels' coverage (0–1): a one-pixel soft edge, so the scaled-down disc is
    smooth."""
    centre = (np.arange(n) + 0.5 - n / 2)
    distance = np.hypot(centre[None, :], centre[:, None])
    alpha = np.clip(n / 2 - distance + 0.5, 0.0, 1.0)
    edge = (alpha > 0) & (alpha < 1)
    return alpha == 0, edge, alpha[edge].astype(np.float32)


def opaque_table() -> np.ndarray:
    """`colour_table` as RGBA words (uint32), each fully opaque."""
    rgba = np.concatenate([colour_table(), np.full((LEVELS, 1), 255, np.uint8)], axis=1)
    return rgba.view(np.uint32).ravel()


def round_images(t: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
    """Maps (k, n, n) with row 0 at the lowest y → k round images (k, n, n, 4) as
    premultiplied RGBA bytes, row 0 at the top, transparent outside the circle.

    One table of premultiplied colours per coverage class (inside, and each distinct
    edge coverage) would be many tables; instead every pixel takes its opaque colour
    from one table (a single gather: this runs with every frame while training, and
    float arithmetic on every pixel cost 1.2 ms a frame for 26 maps), and only the few
    pixels on the circle's edge are scaled by their coverage."""
    n = t.shape[-1]
    table = opaque_table() if table is None else table
    flipped = np.ascontiguousarray(t[:, ::-1, :])
    out = table[_levels(flipped)]  # (k, n, n) RGBA words
    outside, edge, coverage = _disc(n)
    out[:, outside] = 0
    pixels = np.ascontiguousarray(out[:, edge]).view(np.uint8).reshape(len(out), -1, 4)
    out[:, edge] = (pixels * coverage[None, :, None] + 0.5).astype(np.uint8) \
        .view(np.uint32)[..., 0]
    return out.view(np.uint8).reshape(t.shape + (4,))


class NeuronMapItems:
    """One pixmap item per drawn hidden and output neuron of a NetworkView, made anew
    whenever the view lays itself out (its scene is cleared then)."""

    def __init__(self, view) -> None:
        self.view = view
        self.items: dict[tuple[int, int], QGraphicsPixmapItem] = {}
        self.images: np.ndarray | None = None  # the RGBA shown, one per item, in order

    def build(self) -> None:
        """Items for the neurons the layout draws (a condensed column: only those)."""
        self.items, self.images = {}, None
        self._table = opaque_table()  # the theme's colours, as the view's brushes are
        lay = self.view.layout
        if lay is None:
            return
        radius = max(lay.radius - INSET, 1.0)
        scene = self.view.scene()
        for c, col in enumerate(lay.columns[1:], start=1):
            for i, y in zip(col.shown, col.ys, strict=True):
                item = QGraphicsPixmapItem()
                item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                item.setZValue(2.5)  # over its circle, under the labels
                item.setPos(col.x - radius, y - radius)
                item.setVisible(False)
                scene.addItem(item)
                self.items[(c, i)] = item
        self._radius = radius

    def show(self, maps: PlaneMaps) -> bool:
        """Paint every item from `maps`; False (and nothing shown) when the maps do not
        fit the drawn network (a snapshot of another network)."""
        keys = list(self.items)
        try:
            t = np.stack([maps.layers[c - 1][i] for c, i in keys]) if keys else None
        except IndexError:
            self.hide()
            return False
        if t is None:
            return True
        images = round_images(t, self._table)
        n = images.shape[1]
        scale = QTransform.fromScale(2 * self._radius / n, 2 * self._radius / n)
        fresh = self.images is None or self.images.shape != images.shape
        for k, key in enumerate(keys):
            image = QImage(images[k].data, n, n, 4 * n,
                           QImage.Format.Format_RGBA8888_Premultiplied)
            item = self.items[key]
            item.setPixmap(QPixmap.fromImage(image))  # copies: `images` is reused
            if fresh:
                item.setTransform(scale)
            item.setVisible(True)
        self.images = images
        return True

    def hide(self) -> None:
        for item in self.items.values():
            item.setVisible(False)
        self.images = None

    def visible(self) -> list[tuple[int, int]]:
        """The neurons whose map is showing (tests, and the tooltips)."""
        return [key for key, item in self.items.items() if item.isVisible()]
