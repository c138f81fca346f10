"""The Learn panel: one short lesson per concept; choosing one highlights the place
in the window where that concept can be seen and touched."""

from __future__ import annotations

import html
import math
from fnmatch import fnmatchcase

from PySide6.QtCore import QRect, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QDockWidget,
    QListWidget,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from playground.core.lessons import LESSONS, words_for
from playground.core.network.engineered import short_names, term_name
from playground.ui import theme

HIGHLIGHT_MS = 2500


class Highlight(QWidget):
    """A coloured frame drawn over part of the window, passing the mouse through."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lessonHighlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def show_over(self, rect: QRect) -> None:
        self.setGeometry(rect.adjusted(-5, -5, 5, 5))
        self.raise_()
        self.show()
        self._timer.start(HIGHLIGHT_MS)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(theme.warning())
        painter.setPen(QPen(colour, 3))
        painter.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 6, 6)


class LearnPanel(QWidget):
    def __init__(self, session, window: QWidget, controls, plots, device_label) -> None:
        """`window`: the widget whose parts the lessons point at and frame."""
        super().__init__()
        self.setObjectName("learnPanel")
        self.setMinimumHeight(360)  # the list and a whole lesson, without scrolling
        self.session, self.window = session, window
        self.controls, self.plots, self.device_label = controls, plots, device_label
        self.list = QListWidget(objectName="lessonList")
        self.list.addItems([lesson.title for lesson in LESSONS])
        self.list.setToolTip("Choose a concept to read about it and to see where it is in "
                             "the window")
        self.text = QTextBrowser(objectName="lessonText")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.text)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(split)
        self.highlight = Highlight(window)
        self._state = None
        self.list.currentRowChanged.connect(self._on_lesson)
        self.list.itemClicked.connect(lambda _item: self.point_at(self.list.currentRow()))
        self.list.setCurrentRow(0)

    # --- from InsightViews ---------------------------------------------------------------
    def show_state(self, state) -> None:
        self._state = state
        self._show_text(self.list.currentRow())

    def facts(self) -> dict:
        """What the lessons' texts and "now" lines mention, from the window as it is."""
        w, s = self.session, self._state
        config = self.controls.config()
        batch = config.batch_size
        n_train = len(s.split.train_y) if s is not None else 0
        val_loss = self.plots.history.last("val_loss")
        d = w.dataset
        regression = d.is_regression
        label = html.escape(d.label)  # the lessons are HTML; the name comes from a file
        return {
            **words_for(d),
            "label_text": (f"a number to predict, {label}: a regression task" if regression
                           else f"{d.n_classes} classes"),
            # The lessons tell classification; a regression set says where it differs.
            "softmax_text": ("This data set is a regression: no softmax here. The one output "
                             "neuron is linear, and its weighted sum is the predicted "
                             f"{label}." if regression else ""),
            "loss_text": ("For regression, as here, the loss is the mean squared error "
                          f"between the predicted and the true {label} (standardized), "
                          "and the second plot shows R² instead of accuracy. "
                          if regression else ""),
            "engineered_text": engineered_text(w.spec, d),
            "parameters": w.spec.parameter_count(), "layers": len(w.spec.hidden),
            "epoch": w.epoch, "learning_rate": config.learning_rate,
            "val_loss": "not measured yet" if math.isnan(val_loss) else f"{val_loss:.4f}",
            "n_train": n_train, "n_val": len(s.split.val_y) if s is not None else 0,
            "batch_text": ("Now: the whole training set in one batch." if batch == 0 else
                           f"Now: batches of {batch}, {math.ceil(n_train / batch)} steps per "
                           "epoch." if n_train else ""),
            "device": self.device_label.text(),
            "variants_text": variants_text(self.window),
        }

    # --- choosing a lesson ---------------------------------------------------------------
    @Slot(int)
    def _on_lesson(self, row: int) -> None:
        self._show_text(row)
        if self.isVisible():
            self.point_at(row)

    def _show_text(self, row: int) -> None:
        if not 0 <= row < len(LESSONS):
            return
        lesson = LESSONS[row]
        facts = self.facts()
        now = lesson.now_text(facts) if lesson.now else ""
        self.text.setHtml(f"<h3>{lesson.title}</h3><p>{lesson.text_for(facts)}</p>" +
                          (f"<p><i>{now}</i></p>" if now else "") +
                          "<p style='color:gray'>Highlighted in the window.</p>")

    def targets(self, row: int) -> list[QWidget]:
        """The widgets lesson `row` points at (their docks opened if need be)."""
        patterns = LESSONS[row].targets
        found = [w for w in self.window.findChildren(QWidget)
                 if w.objectName() and any(fnmatchcase(w.objectName(), p) for p in patterns)]
        for widget in found:
            dock = _dock_of(widget)
            if dock is not None and not dock.isVisible():
                dock.show()
        return [w for w in found if w.isVisible()]

    def point_at(self, row: int) -> QRect | None:
        """Frame the lesson's place in the window for a moment; returns the frame."""
        widgets = self.targets(row)
        if not widgets:
            return None
        rect = QRect()
        for w in widgets:
            rect = rect.united(QRect(w.mapTo(self.window, w.rect().topLeft()), w.size()))
        self.highlight.show_over(rect)
        return rect


def variants_text(window) -> str:
    from playground.ui.variants.variants_window import summary_text

    return summary_text(window)


def engineered_text(spec, dataset) -> str:
    """The Learn panel's line about the network's engineered inputs as they are now."""
    if not spec.engineered:
        return "Now: none; the network sees the features alone."
    names = short_names(dataset.features)
    listed = ", ".join(html.escape(term_name(t, names)) for t in spec.engineered)
    return f"Now: {len(spec.engineered)} engineered input(s): {listed}."


def _dock_of(widget: QWidget) -> QDockWidget | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent
