"""Classification and regression metrics computed from labels and predictions,
independent of any model."""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Counts with rows for the true class and columns for the predicted class."""
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return m


def per_class_recall(matrix: np.ndarray) -> np.ndarray:
    """Of each true class, the fraction predicted correctly (NaN for an empty class)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)


def per_class_precision(matrix: np.ndarray) -> np.ndarray:
    """Of each predicted class, the fraction that was right (NaN if never predicted)."""
    totals = matrix.sum(axis=0)
    return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)


def accuracy(matrix: np.ndarray) -> float:
    """The fraction on the diagonal (NaN for an empty matrix)."""
    total = matrix.sum()
    return float(np.trace(matrix) / total) if total else float("nan")


def cell_members(y_true: np.ndarray, y_pred: np.ndarray, true_class: int,
                 predicted_class: int) -> np.ndarray:
    """Positions of the examples counted in one cell of the confusion matrix."""
    return np.flatnonzero((np.asarray(y_true) == true_class)
                          & (np.asarray(y_pred) == predicted_class))


def regression_scores(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, float]:
    """R² (1 − residual sum of squares / total sum of squares) and the mean absolute
    error, in the units of the target (NaN for no rows)."""
    y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
    if not len(y_true):
        return float("nan"), float("nan")
    total = float(((y_true - y_true.mean()) ** 2).sum())
    residual = float(((y_true - y_pred) ** 2).sum())
    r2 = 1.0 - residual / total if total > 0 else float("nan")
    return r2, float(np.abs(y_true - y_pred).mean())
