"""The small panel above each hidden column: width, activation, dropout, remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
)

from playground.core.network.spec import ACTIVATIONS, MAX_UNITS, LayerSpec

ACTIVATION_HELP = {
    "relu": "ReLU: max(0, z) — the usual default",
    "tanh": "tanh: squashes z into (−1, 1)",
    "sigmoid": "sigmoid: squashes z into (0, 1)",
    "leaky_relu": "leaky ReLU: z, or 0.01·z when z < 0 — never quite dead",
    "gelu": "GELU: a smooth ReLU used by transformers",
    "linear": "linear: z itself — no non-linearity",
}


class LayerCard(QFrame):
    """Edits one LayerSpec; `changed` carries the new value, `removeRequested` asks to go."""

    changed = Signal(int, object)  # layer index, LayerSpec
    removeRequested = Signal(int)
    selected = Signal(int)

    def __init__(self, index: int, layer: LayerSpec, parent=None) -> None:
        super().__init__(parent)
        self.index = index
        self.layer = layer
        self.setObjectName(f"layerCard:{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)

        title = QLabel(f"<b>Hidden {index + 1}</b>")
        remove = QToolButton(text="✕", objectName=f"removeLayer:{index}")
        remove.setToolTip(f"Remove hidden layer {index + 1}")
        remove.setAutoRaise(True)
        remove.clicked.connect(self._remove)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(remove)

        self.minus = QToolButton(text="−", objectName=f"narrowLayer:{index}")
        self.minus.setToolTip("One neuron fewer")
        self.plus = QToolButton(text="+", objectName=f"widenLayer:{index}")
        self.plus.setToolTip("One neuron more")
        self.units = QSpinBox(objectName=f"unitsInput:{index}")
        self.units.setRange(1, MAX_UNITS)
        self.units.setValue(layer.units)
        self.units.setKeyboardTracking(False)  # apply on Enter or focus change, not per digit
        self.units.setToolTip("Neurons in this layer (type a number and press Enter)")
        self.units.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)  # − and + are beside it
        self.minus.clicked.connect(self._narrow)
        self.plus.clicked.connect(self._widen)
        self.units.valueChanged.connect(self._set_units)
        row = QHBoxLayout()
        row.addWidget(self.minus)
        row.addWidget(self.units, 1)
        row.addWidget(self.plus)

        self.activation = QComboBox(objectName=f"activationInput:{index}")
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
            self.activation.setItemData(self.activation.count() - 1, ACTIVATION_HELP[name],
                                        Qt.ItemDataRole.ToolTipRole)
        self.activation.setCurrentIndex(ACTIVATIONS.index(layer.activation))
        self.activation.setToolTip(ACTIVATION_HELP[layer.activation])
        self.activation.currentIndexChanged.connect(self._on_activation)

        self.dropout = QDoubleSpinBox(objectName=f"dropoutInput:{index}")
        self.dropout.setRange(0.0, 0.9)
        self.dropout.setSingleStep(0.05)
        self.dropout.setDecimals(2)
        self.dropout.setPrefix("dropout ")
        self.dropout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dropout.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.dropout.setKeyboardTracking(False)
        self.dropout.setValue(layer.dropout)
        self.dropout.setToolTip("Fraction of this layer's neurons switched off at random in "
                                "each training step (0 = none)")
        self.dropout.valueChanged.connect(self._on_dropout)

        box = QVBoxLayout(self)
        box.setContentsMargins(6, 4, 6, 6)
        box.setSpacing(3)
        box.addLayout(top)
        box.addLayout(row)
        box.addWidget(self.activation)
        box.addWidget(self.dropout)

    def mousePressEvent(self, event) -> None:
        self.selected.emit(self.index)
        super().mousePressEvent(event)

    def set_selected(self, on: bool) -> None:
        self.setFrameShape(QFrame.Shape.Box if on else QFrame.Shape.StyledPanel)
        self.setLineWidth(2 if on else 1)

    @Slot()
    def _remove(self) -> None:
        self.removeRequested.emit(self.index)

    @Slot()
    def _narrow(self) -> None:
        self._set_units(self.layer.units - 1)

    @Slot()
    def _widen(self) -> None:
        self._set_units(self.layer.units + 1)

    @Slot(int)
    def _set_units(self, units: int) -> None:
        units = max(1, min(MAX_UNITS, int(units)))
        if units != self.layer.units:
            self.changed.emit(self.index, LayerSpec(units, self.layer.activation,
                                                    self.layer.dropout))

    @Slot(int)
    def _on_activation(self, _: int) -> None:
        name = self.activation.currentData()
        if name != self.layer.activation:
            self.changed.emit(self.index, LayerSpec(self.layer.units, name, self.layer.dropout))

    @Slot(float)
    def _on_dropout(self, value: float) -> None:
        if abs(value - self.layer.dropout) > 1e-9:
            self.changed.emit(self.index, LayerSpec(self.layer.units, self.layer.activation,
                                                    round(value, 2)))
