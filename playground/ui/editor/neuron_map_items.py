"""The small maps drawn inside the editor's neurons, and the colours of every neuron map.

Each drawn hidden and output neuron shows, on top of its circle, a round image of
its output over the plane; all of them are painted into one canvas shown by one
plain C++ pixmap item (no Python paint(): see network_view.Edges). The colours are
the connections': blue where the output is positive, orange where it is negative,
the background at zero.
All the images of an update are resampled, coloured and placed in a dozen numpy
calls (`Canvas.paint`, free of Qt); Qt is then handed one finished image
(`NeuronMapItems.put`).
"""

from __future__ import annotations

from dataclasses import dataclass
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


def _steps(t: np.ndarray) -> np.ndarray:
    """Values in [−1, 1] (NaN: 0) → their step in the table, as float32 plus one half
    (truncated to an integer later: rounded). Linear in the value, so that steps
    resampled are the steps of the resampled values."""
    t = np.nan_to_num(np.asarray(t, dtype=np.float32))  # a copy, worked on in place
    np.clip(t, -1.0, 1.0, out=t)
    t *= (LEVELS - 1) / 2
    t += (LEVELS - 1) / 2 + 0.5
    return t


def _levels(t: np.ndarray) -> np.ndarray:
    """Values in [−1, 1] (NaN: 0) → their step in the table."""
    return _steps(t).astype(np.uint8)


def diverging_rgb(t: np.ndarray) -> np.ndarray:
    """Values in [−1, 1] → RGB (uint8, shaped t.shape + (3,))."""
    return colour_table()[_levels(t)]


COVERAGES = 16  # steps of a map's soft round edge, from clear to opaque


@lru_cache(maxsize=4)
def _disc(n: int) -> np.ndarray:
    """How much of each pixel of an n × n image its inscribed circle covers, in steps
    from 0 (clear) to COVERAGES − 1 (opaque): a one-pixel soft edge, so the small disc
    is smooth."""
    centre = (np.arange(n) + 0.5 - n / 2)
    distance = np.hypot(centre[None, :], centre[:, None])
    alpha = np.clip(n / 2 - distance + 0.5, 0.0, 1.0)
    return np.round(alpha * (COVERAGES - 1)).astype(np.intp)


def covered_table(order: str = "RGBA") -> np.ndarray:
    """`colour_table` as 32-bit words (uint32), their bytes in `order` (BGRA: what
    QImage's ARGB32 is in a little-endian machine's memory), premultiplied by each
    coverage step: row c holds the colours at coverage c / (COVERAGES − 1), flattened
    (COVERAGES · LEVELS words), so that a pixel's word is one lookup at
    c · LEVELS + its step."""
    rgb = colour_table()
    if order == "BGRA":
        rgb = rgb[:, ::-1]
    opaque = np.concatenate([rgb, np.full((LEVELS, 1), 255, np.uint8)], axis=1)
    alpha = np.linspace(0.0, 1.0, COVERAGES, dtype=np.float32)[:, None, None]
    covered = (opaque[None].astype(np.float32) * alpha + 0.5).astype(np.uint8)
    return np.ascontiguousarray(covered).view(np.uint32).ravel()


