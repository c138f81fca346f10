"""The training settings: optimizer, learning rate, batches, epochs, split, seed, device.

Learning rate, weight decay, L1, batch size, epoch limit and optimizer apply live;
seed, validation fraction and device wait for the next Reset (the panel says so).
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.training.config import OPTIMIZERS, TrainingConfig

OPTIMIZER_NAMES = {
    "sgd": "SGD (plain gradient descent)",
    "momentum": "SGD with momentum",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
}
LIVE = ("optimizer", "learning_rate", "batch_size", "epochs", "weight_decay", "patience", "l1")
AT_RESET = ("val_fraction", "seed", "device")


class LogSpinBox(QDoubleSpinBox):
    """Steps on a log scale (×/÷ about 1.5: 0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.1)."""

    STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)

    def stepBy(self, steps: int) -> None:
        v = self.value()
        if v <= 0:
            self.setValue(self.minimum() if steps < 0 else 1e-5)
            return
        exp = math.floor(math.log10(v) + 1e-9)
        ladder = [m * 10**e for e in range(exp - 1, exp + 2) for m in self.STEPS]
        i = min(range(len(ladder)), key=lambda k: abs(math.log(ladder[k] / v)))
        j = max(0, min(len(ladder) - 1, i + steps))
        self.setValue(float(f"{ladder[j]:.6g}"))

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"


class TrainingControls(QWidget):
    liveChanged = Signal(str, object)  # field name, value
    resetSettingChanged = Signal()  # seed, validation fraction or device changed

    def __init__(self, config: TrainingConfig, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingControls")
        self.optimizer = QComboBox(objectName="optimizerInput")
        for name in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_NAMES[name], name)
        self.optimizer.setToolTip("How the gradient turns into a weight update. A new "
                                  "optimizer keeps the weights and starts its own state fresh.")
        self.learning_rate = LogSpinBox(objectName="learningRateInput")
        self.learning_rate.setDecimals(6)
        self.learning_rate.setRange(1e-6, 10.0)
        self.learning_rate.setToolTip("Step size of gradient descent (arrows step on a log "
                                      "scale). Too large and the loss explodes.")
        self.batch_size = QSpinBox(objectName="batchSizeInput")
        self.batch_size.setRange(0, 1_000_000)
        self.batch_size.setSpecialValueText("whole training set")
        self.epochs = QSpinBox(objectName="epochLimitInput")
        self.epochs.setRange(1, 100_000_000)
        self.epochs.setGroupSeparatorShown(True)
        self.epochs.setToolTip("Training pauses when it reaches this many epochs")
        self.patience = QSpinBox(objectName="patienceInput")
        self.patience.setRange(0, 1_000_000)
        self.patience.setSpecialValueText("off")
        self.patience.setSuffix(" epochs")
        self.patience.setToolTip("Early stopping: pause once the validation loss has not "
                                 "improved for this many epochs, and go back to the weights "
                                 "of its best epoch (guards against overfitting); off = 0")
        self.weight_decay = LogSpinBox(objectName="weightDecayInput")
        self.weight_decay.setDecimals(6)
        self.weight_decay.setRange(0.0, 1.0)
        self.weight_decay.setSpecialValueText("none")
        self.weight_decay.setToolTip("L2 penalty that pulls weights toward zero")
        self.l1 = LogSpinBox(objectName="l1Input")
        self.l1.setDecimals(6)
        self.l1.setRange(0.0, 1.0)
        self.l1.setSpecialValueText("none")
        self.l1.setToolTip(
            "L1 penalty: adds this × the sum of |weight| to the loss that training "
            "minimizes. It pulls every weight toward 0 by the same amount, so the weights "
            "the network does not need end at 0 and it uses fewer connections (See inside ▸ "
            "Inside the network counts them). Applies live. The loss curves show the data "
            "loss alone, without this penalty, so runs with and without it compare.")
        self.val_fraction = QDoubleSpinBox(objectName="valFractionInput")
        self.val_fraction.setRange(0.05, 0.9)
        self.val_fraction.setSingleStep(0.05)
        self.seed = QSpinBox(objectName="seedInput")
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setToolTip("Fixes the initial weights, the split and the shuffling "
                             "(applies at Reset)")
        self.device = QComboBox(objectName="deviceInput")
        self.device.addItem("automatic", "auto")
        self.device.setToolTip("Where training runs (applies at Reset). Automatic uses a GPU "
                               "only for networks big enough to gain from one: a small "
                               "network trains faster on the CPU")
        self.pending = QLabel(objectName="pendingResetLabel")
        self.pending.setWordWrap(True)
        self.pending.hide()

        form = QFormLayout()
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Epoch limit", self.epochs)
        form.addRow("Early stopping", self.patience)
        form.addRow("Weight decay", self.weight_decay)
        form.addRow("L1", self.l1)
        form.addRow("Validation share", self.val_fraction)
        form.addRow("Seed", self.seed)
        form.addRow("Device", self.device)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.pending)
        box.addStretch(1)

        self.name_rows("penguin")
        self._applied = config  # what the running trainer uses, for the "at Reset" hint
        self.set_config(config)
        self.optimizer.currentIndexChanged.connect(self._on_live)
        for spin in (self.learning_rate, self.batch_size, self.epochs, self.weight_decay,
                     self.l1, self.patience):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._on_live)
        for spin in (self.val_fraction, self.seed):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._on_reset_setting)
        self.device.currentIndexChanged.connect(self._on_reset_setting)

    def name_rows(self, one: str) -> None:
        """What the tooltips call a row of the data set (Dataset.nouns: "penguin")."""
        self.batch_size.setToolTip(f"{one.capitalize()}s per gradient step; 0 = all of them "
                                   "at once")
        self.val_fraction.setToolTip(f"Share of the {one}s held back to check the network "
                                     "on data it never trained on (applies at Reset)")

    def set_devices(self, devices: list[str]) -> None:
        """Offer only the devices this machine has (known once torch has loaded)."""
        current = self.device.currentData()
        self.device.blockSignals(True)
        self.device.clear()
        self.device.addItem("automatic", "auto")
        for d in devices:
            self.device.addItem(d.upper() if d != "cpu" else "CPU", d)
        i = self.device.findData(current)
        self.device.setCurrentIndex(max(i, 0))
        self.device.blockSignals(False)

    def set_config(self, config: TrainingConfig) -> None:
        widgets = (self.optimizer, self.learning_rate, self.batch_size, self.epochs,
                   self.weight_decay, self.l1, self.val_fraction, self.seed, self.device,
                   self.patience)
        for w in widgets:
            w.blockSignals(True)
        self.optimizer.setCurrentIndex(OPTIMIZERS.index(config.optimizer))
        self.learning_rate.setValue(config.learning_rate)
        self.batch_size.setValue(config.batch_size)
        self.epochs.setValue(config.epochs)
        self.patience.setValue(config.patience)
        self.weight_decay.setValue(config.weight_decay)
        self.l1.setValue(config.l1)
        self.val_fraction.setValue(config.val_fraction)
        self.seed.setValue(config.seed)
        i = self.device.findData(config.device)
        if i < 0:
            self.device.addItem(config.device, config.device)
            i = self.device.count() - 1
        self.device.setCurrentIndex(i)
        for w in widgets:
            w.blockSignals(False)
        self._applied = config
        self._update_pending()

    def config(self) -> TrainingConfig:
        return TrainingConfig(self.optimizer.currentData(), self.learning_rate.value(),
                              self.batch_size.value(), self.epochs.value(),
                              self.weight_decay.value(), round(self.val_fraction.value(), 4),
                              self.seed.value(), self.device.currentData(),
                              self.patience.value(), self.l1.value())

    def applied(self) -> TrainingConfig:
        """The settings the current network trains with (changes waiting for a Reset
        excluded)."""
        return self._applied

    def mark_applied(self) -> None:
        """A Reset has used the current settings."""
        self._applied = self.config()
        self._update_pending()

    @Slot()
    def _on_live(self, *_) -> None:
        config = self.config()
        for name in LIVE:
            if getattr(config, name) != getattr(self._applied, name):
                self._applied = replace(self._applied, **{name: getattr(config, name)})
                self.liveChanged.emit(name, getattr(config, name))

    @Slot()
    def _on_reset_setting(self, *_) -> None:
        self._update_pending()
        self.resetSettingChanged.emit()

    def _update_pending(self) -> None:
        config = self.config()
        waiting = [n for n in AT_RESET if getattr(config, n) != getattr(self._applied, n)]
        labels = {"val_fraction": "validation share", "seed": "seed", "device": "device"}
        self.pending.setVisible(bool(waiting))
        if waiting:
            self.pending.setText("ⓘ The new " + " and ".join(labels[n] for n in waiting) +
                                 " take effect at the next Reset (Ctrl+R).")
