"""Neuron maps: every hidden and output neuron in the editor shows, inside its circle,
its output over a plane of two input features, so a person sees the first layer draw
lines and the next layers combine them.

The plane is the decision map's: its two features (the first two until the decision
map is opened and set), the other features held at the prediction panel's values.
The maps come from the latest weight snapshot, all neurons at once in one forward
pass over a 32 × 32 grid (coarser for wide networks; core/neuron_maps.py), once
per snapshot: the window's frame calls `update()`, which does nothing when the
snapshot, the plane and the held values are those of the maps already shown.

While training runs, the maps follow at most LIVE_RATE times a second (and the last
snapshot of a run always), away from the frames: a frame takes the snapshot, a timer
half a frame interval later paints the maps into one canvas (0.2–0.5 ms of Python,
float32), and SHOW_AFTER_MS later hands it to Qt, whose repaint of the maps takes
0.2–0.5 ms more. A frame is where the GUI thread is already busy (1–3 ms of Python
and painting): done with the frame, the maps made its late timer ticks later still,
and a 5 ms timer's 99th-percentile lateness 10–20 % worse (bench: neuron maps).
Between frames, in two steps, a tick they delay is late by little. They keep to
their own share of the wall time (SHARE), beside the frame budget's. Otherwise (a
person's edit, the end of a run) they are painted and shown at once, in the same
frame as the rest of the window.

Hovering a neuron shows its map large in the decision map (when that is open), with
the data on top; a click pins it there (and opens the decision map), a second click
or Esc unpins it.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QPen, QShortcut
from PySide6.QtWidgets import QToolButton

from playground.core.network.neuron_maps import grid_size, maps_on, plane, plane_range
from playground.ui import theme
from playground.ui.editor.network_layout import MAX_RADIUS
from playground.ui.editor.neuron_map_items import NeuronMapItems, Painted
from playground.ui.editor.neuron_text import neuron_name

MAP_DOCK = "decisionMapDock"
# The person's own choice, per kind of data set: maps are on by default where there are
# only two features (the plane is the whole input), off where there are more.
SETTING = "view/neuron_maps_{}"
# Map updates a second, at most, while training. Each update's Python time is taken
# from the training thread through the GIL; at four a second the maps cost XOR's 2×8
# network 5–9 % of its epochs in `playground bench`, more than they are worth.
LIVE_RATE = 2.0
# ... and while training, the maps take at most this share of the wall time: a wide
# network's maps (tens of milliseconds on a busy machine, for the matrix products)
# are redone every few seconds instead.
SHARE = 0.01
SHOW_AFTER_MS = 8  # from painting the maps to showing them, while training
MAP_RADIUS = 20.0  # the neurons' largest radius with maps in them (13 without)


def data_kind(n_features: int) -> str:
    return "two_features" if n_features <= 2 else "more_features"


class NeuronMapDisplay(QObject):
    def __init__(self, session, editor, insights, settings) -> None:
        super().__init__(session)
        self.session, self.insights, self.settings = session, insights, settings
        self.view = editor.view
        self.items = NeuronMapItems(self.view)
        self.computed = 0  # maps computed so far (tests and the benchmark count them)
        self.hovered: tuple[int, int] | None = None
        self.pinned: tuple[int, int] | None = None
        self.ring = None  # the ring around the pinned neuron in the editor
        self._snapshot = None  # the snapshot of the maps shown
        self._shown_at = -np.inf  # when they were computed (perf_counter)
        # While training, the maps are painted between two frames, then shown a moment
        # later (see update).
        self._between = QTimer(self, singleShot=True)
        self._between.timeout.connect(self._between_frames)
        self._painted: list[Painted | None] = []  # painted, not yet shown (one at most)
        self.cost = 0.0  # seconds an update of the maps takes (the latest)
        self._plane = None  # their plane's cells, kept while the snapshots change
        self._plane_key = None  # (the pair, the held values) of those cells
        self._ranges: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

        self.action = QAction("Neuron &maps", self, checkable=True)
        self.action.setObjectName("neuronMapsAction")
        self.action.setShortcut(QKeySequence("Ctrl+M"))
        tip = ("Show each neuron's output over two input features inside its circle "
               "(Ctrl+M)")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.toggled.connect(self._on_toggled)
        self.action.triggered.connect(self._remember)
        self.button = QToolButton(objectName="neuronMapsButton")
        self.button.setDefaultAction(self.action)
        self.button.setText("Maps")
        editor.bar.insertWidget(2, self.button)
        # Esc unpins, only while a neuron is pinned: otherwise the key stays the editor's.
        self._unpin_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), editor)
        self._unpin_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._unpin_key.setEnabled(False)
        self._unpin_key.activated.connect(self.unpin)

        self.view.layoutChanged.connect(self._on_layout_changed)
        self.view.neuronHovered.connect(self._on_hovered)
        self.view.neuronClicked.connect(self._on_clicked)
        self._on_layout_changed()
        session.datasetChanged.connect(self._on_dataset_changed)

    # --- the toggle ----------------------------------------------------------------------
    @Slot(object)
    def _on_dataset_changed(self, dataset) -> None:
        self.use_dataset(dataset)

    def use_dataset(self, dataset) -> None:
        """A data set's kind decides whether maps show, unless the person chose."""
        self._ranges = {}
        self._forget()  # the standardizer is the new data's
        self.pinned = self.hovered = None
        key = SETTING.format(data_kind(dataset.n_features))
        self.action.setChecked(self.settings.value(key, dataset.n_features <= 2, bool))
        self._explain()

    def set_enabled(self, on: bool) -> None:
        self.action.setChecked(on)

    @Slot(bool)
    def _remember(self, on: bool) -> None:
        """Only a person's click or key is remembered, not a data set's default."""
        key = SETTING.format(data_kind(self.session.dataset.n_features))
        self.settings.setValue(key, on)

    def _forget(self) -> None:
        """The maps shown no longer hold; a painting under way is for the old ones."""
        self._drop_pending()
        self._plane = self._plane_key = None

    def _drop_pending(self) -> None:
        """No painting or showing left to do: the next update makes the maps anew."""
        self._between.stop()
        self._painted.clear()
        self._snapshot = None

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self._forget()
        self.view.set_max_radius(MAP_RADIUS if on else MAX_RADIUS)  # lays out afresh
        if on:
            self.update()
        else:
            self.items.hide()

    # --- the small maps ---------------------------------------------------------------------
    def pair(self) -> tuple[int, int]:
        """The decision map's two features, or the first two before it exists."""
        view = self.insights.views.get(MAP_DOCK)
        if view is not None:
            return view.scatter.axes()
        return 0, min(1, self.session.dataset.n_features - 1)

    def update(self, live: bool = False, after: float = 0.0) -> None:
        """Bring the maps up to date with the latest snapshot and the prediction panel:
        nothing to do when neither has changed what they show, or when they are off.

        `live`: a frame while training runs. New maps are painted `after` seconds
        later (half a frame interval: not beside a frame), and shown SHOW_AFTER_MS
        after that, unless the last were painted less than 1 / LIVE_RATE seconds ago."""
        if not self.action.isChecked():
            return
        w = self.session
        if w.snapshot is None or w.split is None or \
                w.snapshot.weights[0].shape[1] != w.spec.widths[0] or \
                len(w.snapshot.weights) != len(w.spec.hidden) + 1:
            # No weights yet, or those of a network being replaced (as _show_prediction)
            self.items.hide()
            self._forget()
            return
        if not live and self._between.isActive():
            # Training stopped (or a person changed something) before the maps were
            # painted and shown: they are made at once, in this frame, instead.
            self._drop_pending()
        pair = self.pair()
        held = np.asarray(w.prediction.values(), dtype=np.float64)
        n = grid_size(w.spec.widths)  # finer for small networks, coarser for wide ones
        plane_key = (pair, n, np.delete(held, list(set(pair))).tobytes())
        if plane_key != self._plane_key:
            if pair not in self._ranges:
                self._ranges[pair] = plane_range(w.dataset.x, pair)
            self._forget()
            self._plane = plane(w.split.standardizer, held, pair, *self._ranges[pair], n)
            self._plane_key = plane_key
        elif w.snapshot is self._snapshot:
            return  # the maps shown (or to be painted) are this snapshot's, on this plane
        elif live and (self._between.isActive() or time.perf_counter() - self._shown_at <
                       max(1 / LIVE_RATE, self.cost / SHARE)):
            return
        self._snapshot, self._shown_at = w.snapshot, time.perf_counter()
        if live:
            self._between.start(int(after * 1000))
        else:
            self.items.put(self._paint())

    @Slot()
    def _between_frames(self) -> None:
        """Paint the maps, then show them SHOW_AFTER_MS later: the painting and the
        repaint of the editor it brings (0.2–0.5 ms) are two short waits for a timer,
        not one longer one."""
        if self._painted:
            self.items.put(self._painted.pop())
        else:
            self._painted.append(self._paint())
            self._between.start(SHOW_AFTER_MS)

    def _paint(self) -> Painted | None:
        """The maps of the snapshot taken over the plane, painted into the canvas (None
        when no neuron is drawn)."""
        canvas = self.items.canvas
        if canvas is None:
            return None
        self.computed += 1
        start = time.perf_counter()
        painted = canvas.paint(maps_on(self._snapshot, self._plane, np.float32))
        self.cost = time.perf_counter() - start
        return painted

    @Slot()
    def axes_changed(self) -> None:
        """The decision map's features changed: the maps follow."""
        self._explain()
        self.update()

    @Slot()
    def _on_layout_changed(self) -> None:
        self.ring = None  # the scene was cleared: it is gone
        self.items.build()
        self._forget()
        if self.pinned is not None and self.pinned not in self.items.items:
            self.unpin()
        self._ring_pinned()
        self._explain()
        self.update()

    def _explain(self) -> None:
        """What a neuron's tooltip says about its map."""
        features = self.session.dataset.features
        ix, iy = self.pair()
        held = "; every other feature is held at the prediction panel's value" \
            if len(features) > 2 else ""
        shown = "Inside the circle" if self.action.isChecked() else "Its map (View ▸ Neuron maps)"
        self.view.map_hint = (
            f"{shown}: this neuron's output over {features[ix].label} (across) and "
            f"{features[iy].label} (up), as in the decision map — blue positive, orange "
            f"negative{held}.\nHover: the decision map shows it large. Click: pin it there "
            "(click again or Esc to unpin).")

    # --- hover and pin: the decision map shows a neuron -------------------------------------
    @Slot(object)
    def _on_hovered(self, neuron) -> None:
        self.hovered = neuron if neuron is not None and neuron[0] > 0 else None
        self._show_in_map()

    @Slot(object)
    def _on_clicked(self, neuron) -> None:
        if neuron[0] == 0:
            return  # an input: its "map" would be the plane itself
        self.pinned = None if neuron == self.pinned else neuron
        if self.pinned is not None:
            dock = self.insights.docks[MAP_DOCK]
            dock.show()
            dock.raise_()
        self._show_in_map()

    @Slot()
    def unpin(self) -> None:
        self.pinned = None
        self._show_in_map()

    def _ring_pinned(self) -> None:
        """A ring in the warning colour around the pinned neuron, so it is plain which
        one the decision map keeps showing."""
        if self.ring is not None:
            self.view.scene().removeItem(self.ring)
            self.ring = None
        lay = self.view.layout
        if self.pinned is None or lay is None:
            return
        c, i = self.pinned
        col, r = lay.columns[c], lay.radius + 3
        y = col.ys[col.shown.index(i)]
        self.ring = self.view.scene().addEllipse(col.x - r, y - r, 2 * r, 2 * r,
                                                 QPen(theme.warning(), 2.5))
        self.ring.setZValue(2.6)  # over the map, under the labels

    def _show_in_map(self) -> None:
        self._unpin_key.setEnabled(self.pinned is not None)
        self._ring_pinned()
        # A hidden map that exists is told too (an unpin while it is closed), so that it
        # does not show a stale neuron when reopened; none is built just for this.
        view = self.insights.views.get(MAP_DOCK)
        if not self.insights.docks[MAP_DOCK].isVisible():
            if view is None:
                return
        else:
            view = self.insights.view(MAP_DOCK)
        neuron = self.hovered or self.pinned
        view.show_neuron(neuron, self._title(neuron))

    def _title(self, neuron) -> str:
        if neuron is None or self.view.info is None:
            return ""
        name = neuron_name(self.view.info, *neuron)
        features = self.session.dataset.features
        ix, iy = self.pair()
        text = (f"<b>{name[0].upper()}{name[1:]}</b>: its output over "
                f"{features[ix].label} and {features[iy].label} — blue positive, orange "
                "negative")
        if neuron == self.pinned:
            text += " (pinned: click the neuron again or press Esc to unpin)"
        return text
