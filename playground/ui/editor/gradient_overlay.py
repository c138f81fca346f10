"""The backward pass drawn in the editor: every connection shows ∂loss/∂w of the current
example instead of its weight (colour: sign, thickness: size, as the weights are
drawn), each neuron its error term δ = ∂loss/∂z, with a legend that says so.

The editor's NetworkView calls `attach`/`detach` (its scene is rebuilt on a resize),
`edge_matrices` for what the connections show, and `neuron_text`/`edge_text` for its
tooltips. All of it comes from a numpy backward pass (core/backprop.py).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QLabel

from playground.core.network.backprop import Backward
from playground.ui import theme
from playground.ui.editor.neuron_text import describe_edge

LEGEND_MARGIN = 6


def _legend_html(largest: float) -> str:
    pos, neg = theme.positive().name(), theme.negative().name()
    return (f"<b>Connections: ∂loss/∂w</b> for this example (not the weights)<br>"
            f"<span style='color:{pos}'>━ positive</span>: the step lowers the weight · "
            f"<span style='color:{neg}'>━ negative</span>: it raises it<br>"
            f"thickness: size, the thickest {largest:.3g} · δ under a neuron: its error "
            "term ∂loss/∂z")


def _short(value: float) -> str:
    """Two significant digits, and a plain 0 for what rounds to nothing."""
    return "0" if abs(value) < 5e-5 else f"{value:+.2g}".replace("-", "−")


class GradientOverlay:
    def __init__(self) -> None:
        self.backward: Backward | None = None
        self._legend: QLabel | None = None
        self._labels: list = []  # (item, column, index) of each δ label in the scene
        self._view = None

    # --- what the explainer calls ---------------------------------------------------
    def show(self, view, backward: Backward) -> None:
        """Draw `backward` in `view` (the editor's NetworkView), replacing the weights."""
        self.backward = backward
        if view.overlay is self:
            self._update_labels()
            view.refresh()
        else:
            view.set_overlay(self)

    def hide(self, view) -> None:
        """The editor shows the weights again."""
        if view.overlay is self:
            view.set_overlay(None)

    # --- what the NetworkView calls ---------------------------------------------------
    def fits(self, snapshot) -> bool:
        """Whether the gradients belong to the drawn network (same layers and shapes)."""
        grads = None if self.backward is None else self.backward.weight_gradients
        return (snapshot is not None and grads is not None
                and len(grads) == len(snapshot.weights)
                and all(g.shape == w.shape for g, w in zip(grads, snapshot.weights,
                                                             strict=True)))

    def edge_matrices(self, info):
        """∂loss/∂W per layer for the connections; None: draw the weights."""
        return self.backward.weight_gradients if self.fits(info.snapshot) else None

    def attach(self, view) -> None:
        self._view = view
        if self._legend is None or self._legend.parent() is not view.viewport():
            self._legend = QLabel(view.viewport(), objectName="gradientLegend")
            self._legend.setStyleSheet(f"color: {theme.text().name()}; font-size: 8pt;")
        lay, scene = view.layout, view.scene()
        font = QFont(view.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.75, 6.0))
        height = QFontMetricsF(font).height()
        backdrop = QColor(theme.background())
        backdrop.setAlphaF(0.8)
        self._labels = []
        for c, col in enumerate(lay.columns[1:], start=1):
            # Under each neuron where the column leaves room, else to its left.
            gaps = np.diff(col.ys) if len(col.ys) > 1 else np.array([np.inf])
            below = float(gaps.min()) - 2 * lay.radius >= height + 1
            for i, y in zip(col.shown, col.ys, strict=True):
                # On a plate of the background: the label sits where connections pass.
                plate = scene.addRect(QRectF(), QPen(Qt.PenStyle.NoPen), backdrop)
                plate.setZValue(3)
                item = QGraphicsSimpleTextItem(plate)
                item.setFont(font)
                item.setData(0, (col.x, y + lay.radius + 1) if below else
                             (col.x - lay.radius - 2, y - height / 2, "left"))
                self._labels.append((item, c, i))
        self._update_labels()
        self._legend.show()
        self._place_legend(view)

    def detach(self, view) -> None:
        for item, _, _ in self._labels:
            plate = item.parentItem()
            if plate.scene() is not None:
                plate.scene().removeItem(plate)
        self._labels = []
        if self._legend is not None:
            self._legend.hide()
        self._view = None

    def neuron_text(self, text: str, column: int, index: int) -> str:
        delta = self._delta(column, index)
        if delta is None:
            return text
        return (f"{text}\nerror term δ = ∂loss/∂z = {delta:+.4g}\n"
                f"(∂loss/∂b = δ; each incoming ∂loss/∂w = δ × its input)")

    def edge_text(self, info, gap: int, to: int, frm: int, gradient: float) -> str:
        if not self.fits(info.snapshot):
            return describe_edge(info, gap, to, frm, gradient)
        weight = float(info.snapshot.weights[gap][to, frm])
        return f"{describe_edge(info, gap, to, frm, weight)}\n∂loss/∂w = {gradient:+.4g}"

    # --- inside ------------------------------------------------------------------------
    def _delta(self, column: int, index: int) -> float | None:
        """A neuron's error term; None where there is none, or the backward pass is of
        another network than the one drawn (a moment during a switch)."""
        b, view = self.backward, self._view
        if b is None or view is None or view.info is None or not self.fits(view.info.snapshot) \
                or not 1 <= column <= len(b.layers):
            return None
        return float(b.layers[column - 1].deltas[index])

    def _update_labels(self) -> None:
        pos, neg = QBrush(theme.positive()), QBrush(theme.negative())
        for item, c, i in self._labels:
            delta = self._delta(c, i)
            text = "" if delta is None else f"δ {_short(delta)}"
            if text != item.text():  # untouched otherwise: no repaint
                item.setText(text)
                item.setBrush(pos if delta is not None and delta >= 0 else neg)
                x, y, *left = item.data(0)
                box = item.boundingRect()
                left = x - box.width() if left else x - box.width() / 2
                item.setPos(left, y)
                item.parentItem().setRect(QRectF(left - 1, y, box.width() + 2, box.height()))
        if self._legend is not None and self.backward is not None:
            largest = max((float(abs(g).max(initial=0.0)) for g in
                           self.backward.weight_gradients), default=0.0)
            self._legend.setText(_legend_html(largest))
            self._legend.adjustSize()
            if self._view is not None:
                self._place_legend(self._view)

    def _place_legend(self, view) -> None:
        legend = self._legend
        legend.adjustSize()
        legend.move(LEGEND_MARGIN, view.viewport().height() - legend.height() - LEGEND_MARGIN)
