"""The network drawn as columns of neurons joined by every connection.

Connection colour shows the sign of a weight and thickness its magnitude;
neuron fill shows its activation for the prediction panel's penguin. All of it
comes from the latest weight snapshot (numpy), never from the live model.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmapCache,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QToolTip,
)

from playground.ui import theme
from playground.ui.editor.network_layout import (
    MAX_RADIUS,
    NetworkLayout,
    layout_network,
    width_needed,
)
from playground.ui.editor.neuron_text import describe_edge, describe_neuron

WIDTH_LEVELS = 6  # thickness buckets: lines of one colour and width are drawn in one call
PIXMAP_CACHE_KB = 64 * 1024


class Edges:
    """All visible connections, drawn by C++ path items, one per colour and thickness.

    No Python paint(): a Python-painted item holds the GIL while Qt rasterizes it,
    and every millisecond of that is taken from training in the other thread.
    """

    def __init__(self, scene, segments: np.ndarray, index: list[tuple[int, int, int]]) -> None:
        self.segments = segments  # (n, 4): x0, y0, x1, y1
        self.index = index  # (gap, to, from) of each segment, for its weight
        # Per gap: which segments, and which (to, from) entries of that gap's weights —
        # so each frame gathers the weights with one numpy index per gap, no Python loop.
        # (The gaps present by bincount: np.unique imports numpy.ma, 18 ms before the
        # window's first paint.)
        table = np.array(index, dtype=np.int64).reshape(-1, 3)
        self._gather = [(np.flatnonzero(table[:, 0] == g), table[table[:, 0] == g, 1],
                         table[table[:, 0] == g, 2])
                        for g in np.flatnonzero(np.bincount(table[:, 0]))]
        self.weights = np.zeros(len(index))
        self._keys = None  # each segment's (sign, width level) as last drawn
        self._lines = segments.tolist()
        self._items: dict[tuple[bool, int], QGraphicsPathItem] = {}
        pos, neg = theme.positive(), theme.negative()
        for is_pos in (True, False):
            for level in range(1, WIDTH_LEVELS + 1):
                colour = QColor(pos if is_pos else neg)
                colour.setAlphaF(0.25 + 0.75 * level / WIDTH_LEVELS)
                item = scene.addPath(QPainterPath(), QPen(colour, 0.4 + 0.7 * level))
                item.setZValue(0)
                # Kept as a pixmap until its path changes: a neuron's new shade repaints
                # the connections under it, and stroking them again each time cost up to
                # 60 ms a frame on a wide network (1.5 ms from the cache).
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                self._items[(is_pos, level)] = item
        self.set_weights(self.weights)

    def weights_from(self, snapshot) -> np.ndarray:
        """The weight of every drawn segment, taken from a snapshot."""
        return self.values_from(snapshot.weights)

    def values_from(self, matrices) -> np.ndarray:
        """Each drawn segment's entry of per-gap (out × in) matrices: weights, gradients."""
        out = np.zeros(len(self.index))
        for (where, to, frm), w in zip(self._gather, matrices, strict=False):
            out[where] = w[to, frm]
        return out

    def set_weights(self, weights: np.ndarray) -> None:
        """Re-path only the colour/width buckets whose members changed. Most frames of a
        run change none: weights drift, but rarely across a bucket's edge. Stroking
        antialiased lines is the editor's main paint cost (3.5 ms of a 3.6 ms repaint,
        measured), so an unchanged bucket is not touched and not repainted."""
        self.weights = weights
        scale = max(float(np.abs(weights).max(initial=0.0)), 1e-9)
        levels = np.clip(np.ceil(np.abs(weights) / scale * WIDTH_LEVELS), 1, WIDTH_LEVELS)
        keys = np.where(weights >= 0, levels, -levels).astype(np.int64)
        if self._keys is not None and np.array_equal(keys, self._keys):
            return
        if self._keys is None:  # the first drawing: every bucket, empty ones included
            changed = {level if pos else -level for pos, level in self._items}
        else:
            moved = keys != self._keys
            changed = set(keys[moved].tolist()) | set(self._keys[moved].tolist())
        self._keys = keys
        paths = {key: QPainterPath() for key in changed}
        for (x0, y0, x1, y1), key in zip(self._lines, keys.tolist(), strict=True):
            path = paths.get(key)
            if path is not None:
                path.moveTo(x0, y0)
                path.lineTo(x1, y1)
        for key, path in paths.items():
            self._items[(key > 0, abs(key))].setPath(path)

    def nearest(self, p: QPointF, tolerance: float = 4.0) -> int | None:
        """The segment under the mouse, if any (distance to a line segment)."""
        if not len(self.segments):
            return None
        s = self.segments
        a, b = s[:, :2], s[:, 2:]
        ab = b - a
        q = np.array([p.x(), p.y()])
        t = np.clip(((q - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-9), 0, 1)
        d = np.hypot(*(a + ab * t[:, None] - q).T)
        i = int(d.argmin())
        return i if d[i] <= tolerance else None


class NetworkView(QGraphicsView):
    """Draws a spec; `set_state` colours it from a snapshot and a forward pass."""

    layoutChanged = Signal()
    columnClicked = Signal(int)
    # (column, index) of the neuron under the mouse, or None when it leaves every neuron
    neuronHovered = Signal(object)
    neuronClicked = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.setScene(QGraphicsScene(self))
        # Room for the connection pixmaps (see Edges) beside Qt's own: the default 10 MB
        # would evict them on a large screen and bring back the slow repaints.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(420, 260)
        self.setMouseTracking(True)  # connection tooltips follow the mouse
        self.info = None  # NeuronInfo: what the tooltips describe (see neuron_text.py)
        self.layout: NetworkLayout | None = None
        self.scale_factor = 1.0  # below 1 when the network is drawn smaller to fit
        self._widths: list[int] = []
        # Plain C++ items (no Python subclass): painting them never needs the GIL.
        # Each neuron's (column, index) is its item data 0, for the tooltips.
        self._neurons: list[list[QGraphicsEllipseItem]] = []
        self._shades: list[list] = []  # each neuron's shade as last set (see refresh)
        self._brushes: dict = {}
        self._edges: Edges | None = None
        self._labels: list[QGraphicsSimpleTextItem] = []
        self.marked_column: int | None = None  # a column the explanation points at
        self._mark: QGraphicsRectItem | None = None
        # Drawn over the network instead of the weights, when set (gradient_overlay.py).
        self.overlay = None
        self._hovered: tuple[int, int] | None = None
        self.map_hint = ""  # what a hidden or output neuron's tooltip adds about its map
        self.max_radius = MAX_RADIUS

    # --- structure -------------------------------------------------------------------
    def set_info(self, info) -> None:
        """A new network (or new names): rebuild the items, then colour them."""
        self.info = info
        self._widths = info.widths
        self._rebuild()

    def set_max_radius(self, radius: float) -> None:
        """Draw the neurons up to this size (maps inside them want room)."""
        if radius != self.max_radius:
            self.max_radius = radius
            if self.info is not None:
                self._rebuild()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.info is not None:
            self._rebuild()

    def _rebuild(self) -> None:
        scene = self.scene()
        scene.clear()
        rect = QRectF(self.viewport().rect())
        metrics = QFontMetricsF(self.font())
        info = self.info
        # Room for the longest label with its value ("Flipper length (mm)  181") and
        # for the class names with their probabilities ("Chinstrap  100.0 %").
        left = max(metrics.horizontalAdvance(f"{t}  00000.0") for t in info.input_labels) + 30
        right = max(metrics.horizontalAdvance(f"{t}  100.0 %") for t in info.class_names) + 30
        # Too narrow for the labels and the columns (a small window, many layers): draw
        # the network at the width it needs and show it scaled down, all of it in view.
        need = width_needed(len(self._widths), left, right)
        self.scale_factor = min(1.0, max(rect.width(), 1.0) / need)  # > 0 before showing
        self.setTransform(QTransform.fromScale(self.scale_factor, self.scale_factor))
        width, height = rect.width() / self.scale_factor, rect.height() / self.scale_factor
        scene.setSceneRect(QRectF(0, 0, width, height))
        self.layout = layout_network(self._widths, width, height, left, right, self.max_radius)
        lay = self.layout
        segments, index = [], []
        for gap in range(len(self._widths) - 1):
            a, b = lay.columns[gap], lay.columns[gap + 1]
            for to, y1 in zip(b.shown, b.ys, strict=True):
                for frm, y0 in zip(a.shown, a.ys, strict=True):
                    segments.append((a.x, y0, b.x, y1))
                    index.append((gap, to, frm))
        self._edges = Edges(scene, np.array(segments, dtype=np.float64).reshape(-1, 4), index)
        self._neurons, self._labels, self._shades = [], [], []
        self._brushes = {}  # shade -> QBrush, made afresh with each build (the theme)
        font = QFont(self.font())
        muted = QBrush(theme.muted_text())
        outline = QPen(theme.muted_text(), 1.0)
        engineered = QPen(theme.muted_text(), 1.0, Qt.PenStyle.DashLine)  # x², sin x…
        for c, col in enumerate(lay.columns):
            items = []
            for i, y in zip(col.shown, col.ys, strict=True):
                r = lay.radius
                item = scene.addEllipse(col.x - r, y - r, 2 * r, 2 * r, engineered
                                        if c == 0 and info.is_engineered(i) else outline)
                item.setZValue(2)
                item.setData(0, (c, i))
                items.append(item)
            self._neurons.append(items)
            self._shades.append([False] * len(items))  # no shade yet: each is set
            if col.hidden_count:
                dots = scene.addSimpleText(f"⋮ {col.hidden_count} more", font)
                dots.setBrush(muted)
                r = dots.boundingRect()
                dots.setPos(col.x - r.width() / 2, col.ellipsis_y - r.height() / 2)
        self._add_side_labels()
        if self.overlay is not None:
            self.overlay.attach(self)  # its items went with the scene's
        self._mark = None
        self.mark_column(self.marked_column)
        self.refresh()
        self.layoutChanged.emit()

    def _add_side_labels(self) -> None:
        lay, info = self.layout, self.info
        inputs, outputs = lay.columns[0], lay.columns[-1]
        for i, y in zip(inputs.shown, inputs.ys, strict=True):
            self._labels.append(self._label(info.input_labels[i], inputs.x - lay.radius - 8, y,
                                            right_align=True, italic=info.is_engineered(i)))
        for i, y in zip(outputs.shown, outputs.ys, strict=True):
            self._labels.append(self._label(info.class_names[i], outputs.x + lay.radius + 8, y,
                                            right_align=False))

    def _label(self, text: str, x: float, y: float, right_align: bool, italic: bool = False):
        font = QFont(self.font())
        font.setItalic(italic)  # an engineered input's name: computed, not measured
        item = self.scene().addSimpleText(text, font)
        item.setBrush(QBrush(theme.text()))
        item.setZValue(3)
        item.setData(0, (x, y, right_align))
        self._place(item)
        return item

    @staticmethod
    def _place(item) -> None:
        x, y, right_align = item.data(0)
        r = item.boundingRect()
        item.setPos(x - r.width() if right_align else x, y - r.height() / 2)

    def set_overlay(self, overlay) -> None:
        """Draw `overlay` (e.g. gradients instead of weights) over the network; None: the
        plain network again."""
        if self.overlay is overlay:
            return
        if self.overlay is not None:
            self.overlay.detach(self)
        self.overlay = overlay
        if overlay is not None and self.layout is not None:
            overlay.attach(self)
        self.refresh()

    def mark_column(self, column: int | None) -> None:
        """Shade a column's background (the layer a forward-pass step is about)."""
        self.marked_column = column
        if self._mark is not None:
            self.scene().removeItem(self._mark)
            self._mark = None
        lay = self.layout
        if column is None or lay is None or not 0 <= column < len(lay.columns):
            return
        col, r = lay.columns[column], lay.radius
        top, bottom = min(col.ys) - r, max(max(col.ys), col.ellipsis_y or 0) + r
        colour = QColor(theme.warning())
        colour.setAlphaF(0.18)
        self._mark = self.scene().addRect(QRectF(col.x - 2.2 * r, top - 1.5 * r, 4.4 * r,
                                                 bottom - top + 3 * r), QPen(Qt.PenStyle.NoPen),
                                          QBrush(colour))
        self._mark.setZValue(-1)

    # --- colours -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recolour from `self.info` (weights, activations) without rebuilding. Runs with
        every window frame while training, and each Python call here is GIL time taken
        from the training thread: a neuron or label is only touched when its shade (one
        of 64) or its text has changed."""
        info = self.info
        if info is None or self._edges is None:
            return
        matrices = self.overlay.edge_matrices(info) if self.overlay is not None else None
        if matrices is not None:
            self._edges.set_weights(self._edges.values_from(matrices))
        elif info.snapshot is not None:
            self._edges.set_weights(self._edges.weights_from(info.snapshot))
        last = len(self._neurons) - 1
        for c, items in enumerate(self._neurons):
            values = info.column_values(c)
            if values is None:
                keys = [None] * len(items)
            else:
                shown = np.asarray(values, dtype=np.float64)[list(self.layout.columns[c].shown)]
                scale = max(float(np.abs(values).max()), 1e-9)
                t = shown if c == last else np.abs(shown) / scale
                # 64 shades: finer steps are invisible.
                levels = np.round(np.clip(t, 0.0, 1.0) * 64).astype(int).tolist()
                keys = [(v >= 0, level) for v, level in zip(shown.tolist(), levels, strict=True)]
            for item, key, old in zip(items, keys, self._shades[c], strict=True):
                if key != old:
                    item.setBrush(self._brush(key))
            self._shades[c] = keys
        self._update_label_text()

    def _brush(self, key) -> QBrush:
        """The brush of a shade (sign, level of 64); None: no value yet."""
        brush = self._brushes.get(key)
        if brush is None:
            base = theme.background()
            if key is None:
                brush = QBrush(base)
            else:
                positive, level = key
                brush = QBrush(theme.blend(base, theme.positive() if positive else
                                           theme.negative(), level / 64))
            self._brushes[key] = brush
        return brush

    def _update_label_text(self) -> None:
        info, lay = self.info, self.layout
        n_inputs = len(lay.columns[0].shown)
        for k, item in enumerate(self._labels):
            if k < n_inputs:
                text = info.input_text(lay.columns[0].shown[k])
            else:
                text = info.output_text(lay.columns[-1].shown[k - n_inputs])
            if text != item.text():
                item.setText(text)
                self._place(item)

    def mouseMoveEvent(self, event) -> None:
        """The neuron or connection under the mouse describes itself in a tooltip."""
        super().mouseMoveEvent(event)
        neuron = self.neuron_at(event.position().toPoint())
        if neuron != self._hovered:
            self._hovered = neuron
            self.neuronHovered.emit(neuron)
        text = self.tooltip_at(event.position().toPoint())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        if self._hovered is not None:
            self._hovered = None
            self.neuronHovered.emit(None)

    def neuron_at(self, point) -> tuple[int, int] | None:
        """(column, index) of the neuron at a view point (under its map, if it shows one)."""
        for item in self.items(point):
            if isinstance(item, QGraphicsEllipseItem) and item.data(0) is not None:
                return tuple(item.data(0))
        return None

    def tooltip_at(self, point) -> str | None:
        """Bias and activation of a neuron, or the weight of a connection, at a view point."""
        if self.info is None or self._edges is None:
            return None
        neuron = self.neuron_at(point)
        if neuron is not None:
            text = describe_neuron(self.info, *neuron)
            if self.map_hint and neuron[0]:
                text = f"{text}\n\n{self.map_hint}"
            return text if self.overlay is None else self.overlay.neuron_text(text, *neuron)
        # Within 4 pixels on screen, however far the drawing is scaled down.
        i = self._edges.nearest(self.mapToScene(point), 4.0 / self.scale_factor)
        if i is None:
            return None
        gap, to, frm = self._edges.index[i]
        if self.overlay is not None:
            return self.overlay.edge_text(self.info, gap, to, frm, self._edges.weights[i])
        return describe_edge(self.info, gap, to, frm, self._edges.weights[i])

    def mousePressEvent(self, event) -> None:
        if self.layout is not None and event.button() == Qt.MouseButton.LeftButton:
            neuron = self.neuron_at(event.position().toPoint())
            if neuron is not None:
                self.neuronClicked.emit(neuron)
            x = self.mapToScene(event.position().toPoint()).x()
            cols = [c.x for c in self.layout.columns]
            nearest = int(np.argmin([abs(x - cx) for cx in cols]))
            if abs(x - cols[nearest]) < 40:
                self.columnClicked.emit(nearest)
        super().mousePressEvent(event)

    def column_centres(self) -> list[float]:
        """Each column's x in the view (where the cards above it go)."""
        if not self.layout:
            return []
        return [c.x * self.scale_factor for c in self.layout.columns]
