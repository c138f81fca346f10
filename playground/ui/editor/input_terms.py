"""The editor's Inputs header: its title and a menu that adds engineered inputs.

The menu's items (x², x₁·x₂, sin x) are checkable; choosing one emits the kinds
that should be on, and the editor turns them into a spec edit (undoable like any
other). Which features the terms use is the editor's to say (engineered.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from playground.core.network.engineered import KIND_HELP, KIND_SYMBOLS, KIND_WORDS, KINDS
from playground.core.network.spec import NetworkSpec


class InputsHeader(QWidget):
    """"Inputs (2 + 2)" and a button whose menu switches each kind of engineered input."""

    kindsChosen = Signal(tuple)

    def __init__(self, spec: NetworkSpec, numeric: int, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("inputsHeader")
        extra = len(spec.engineered)
        count = f"{spec.n_inputs} + {extra}" if extra else f"{spec.n_inputs}"
        self.title = QLabel(f"<b>Inputs</b> ({count})")
        self.button = QToolButton(objectName="engineeredInputsButton")
        self.button.setText("x², sin…")
        # A framed button like the editor's others: flat text beside the title was
        # easy to miss.
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # "…" says there is a menu; Qt's own arrow beside it crowded the short text.
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.button.setToolTip("Engineered inputs: extra input neurons computed from the "
                               "features (x², x₁·x₂, sin x). With them a network without "
                               "hidden layers can draw curved boundaries.")
        menu = QMenu(self.button)
        on = {t[0] for t in spec.engineered}
        self.actions = {}
        for kind in KINDS:
            action = menu.addAction(f"{KIND_SYMBOLS[kind]}  ({KIND_WORDS[kind]})")
            action.setObjectName(f"inputKind:{kind}")
            action.setCheckable(True)
            action.setChecked(kind in on)
            action.setToolTip(KIND_HELP[kind])
            # A product needs two numeric features; the others one.
            action.setEnabled(numeric >= (2 if kind == "product" else 1) or kind in on)
            action.toggled.connect(self._on_toggled)
            self.actions[kind] = action
        menu.setToolTipsVisible(True)
        self.button.setMenu(menu)
        self.button.setEnabled(numeric > 0 or bool(on))
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.button)

    def text(self) -> str:
        """The title, as the Outputs title's QLabel.text() gives its own."""
        return self.title.text()

    def checked_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in KINDS if self.actions[k].isChecked())

    @Slot(bool)
    def _on_toggled(self, _: bool) -> None:
        self.kindsChosen.emit(self.checked_kinds())
