"""The data explorer: the whole data set as a sortable table, how many penguins of each
species it holds (for a regression target: its range, mean and a histogram), and a
scatter of any two features."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.core.data.dataset import Dataset
from playground.ui import theme
from playground.ui.files.data_table import DatasetTableModel, PenguinTable
from playground.ui.insight.feature_scatter import FeatureScatter
from playground.ui.insight.insight_views import ModelState
from playground.ui.plots.value_colours import ValueColours, value_range


def _describe(dataset: Dataset) -> str:
    text = (f"<b>{len(dataset)}</b> rows in the {dataset.name} data set, "
            f"{dataset.n_features} features")
    if dataset.dropped:
        text += (f"; {dataset.dropped} of the file's {len(dataset) + dataset.dropped} rows "
                 "had a missing value and were left out")
    return text


class ClassBalance(QWidget):
    """One bar per class, side by side: how many rows of the data set have that label."""

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("classBalance")
        total = len(dataset)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bars: dict[str, QProgressBar] = {}
        for (name, count), colour in zip(dataset.class_counts().items(),
                                         theme.class_colours(dataset.n_classes), strict=True):
            bar = QProgressBar(objectName=f"classCount:{name}")
            bar.setRange(0, total)
            bar.setValue(count)
            share = 100 * count / total
            bar.setFormat(f"{name}: {count} ({share:.0f} %)")
            palette = bar.palette()
            palette.setColor(QPalette.ColorRole.Highlight, colour)
            palette.setColor(QPalette.ColorRole.HighlightedText, theme.readable_on(colour))
            bar.setPalette(palette)
            bar.setToolTip(f"{count} of the {total} rows are {name}. A network that always "
                           f"answered {name} would be right {share:.0f} % of the time: "
                           "the accuracy to beat.")
            row.addWidget(bar)
            self.bars[name] = bar


class TargetSummary(QWidget):
    """A regression target in one line: its lowest, mean and highest value, beside a
    small histogram whose bars wear the colour of their values on the scatter's map."""

    BINS = 24

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("targetSummary")
        y = np.asarray(dataset.y, dtype=np.float64)
        y = y[np.isfinite(y)]
        self.stats = (float(y.min()), float(y.mean()), float(y.max())) if len(y) else \
            (np.nan, np.nan, np.nan)
        self.counts, self.edges = np.histogram(y, bins=self.BINS) if len(y) else \
            (np.zeros(0, np.int64), np.zeros(1))
        low, mean, high = self.stats
        self.text = QLabel(f"<b>{dataset.label}</b> (the value to predict): lowest "
                           f"<b>{low:.4g}</b>, mean <b>{mean:.4g}</b>, highest "
                           f"<b>{high:.4g}</b>", objectName="targetStats")
        self.text.setWordWrap(True)
        self.text.setToolTip(
            f"A network that always answered the mean, {mean:.4g}, would score R² = 0: "
            "the score to beat. R² = 1 is a perfect fit.")
        self.histogram = pg.PlotWidget(background=theme.window_background(),
                                       objectName="targetHistogram")
        self.histogram.setFixedSize(220, 52)
        self.histogram.setToolTip(f"How many rows have each {dataset.label}")
        plot = self.histogram.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.hideAxis("left")
        plot.getAxis("bottom").setStyle(tickLength=-3)
        plot.setContentsMargins(0, 0, 0, 0)
        if len(self.counts):
            centres = (self.edges[:-1] + self.edges[1:]) / 2
            colours = ValueColours(*value_range(y)).brushes(centres)
            plot.addItem(pg.BarGraphItem(x=centres, height=self.counts,
                                         width=np.diff(self.edges) * 0.9, brushes=colours,
                                         pen=pg.mkPen(None)))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.histogram)


class DataExplorer(QWidget):
    """Emits `rowChosen(data-set row)` when a penguin is chosen in the table or the plot."""

    rowChosen = Signal(int)

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dataExplorer")
        self.dataset = dataset

        summary = QLabel(_describe(dataset), objectName="dataSummary")
        summary.setWordWrap(True)
        self.balance = TargetSummary(dataset) if dataset.is_regression else \
            ClassBalance(dataset)
        self.table = PenguinTable(DatasetTableModel(dataset))
        self.table.setObjectName("dataTable")
        self.table.setToolTip("Every row of the data set. Click a column header to sort; "
                              f"choose a {dataset.nouns[0]} (click, arrow keys, Enter) to load "
                              "it into the prediction panel.")
        self.table.rowChosen.connect(self.rowChosen)
        self.scatter = FeatureScatter(dataset)
        self.scatter.rowChosen.connect(self.rowChosen)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.scatter)
        # The table wide enough for the row number, species and two features.
        self.table.setMinimumWidth(self.table.fontMetrics().horizontalAdvance("M") * 30)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        box = QVBoxLayout(self)
        box.addWidget(summary)
        box.addWidget(self.balance)
        box.addWidget(split, 1)

    def show_state(self, state: ModelState) -> None:
        self.scatter.show_input(state.raw_input)
