"""The data explorer: the whole data set as a sortable table, how many penguins of each
species it holds, and a scatter of any two features."""

from __future__ import annotations

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

from playground.core.dataset import Dataset
from playground.ui import theme
from playground.ui.data_table import DatasetTableModel, PenguinTable
from playground.ui.feature_scatter import FeatureScatter
from playground.ui.insight_views import ModelState


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


class DataExplorer(QWidget):
    """Emits `rowChosen(data-set row)` when a penguin is chosen in the table or the plot."""

    rowChosen = Signal(int)

    def __init__(self, dataset: Dataset, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("dataExplorer")
        self.dataset = dataset

        summary = QLabel(_describe(dataset), objectName="dataSummary")
        summary.setWordWrap(True)
        self.balance = ClassBalance(dataset)
        self.table = PenguinTable(DatasetTableModel(dataset))
        self.table.setObjectName("dataTable")
        self.table.setToolTip("Every row of the data set. Click a column header to sort; "
                              "choose a penguin (click, arrow keys, Enter) to load it into "
                              "the prediction panel.")
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