def _coloured(steps: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Steps (k, d, d) of round images → their colour words: one lookup per pixel (float
    arithmetic on every pixel cost 1.2 ms a frame for 26 maps), the edge's coverage
    folded into the table's row."""
    index = steps.astype(np.intp)
    index += _disc(steps.shape[-1]) * LEVELS
    return table[index]


@lru_cache(maxsize=8)
def _stretch(n: int, d: int) -> np.ndarray:
    """The bilinear resampling of n cells to d pixels along an axis, as a (d, n) matrix:
    each pixel's share of the two cells around its centre (pixel and cell centres
    aligned)."""
    u = np.clip((np.arange(d) + 0.5) * n / d - 0.5, 0.0, n - 1.0)
    low = np.minimum(np.floor(u).astype(np.intp), max(n - 2, 0))
    high = np.minimum(low + 1, n - 1)
    m = np.zeros((d, n), np.float32)
    np.add.at(m, (np.arange(d), low), 1 - (u - low))
    np.add.at(m, (np.arange(d), high), u - low)
    return m


def resample(t: np.ndarray, d: int) -> np.ndarray:
    """Maps (k, n, n) with row 0 at the lowest y → images (k, d, d) with row 0 at the
    top, bilinear: each map at the size it is drawn, so that drawing it is a plain copy
    of pixels, never a scaling. Two matrix products for all the maps (each axis
    stretched in turn, the flip folded into the second)."""
    k, n = t.shape[0], t.shape[-1]
    across = _stretch(n, d)
    t = np.asarray(t, dtype=np.float32)
    wide = t.reshape(k * n, n) @ across.T  # (k·n, d): every row stretched across
    rows = wide.reshape(k, n, d).transpose(1, 0, 2).reshape(n, k * d)
    return (across[::-1] @ rows).reshape(d, k, d).transpose(1, 0, 2)


@dataclass(frozen=True, eq=False)
class Canvas:
    """Where the maps of one layout go: the neurons with a map (in order), a map's width
    in canvas pixels, each map's corner, the canvas's shape, and the colours. Never
    changed once made (a layout makes a new one), so that maps painted for an earlier
    layout are known by their canvas and never shown."""

    keys: tuple[tuple[int, int], ...]
    size: int
    corners: np.ndarray  # (k, 2): each map's (x, y) in the canvas
    shape: tuple[int, int]  # (height, width)
    where: np.ndarray  # (k, size²): each map's pixels' places in the flat canvas
    table: np.ndarray  # the colour words at each coverage, in the canvas's byte order

    def paint(self, maps: PlaneMaps) -> Painted | None:
        """Every map resampled, coloured and placed, in a dozen numpy calls for them all
        (no Qt); None when the maps do not fit the drawn network (a snapshot of
        another network). The steps are taken on the maps' cells, fewer than the
        pixels, and resampled."""
        try:
            t = np.stack([maps.layers[c - 1][i] for c, i in self.keys])
        except IndexError:
            return None
        words = _coloured(resample(_steps(t), self.size), self.table)
        pixels = np.zeros(self.shape, np.uint32)
        pixels.ravel()[self.where] = words.reshape(len(words), -1)
        return Painted(self, pixels, words)


@dataclass(frozen=True, eq=False)
class Painted:
    """A canvas's pixels (ARGB32 premultiplied words) and the maps in it (k, d, d)."""

    canvas: Canvas
    pixels: np.ndarray
    images: np.ndarray


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
        self.canvas: Canvas | None = None
        self.images: np.ndarray | None = None  # the maps shown (k, d, d words), in order

    @property
    def keys(self) -> tuple[tuple[int, int], ...]:
        return () if self.canvas is None else self.canvas.keys

    @property
    def size(self) -> int:
        """A map's width in canvas pixels."""
        return 0 if self.canvas is None else self.canvas.size

    @property
    def items(self) -> dict[tuple[int, int], tuple[int, int]]:
        """The neurons with a map, each with its map's corner in the canvas."""
        if self.canvas is None:
            return {}
        return dict(zip(self.keys, map(tuple, self.canvas.corners.tolist()), strict=True))

    def build(self) -> None:
        """The canvas for the neurons the layout draws (a condensed column: only those)."""
        self.item, self.canvas, self.images = None, None, None
        lay = self.view.layout
        if lay is None:
            return
        # Canvas pixels are device pixels, at the view's scale (a network drawn smaller
        # to fit) and the screen's (crisp on a high-DPI one).
        self._ratio = ratio = max(self.view.devicePixelRatioF(), 1.0) * self.view.scale_factor
        radius = max(lay.radius - INSET, 1.0)
        d = max(int(round(2 * radius * ratio)), 2)
        drawn = [(c, i, col.x, y) for c, col in enumerate(lay.columns[1:], start=1)
                 for i, y in zip(col.shown, col.ys, strict=True)]
        if not drawn:
            return
        centres = np.array([(x, y) for _, _, x, y in drawn])
        corners = np.round(centres * ratio - d / 2).astype(np.intp)
        origin = corners.min(axis=0)
        corners -= origin
        width, height = corners.max(axis=0) + d
        # Where each map's pixels go in the flat canvas: one scatter per update.
        offsets = (np.arange(d)[:, None] * width + np.arange(d)[None, :]).ravel()
        where = (corners[:, 1] * width + corners[:, 0])[:, None] + offsets
        # The theme's colours, as the view's brushes are.
        self.canvas = Canvas(tuple((c, i) for c, i, _, _ in drawn), d, corners,
                             (int(height), int(width)), where, covered_table("BGRA"))
        item = QGraphicsPixmapItem()
        item.setZValue(2.5)  # over the circles, under the labels
        item.setPos(*(origin / ratio))
        item.setVisible(False)
        self.view.scene().addItem(item)
        self.item = item

    def put(self, painted: Painted | None) -> bool:
        """Show a painted canvas: one image handed to Qt. False (and nothing shown) for
        maps that did not fit; a canvas painted for an earlier layout is ignored."""
        if self.item is None:
            return True
        if painted is None:
            self.hide()
            return False
        if painted.canvas is not self.canvas:
            return True
        height, width = painted.canvas.shape
        image = QImage(painted.pixels.data, width, height, 4 * width,
                       QImage.Format.Format_ARGB32_Premultiplied)
        pixmap = QPixmap.fromImage(image)  # copies: the pixels may go after this call
        pixmap.setDevicePixelRatio(self._ratio)
        self.item.setPixmap(pixmap)
        self.item.setVisible(True)
        self.images = painted.images
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
