"""Enter a penguin's measurements; see each species' probability and the verdict (or,
for a regression data set, the predicted value)."""

from __future__ import annotations

import functools
import math

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.dataset import Dataset
from playground.core.network.predictor import range_warning, scale_fix, scale_fix_text
from playground.ui import theme
from playground.ui.training.bars import set_bar

SCROLL_AFTER_ROWS = 12  # more inputs than this scroll within the panel


def _decimals(values: np.ndarray) -> int:
    """As many decimals as the data uses (at most 3): 181 mm, 39.1 mm, 3750 g. The
    first rows tell (a million rows would take seconds)."""
    values = values[:2000]
    for d in range(4):
        if np.allclose(values, np.round(values, d), atol=1e-9):
            return d
    return 3


class PredictionPanel(QWidget):
    """Emits `inputChanged(raw vector)` whenever a value changes."""

    inputChanged = Signal(object)
    randomRequested = Signal()

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionPanel")
        self.dataset = dataset
        self.features = dataset.features
        self.inputs: list[QDoubleSpinBox] = []  # one per numeric feature
        self.flags: list[QLabel] = []
        self.fixes: list[QPushButton] = []  # the one-click unit fixes, one per input
        self.numeric: list[int] = []  # the feature index of each spin box
        # One drop-down per text column: its one-hot features' indices, one per item.
        self.choices: dict[str, tuple[QComboBox, list[int]]] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for j, f in enumerate(self.features):
            if f.is_one_hot:
                self._add_choice(form, j, f)
                continue
            box = QDoubleSpinBox(objectName=f"featureInput:{f.column}")
            span = f.high - f.low
            box.setDecimals(_decimals(dataset.x[:, j]))
            low = f.low - span if f.low - span < 0 <= f.low else min(0.0, f.low - span)
            box.setRange(low if f.low < 0 else max(0.0, low), f.high + 2 * span)
            box.setSingleStep(10 ** -box.decimals() if box.decimals() else
                              max(1.0, 10 ** math.floor(math.log10(max(span, 1)) - 1)))
            box.setSuffix(f" {f.unit}" if f.unit else "")
            box.setToolTip(f"{f.label}: seen from {f.low:g} to {f.high:g} in the data")
            box.setKeyboardTracking(True)
            box.valueChanged.connect(self._on_value_changed)
            flag = QLabel(objectName=f"rangeWarning:{f.column}")
            flag.setWordWrap(True)
            flag.setStyleSheet(f"color: {theme.warning().name()}; font-size: small;")
            flag.hide()
            # "Did you mean 192 mm?" under a value that looks written in another unit:
            # one click puts that value in.
            fix = QPushButton(objectName=f"rangeFix:{f.column}", flat=True)
            fix.setCursor(Qt.CursorShape.PointingHandCursor)
            link = theme.palette().color(QPalette.ColorRole.Link).name()
            fix.setStyleSheet(f"color: {link}; text-decoration: underline; text-align: left; "
                              "padding: 0; border: none;")
            fix.clicked.connect(self._on_fix_clicked)
            fix.hide()
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(box)
            cell.addWidget(flag)
            cell.addWidget(fix)
            form.addRow(f.display or f.column, cell)
            self.inputs.append(box)
            self.flags.append(flag)
            self.fixes.append(fix)
            self.numeric.append(j)

        row, label = dataset.nouns
        self.random_button = QPushButton(f"Random {row} from the validation set",
                                         objectName="randomSampleButton")
        self.random_button.setToolTip(f"Load a {row} the network has not trained on, and show "
                                      f"its true {label}")
        self.random_button.clicked.connect(self.randomRequested)
        self.truth = QLabel(objectName="trueLabel")
        self.truth.setWordWrap(True)

        self.predicted = QLabel("—", objectName="predictedLabel")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.predicted.setFont(big)
        self.predicted.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.predicted.setToolTip(
            f"The network's prediction of {dataset.label} (its linear output, in the "
            "data's units)" if dataset.is_regression else
            f"The {dataset.nouns[1]} with the highest probability")

        bars = QFormLayout()
        self.bars: dict[str, QProgressBar] = {}
        for i, name in enumerate(dataset.class_names):
            bar = QProgressBar(objectName=f"probability:{name}")
            bar.setRange(0, 1000)
            bar.setTextVisible(True)
            bar.setFormat("—")
            # A palette, not a style sheet: style-sheet bars cost ~3 ms a frame to paint.
            palette = bar.palette()
            palette.setColor(QPalette.ColorRole.Highlight, theme.class_colour(i))
            bar.setPalette(palette)
            bar.setToolTip(f"Probability that this is a {name} (softmax output)")
            bars.addRow(name, bar)
            self.bars[name] = bar

        inputs = QGroupBox("Measurements")
        inputs.setLayout(form)
        outputs = QGroupBox("Prediction")
        out_box = QVBoxLayout(outputs)
        out_box.addWidget(self.predicted)
        out_box.addLayout(bars)
        box = QVBoxLayout(self)
        many = form.rowCount() > SCROLL_AFTER_ROWS
        if many:  # dozens of inputs: scroll them, or the window outgrows the screen
            scroll = QScrollArea(objectName="measurementsScroll")
            scroll.setWidget(inputs)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setMinimumHeight(160)
            box.addWidget(scroll, 1)
        else:
            box.addWidget(inputs)
        box.addWidget(self.random_button)
        box.addWidget(self.truth)
        box.addWidget(outputs)
        if not many:
            box.addStretch(1)
        self.set_values(dataset.example_vector())

    true_class: str | None = None  # the species of a penguin taken from the data set
    true_row: int | None = None  # ... and its row in the data set, when the caller said

    def _add_choice(self, form: QFormLayout, j: int, f) -> None:
        """The one-hot columns of one text column become one drop-down of categories."""
        if f.group in self.choices:
            combo, columns = self.choices[f.group]
        else:
            combo = QComboBox(objectName=f"featureInput:{f.group}")
            combo.setToolTip(f"{f.group}: one of its categories (one-hot encoded)")
            combo.currentIndexChanged.connect(self._on_value_changed)
            columns = []
            self.choices[f.group] = (combo, columns)
            form.addRow(f.group, combo)
        columns.append(j)
        combo.blockSignals(True)  # built whole before it says anything
        combo.addItem(f.category)
        combo.blockSignals(False)

    def values(self) -> np.ndarray:
        """The encoded input vector: numbers as entered, 1 for each chosen category."""
        raw = np.zeros(len(self.features), dtype=np.float64)
        for j, box in zip(self.numeric, self.inputs, strict=True):
            raw[j] = box.value()
        for combo, columns in self.choices.values():
            if combo.currentIndex() >= 0:
                raw[columns[combo.currentIndex()]] = 1.0
        return raw

    def set_values(self, raw: np.ndarray, truth: str | None = None,
                   row: int | None = None) -> None:
        raw = np.asarray(raw, dtype=np.float64)
        if len(raw) != len(self.features):
            raise ValueError(f"{len(raw)} values for {len(self.features)} features")
        for j, box in zip(self.numeric, self.inputs, strict=True):
            box.blockSignals(True)
            box.setValue(float(raw[j]))
            box.blockSignals(False)
        for combo, columns in self.choices.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(int(np.argmax(raw[columns])))
            combo.blockSignals(False)
        self.truth.setText(f"True {self.dataset.nouns[1]}: <b>{truth}</b>" if truth else "")
        self.true_class = truth
        self.true_row = row if truth else None
        self._on_value_changed()

    @Slot()
    def _on_value_changed(self, *_) -> None:
        raw = self.values()
        numeric = [self.features[j] for j in self.numeric]
        for f, flag, fix, v in zip(numeric, self.flags, self.fixes, raw[self.numeric],
                                   strict=True):
            text = range_warning(f, float(v))
            flag.setVisible(bool(text))
            if text:
                flag.setText(f"⚠ outside the training range {f.low:g}–{f.high:g} {f.unit}")
                flag.setToolTip(text)
            hint = scale_fix_text(f, float(v))
            fix.setVisible(bool(hint))
            if hint:
                fix.setText(hint[0].upper() + hint[1:])
                fix.setToolTip(f"Set {f.display or f.column} to {scale_fix(f, float(v)):g}")
        if self.sender() in self.inputs or self.sender() in [c for c, _ in
                                                             self.choices.values()]:
            self.truth.clear()  # an edited penguin is no longer the one whose species we know
            self.true_class = self.true_row = None
        self.inputChanged.emit(raw)

    @Slot()
    def _on_fix_clicked(self) -> None:
        """Put in the value the "did you mean" button offers (as if typed)."""
        i = self.fixes.index(self.sender())
        fixed = scale_fix(self.features[self.numeric[i]], self.inputs[i].value())
        if fixed is not None:
            self.inputs[i].setValue(fixed)

    def set_features(self, features) -> None:
        """Training ranges of the current split, for the out-of-range flags."""
        self.features = tuple(features)
        self._on_value_changed()

    def show_probabilities(self, probabilities: np.ndarray | None) -> None:
        if probabilities is None:
            self.predicted.setText("—")
            for bar in self.bars.values():
                set_bar(bar, 0, "—")
            return
        names = self.dataset.class_names
        for name, p in zip(names, probabilities, strict=True):
            set_bar(self.bars[name], int(round(1000 * float(p))), f"{100 * float(p):.1f} %")
        self.predicted.setText(names[int(np.argmax(probabilities))])

    def show_value(self, value: float | None) -> None:
        """Regression: the predicted value, as precise as the data's own values."""
        if value is None or not math.isfinite(value):
            self.predicted.setText("—")
            return
        self.predicted.setText(f"{self.dataset.label} ≈ {value:,.{self._target_decimals}f}")

    @functools.cached_property
    def _target_decimals(self) -> int:
        """Worked out once: show_value runs with every window frame."""
        y = self.dataset.y
        return max(_decimals(y[:1000]), 2 if np.ptp(y) < 100 else 0)

    def truth_text(self, row: int) -> str:
        """The known label of a data set row: its class, or its value."""
        y = self.dataset.y[row]
        if self.dataset.is_regression:
            return f"{float(y):,.{self._target_decimals}f}"
        return self.dataset.class_names[int(y)]
