"""The centre of the window: the drawn network with a card above each hidden layer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.core.network.engineered import KIND_SYMBOLS, make_terms, product_pair
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.ui.editor.input_terms import InputsHeader
from playground.ui.editor.layer_card import LayerCard
from playground.ui.editor.network_view import NetworkView
from playground.ui.editor.neuron_text import NeuronInfo

CARD_WIDTH = 138
CARD_MIN_WIDTH = 112  # narrower, its title and dropout field are cut off
GAP = 4  # pixels between neighbouring cards, and between rows of cards


def rows_for(spans: list[list[int]], width: int) -> list[list[int]]:
    """The indices of `spans` ([left, width] each, in column order: the inputs' title,
    the cards, the outputs' title) in as few rows as let every row's widgets sit side by
    side within `width`: every r-th widget in a row, so that in each row neighbours are
    r columns apart and each stays near its column. Hidden 1 is in the top row, Hidden 2
    in the next, and so on; the inputs' title, at the left, in the last."""
    n = len(spans)
    for r in range(1, n + 1):
        rows = [[i for i in range(n) if (i + r - 1) % r == k] for k in range(r)]
        if all(sum(spans[i][1] + GAP for i in row) - GAP <= width for row in rows):
            return rows
    return [[i] for i in range(n)]


def fit_row(spans: list[list[int]], width: int) -> None:
    """Move the spans of one row (in place) as little as it takes for none to overlap
    its neighbour or leave [0, width]: each over its column unless that collides."""
    for before, span in zip(spans, spans[1:], strict=False):
        span[0] = max(span[0], before[0] + before[1] + GAP)
    limit = width
    for span in reversed(spans):
        span[0] = max(min(span[0], limit - span[1]), 0)
        limit = span[0] - GAP


class _CardStrip(QWidget):
    """Positions each card over its column (the columns' x come from the view)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cards: list[LayerCard] = []
        self.titles: list[QWidget] = []
        self.centres: list[float] = []

    def place(self, centres: list[float]) -> None:
        self.centres = centres
        height = max([c.sizeHint().height() for c in self.cards] + [24])
        widgets = [self.titles[0], *self.cards, self.titles[1]] if self.titles else self.cards
        spacing = (centres[1] - centres[0]) if len(centres) > 1 else CARD_WIDTH
        width = int(min(CARD_WIDTH, max(CARD_MIN_WIDTH, spacing - 8)))
        spans = []
        for widget, x in zip(widgets, centres, strict=False):
            w = width if isinstance(widget, LayerCard) else max(widget.sizeHint().width(), 60)
            spans.append([int(x - w / 2), w])
        # Each over its column, unless that overlaps a neighbour or leaves the strip (a
        # narrow window): then pushed apart, in order, as little as it takes. When they
        # cannot all fit side by side (many layers in a narrow window), they take two or
        # more rows, alternating, so that no card ever covers another.
        # Not yet shown, the strip has a placeholder width: rows for it would raise the
        # strip's least height, and the window would grow to fit before the real width
        # arrives (a resize event places them again then).
        rows = rows_for(spans, self.width()) if self.isVisible() else [list(range(len(spans)))]
        top = {}
        for r, row in enumerate(rows):
            fit_row([spans[i] for i in row], self.width())
            top.update(dict.fromkeys(row, r * (height + GAP)))
        self.setMinimumHeight(len(rows) * (height + GAP) - GAP)
        for i, (widget, (left, w)) in enumerate(zip(widgets, spans, strict=False)):
            widget.setGeometry(left, top[i], w, height)
            widget.show()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.centres:
            self.place(self.centres)


class NetworkEditor(QWidget):
    """Emits `specEdited(new_spec, description)`; the window decides what happens."""

    specEdited = Signal(object, str)
    layerSelected = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("networkEditor")
        self.spec: NetworkSpec | None = None
        self.selected = -1  # the hidden layer the add/remove buttons act on (-1: the last)
        # Engineered inputs: the features they may use (numeric ones), and where the pair
        # of a product comes from (the decision map's axes, when it has chosen them).
        self.numeric_features: list[int] = []
        self.feature_pair: Callable[[], tuple[int, int] | None] | None = None

        self.add_button = QPushButton("Add layer", objectName="addLayerButton")
        self.add_button.setToolTip("Add a hidden layer after the selected one (Ctrl+L)")
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button = QPushButton("Remove layer", objectName="removeLayerButton")
        self.remove_button.setToolTip("Remove the selected hidden layer (Ctrl+Shift+L)")
        self.remove_button.clicked.connect(self.remove_layer)
        self.summary = QLabel(objectName="networkSummary")
        # It takes the bar's free width, right-aligned, and wraps onto two lines only
        # when there is too little, rather than widening the window's least width.
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.summary, 1)
        self.bar = bar  # the window adds its own toggles here (see neuron_maps.py)

        self.strip = _CardStrip(self)
        self.view = NetworkView(self)
        self.view.layoutChanged.connect(self._place_cards)
        self.view.columnClicked.connect(self._on_column_clicked)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.addLayout(bar)
        box.addWidget(self.strip)
        box.addWidget(self.view, 1)

    # --- showing ---------------------------------------------------------------------
    def set_network(self, spec: NetworkSpec, info: NeuronInfo) -> None:
        self.spec = spec
        if self.selected >= len(spec.hidden):
            self.selected = -1
        for widget in [*self.strip.cards, *self.strip.titles]:
            widget.deleteLater()
        self.strip.cards = []
        for i, layer in enumerate(spec.hidden):
            card = LayerCard(i, layer, self.strip)
            card.changed.connect(self._on_layer_changed)
            card.removeRequested.connect(self._on_remove_requested)
            card.selected.connect(self._select)
            card.set_selected(i == self.selected)
            self.strip.cards.append(card)
        inputs = InputsHeader(spec, len(self.numeric_features), self.strip)
        inputs.kindsChosen.connect(self._on_kinds_chosen)
        self.strip.titles = [inputs,
                             QLabel("<b>Output</b> linear (1)" if spec.n_outputs == 1 else
                                    f"<b>Outputs</b> softmax ({spec.n_outputs})", self.strip)]
        self.remove_button.setEnabled(bool(spec.hidden))
        self.summary.setText(f"{len(spec.hidden)} hidden layer"
                             f"{'s' if len(spec.hidden) != 1 else ''} · "
                             f"{spec.parameter_count():,} weights and biases")
        self.view.set_info(info)

    def update_values(self, info: NeuronInfo) -> None:
        """New weights or a new input: recolour, without rebuilding."""
        self.view.info = info
        self.view.refresh()

    @Slot()
    def _place_cards(self) -> None:
        self.strip.place(self.view.column_centres())

    # --- editing -----------------------------------------------------------------------
    @Slot()
    def add_layer(self) -> None:
        spec = self.spec
        at = len(spec.hidden) if self.selected < 0 else self.selected + 1
        template = spec.hidden[at - 1] if at > 0 else LayerSpec(8, "relu")
        layer = LayerSpec(template.units, template.activation, 0.0)
        self.selected = at
        self.specEdited.emit(spec.inserted(at, layer), f"Add hidden layer {at + 1}")

    @Slot()
    def remove_layer(self) -> None:
        if self.spec.hidden:
            self._on_remove_requested(self.selected if self.selected >= 0
                                      else len(self.spec.hidden) - 1)

    @Slot(int)
    def _on_remove_requested(self, index: int) -> None:
        self.selected = -1
        self.specEdited.emit(self.spec.removed(index), f"Remove hidden layer {index + 1}")

    @Slot(int, object)
    def _on_layer_changed(self, index: int, layer: LayerSpec) -> None:
        old = self.spec.hidden[index]
        if layer.units != old.units:
            text = f"Hidden layer {index + 1}: {old.units} → {layer.units} neurons"
        elif layer.activation != old.activation:
            text = f"Hidden layer {index + 1}: activation {layer.activation}"
        else:
            text = f"Hidden layer {index + 1}: dropout {layer.dropout:g}"
        self.specEdited.emit(self.spec.with_layer(index, layer), text)

    @Slot(tuple)
    def _on_kinds_chosen(self, kinds: tuple) -> None:
        """Engineered inputs on or off: squares and sines of every numeric feature, and the
        product of a pair (kept while it is on; else the decision map's, or the first two)."""
        pair = product_pair(self.spec.engineered)
        if pair is None and self.feature_pair is not None:
            pair = self.feature_pair()
        terms = make_terms(kinds, self.numeric_features, pair)
        if terms == self.spec.engineered:
            return
        text = ", ".join(KIND_SYMBOLS[k] for k in kinds) or "none"
        self.specEdited.emit(self.spec.with_engineered(terms), f"Engineered inputs: {text}")

    @Slot(int)
    def _select(self, index: int) -> None:
        self.selected = index
        for card in self.strip.cards:
            card.set_selected(card.index == index)
        self.layerSelected.emit(index)

    @Slot(int)
    def _on_column_clicked(self, column: int) -> None:
        if 0 < column <= len(self.spec.hidden):
            self._select(column - 1)
