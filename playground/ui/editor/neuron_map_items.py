"""The small maps drawn inside the editor's neurons, and the colours of every neuron map.

Each drawn hidden and output neuron shows, on top of its circle, a round image of
its output over the plane; all of them are painted into one canvas shown by one
plain C++ pixmap item (no Python paint(): see network_view.Edges). The colours are
the connections': blue where the output is positive, orange where it is negative,
the background at zero.
All the images of a frame are resampled, coloured and placed in one numpy pass;
Python then hands Qt one finished image.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem

from playground.core.network.neuron_maps import PlaneMaps
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


def opaque_table(order: str = "RGBA") -> np.ndarray:
    """`colour_table` as 32-bit words (uint32), each fully opaque, their bytes in
    `order` (BGRA: what QImage's ARGB32 is in a little-endian machine's memory)."""
    rgb = colour_table()
    if order == "BGRA":
        rgb = rgb[:, ::-1]
    rgba = np.concatenate([rgb, np.full((LEVELS, 1), 255, np.uint8)], axis=1)
    return np.ascontiguousarray(rgba).view(np.uint32).ravel()


def round_images(t: np.ndarray, table: np.ndarray | None = None) -> np.ndarray:
    """Maps (k, n, n) with row 0 at the lowest y → k round images (k, n, n, 4) as
    premultiplied colour bytes (in the table's order), row 0 at the top, transparent
    outside the circle.

    One table of premultiplied colours per coverage class (inside, and each distinct
    edge coverage) would be many tables; instead every pixel takes its opaque colour
    from one table (a single gather: this runs with every frame while training, and
    float arithmetic on every pixel cost 1.2 ms a frame for 26 maps), and only the few
    pixels on the circle's edge are scaled by their coverage."""
    n = t.shape[-1]
    table = opaque_table() if table is None else table
    flipped = np.ascontiguousarray(t[:, ::-1, :])
    out = table[_levels(flipped)]  # (k, n, n) colour words
    outside, edge, coverage = _disc(n)
    out[:, outside] = 0
    pixels = np.ascontiguousarray(out[:, edge]).view(np.uint8).reshape(len(out), -1, 4)
    out[:, edge] = (pixels * coverage[None, :, None] + 0.5).astype(np.uint8) \
        .view(np.uint32)[..., 0]
    return out.view(np.uint8).reshape(t.shape + (4,))


@lru_cache(maxsize=4)
def _stretch(n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For resampling n cells to d pixels along an axis: each pixel's lower cell, the
    next one, and the next one's weight (bilinear, pixel and cell centres aligned)."""
    u = np.clip((np.arange(d) + 0.5) * n / d - 0.5, 0.0, n - 1.0)
    low = np.minimum(np.floor(u).astype(np.intp), n - 2) if n > 1 else np.zeros(d, np.intp)
    high = np.minimum(low + 1, n - 1)
    return low, high, (u - low).astype(np.float32)


def resample(t: np.ndarray, d: int) -> np.ndarray:
    """Maps (k, n, n) → (k, d, d), bilinear: each map at the size it is drawn, so that
    drawing it is a plain copy of pixels, never a scaling."""
    n = t.shape[-1]
    if n == d:
        return np.asarray(t, dtype=np.float32)
    low, high, w = _stretch(n, d)
    t = np.asarray(t, dtype=np.float32)
    rows = t[:, low, :] * (1 - w)[None, :, None] + t[:, high, :] * w[None, :, None]
    return rows[:, :, low] * (1 - w) + rows[:, :, high] * w


class NeuronMapItems:
    """The maps of every drawn hidden and output neuron of a NetworkView, painted into
    one canvas image shown by one plain C++ pixmap item over the circles, made anew
    whenever the view lays itself out (its scene is cleared then).

    One item, not one per neuron: each item painted while training costs virtual calls
    into the binding (and through it the GIL, shared with the training thread) with
    every repaint, and one image set per update replaces ~3 Qt calls per neuron. The
    maps are resampled to the pixels they take on the screen, so that the repaint is a
    copy, not a smooth scaling, of the image."""

    def __init__(self, view) -> None:
        self.view = view
        self.item: QGraphicsPixmapItem | None = None
        self.keys: list[tuple[int, int]] = []  # the neurons with a map, in order
        self.images: np.ndarray | None = None  # the maps shown (k, d, d, 4), in order
        self.corners: np.ndarray = np.zeros((0, 2), np.intp)  # each map's (x, y) in the canvas
        self.size = 0  # d: a map's width in canvas pixels

    @property
    def items(self) -> dict[tuple[int, int], tuple[int, int]]:
        """The neurons with a map, each with its map's corner in the canvas."""
        return dict(zip(self.keys, map(tuple, self.corners.tolist()), strict=True))

    def build(self) -> None:
        """The canvas for the neurons the layout draws (a condensed column: only those)."""
        self.item, self.keys, self.images = None, [], None
        self._table = opaque_table("BGRA")  # the theme's colours, as the view's brushes are
        lay = self.view.layout
        if lay is None:
            return
        # Canvas pixels are device pixels, at the view's scale (a network drawn smaller
        # to fit) and the screen's (crisp on a high-DPI one).
        self._ratio = ratio = max(self.view.devicePixelRatioF(), 1.0) * self.view.scale_factor
        radius = max(lay.radius - INSET, 1.0)
        self.size = d = max(int(round(2 * radius * ratio)), 2)
        drawn = [(c, i, col.x, y) for c, col in enumerate(lay.columns[1:], start=1)
                 for i, y in zip(col.shown, col.ys, strict=True)]
        self.keys = [(c, i) for c, i, _, _ in drawn]
        if not self.keys:
            return
        centres = np.array([(x, y) for _, _, x, y in drawn])
        corners = np.round(centres * ratio - d / 2).astype(np.intp)
        self._origin = corners.min(axis=0)
        self.corners = corners - self._origin
        width, height = self.corners.max(axis=0) + d
        self._shape = (int(height), int(width))
        # Where each map's pixels go in the flat canvas: one scatter per update.
        offsets = (np.arange(d)[:, None] * width + np.arange(d)[None, :]).ravel()
        self._where = (self.corners[:, 1] * width + self.corners[:, 0])[:, None] + offsets
        item = QGraphicsPixmapItem()
        item.setZValue(2.5)  # over the circles, under the labels
        item.setPos(*(self._origin / ratio))
        item.setVisible(False)
        self.view.scene().addItem(item)
        self.item = item

    def show(self, maps: PlaneMaps) -> bool:
        """Paint every neuron's map from `maps`; False (and nothing shown) when the maps
        do not fit the drawn network (a snapshot of another network)."""
        if self.item is None:
            return True
        try:
            t = np.stack([maps.layers[c - 1][i] for c, i in self.keys])
        except IndexError:
            self.hide()
            return False
        images = round_images(resample(t, self.size), self._table)
        canvas = np.zeros(self._shape, np.uint32)
        canvas.ravel()[self._where] = images.view(np.uint32).reshape(len(images), -1)
        height, width = self._shape
        image = QImage(canvas.data, width, height, 4 * width,
                       QImage.Format.Format_ARGB32_Premultiplied)
        pixmap = QPixmap.fromImage(image)  # copies: `canvas` goes with this call
        pixmap.setDevicePixelRatio(self._ratio)
        self.item.setPixmap(pixmap)
        self.item.setVisible(True)
        self.images = images
        return True

    def image_of(self, key: tuple[int, int]) -> QImage:
        """The map drawn for one neuron, cut from the canvas as shown (tests)."""
        x, y = self.items[key]
        return self.item.pixmap().toImage().copy(x, y, self.size, self.size)

    def hide(self) -> None:
        if self.item is not None:
            self.item.setVisible(False)
        self.images = None

    def visible(self) -> list[tuple[int, int]]:
        """The neurons whose map is showing (tests, and the tooltips)."""
        return list(self.keys) if self.item is not None and self.item.isVisible() else []
