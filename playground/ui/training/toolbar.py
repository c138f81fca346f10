"""The training toolbar: Train/Pause, Step, Reset, speed, progress and epoch."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QProgressBar, QSlider, QToolBar, QWidget

from playground.ui.training.bars import set_bar

# Slow motion (watch every epoch) to flat out (as fast as the machine goes).
SPEEDS = (1, 2, 5, 10, 20, 30, 50, 100, 200, 500, 1000, 2000, 5000, math.inf)
DEFAULT_SPEED = SPEEDS.index(30)


def speed_text(eps: float) -> str:
    return "flat out" if math.isinf(eps) else f"{eps:g} epochs/s"


class TrainingToolbar(QToolBar):
    speedChanged = Signal(float)

    def __init__(self, train: QAction, step: QAction, reset: QAction, parent=None) -> None:
        super().__init__("Training", parent)
        self.setObjectName("trainingToolbar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action, name in ((train, "trainButton"), (step, "stepButton"),
                             (reset, "resetButton")):
            self.addAction(action)
            self.widgetForAction(action).setObjectName(name)
        self.addSeparator()
        self.addWidget(QLabel(" Speed "))
        self.speed = QSlider(Qt.Orientation.Horizontal, objectName="speedInput")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setValue(DEFAULT_SPEED)
        self.speed.setFixedWidth(160)
        self.speed.setToolTip("From slow motion (1 epoch a second) to flat out (the "
                              "right end: as fast as this machine goes)")
        self.speed.valueChanged.connect(self._on_speed)
        self.addWidget(self.speed)
        self.speed_label = QLabel(objectName="speedLabel")
        self.speed_label.setMinimumWidth(100)
        self.addWidget(self.speed_label)
        self.addSeparator()
        self.progress = QProgressBar(objectName="epochProgress")
        self.progress.setFixedWidth(180)
        self.progress.setToolTip("Progress toward the epoch limit")
        self.addWidget(self.progress)
        self.epoch_label = QLabel("epoch 0", objectName="epochLabel")
        self.epoch_label.setMinimumWidth(120)
        self.epoch_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.epoch_label)
        spacer = QWidget()
        self.addWidget(spacer)
        self._on_speed(self.speed.value())

    def epochs_per_second(self) -> float:
        return SPEEDS[self.speed.value()]

    @Slot(int)
    def _on_speed(self, index: int) -> None:
        self.speed_label.setText(speed_text(SPEEDS[index]))
        self.speedChanged.emit(SPEEDS[index])

    def show_epoch(self, epoch: int, limit: int) -> None:
        self.epoch_label.setText(f"epoch {epoch:,}")
        if self.progress.maximum() != max(limit, 1):
            self.progress.setRange(0, max(limit, 1))
        set_bar(self.progress, min(epoch, limit), f"{epoch:,} / {limit:,}")
