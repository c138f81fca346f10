"""Import any CSV file as a data set: a preview of its first rows, then the import.

The import reads the file in blocks of whole rows (csv_blocks.py) parsed by pandas,
reports progress as the share of bytes read, can be cancelled between blocks, and
converts as it goes, so memory stays near the size of the finished data set:
numbers into one growing float64 matrix, text into category codes that become
one-hot columns at the end. Every problem is one DataError naming the file and,
where it has one, the line and column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from playground.core.data.column_roles import (
    MAX_CATEGORIES,
    MAX_CLASSES,
    ColumnInfo,
    ImportPlan,
    analyse,
    default_roles,
    plan_from_roles,
    plan_problem,
)
from playground.core.data.csv_blocks import (
    HEAD_BYTES,
    NA_MARKERS,
    TextFormat,
    parse_rows,
    read_blocks,
    sniff,
)
from playground.core.data.dataset import Dataset
from playground.core.data.table_columns import CategoryCodes, GrowingMatrix, build_features
from playground.core.errors import DataError, PlaygroundError

PREVIEW_ROWS = 1000
# The most memory an import may use for the finished data set. An estimate from the
# file's size is checked before reading; tests pass a small `memory_limit`.
MEMORY_LIMIT = 4 * 1024**3


class ImportCancelled(PlaygroundError):
    """The person cancelled the import; nothing changed."""


@dataclass(frozen=True)
class Preview:
    path: Path
    format: TextFormat
    columns: tuple[ColumnInfo, ...]
    rows: list[list[str]]  # the first rows, as text
    complete: bool  # the preview holds every row of the file
    estimated_rows: int

    def default_plan(self) -> ImportPlan:
        return self.plan_for(default_roles(list(self.columns))[1])

    def plan_for(self, roles: dict[str, str], task: str | None = None,
                 missing: str = "drop") -> ImportPlan:
        plan = plan_from_roles(list(self.columns), roles, task, missing)
        f = self.format
        return replace(plan, delimiter=f.delimiter, encoding=f.encoding, decimal=f.decimal)

    def problem(self, plan: ImportPlan) -> str | None:
        return plan_problem(plan, list(self.columns), self.complete)

    def kept_rows(self, plan: ImportPlan) -> int:
        """Rows left after the missing-value policy (in the preview's rows)."""
        names = [c.name for c in self.columns]
        need = [names.index(plan.label)] if plan.label else []
        if plan.missing == "drop":
            need += [names.index(f) for f in plan.features]
        return sum(all(row[i].strip() not in NA_MARKERS for i in need) for row in self.rows)

    def missing_in(self, plan: ImportPlan) -> int:
        """Missing feature values among the preview's rows."""
        by_name = {c.name: c for c in self.columns}
        return sum(by_name[f].missing for f in plan.features)

    def summary(self, plan: ImportPlan) -> str:
        """"Classification: 3 classes, 333 rows, 6 inputs" (rows estimated if partial)."""
        by_name = {c.name: c for c in self.columns}
        if not plan.label:
            return "No label: choose the column to predict"
        inputs = sum(by_name[f].distinct if f in plan.categorical else 1
                     for f in plan.features)
        rows = (f"{self.kept_rows(plan):,} rows" if self.complete
                else f"about {self.estimated_rows:,} rows")
        if plan.task == "regression":
            return f"Regression: predicts {plan.label}, {rows}, {inputs} inputs"
        classes = by_name[plan.label].distinct if plan.label else 0
        return f"Classification: {classes} classes, {rows}, {inputs} inputs"


def _format(path: Path, plan: ImportPlan | None) -> TextFormat:
    fmt = sniff(path)
    if plan is not None and plan.delimiter and plan.delimiter != fmt.delimiter:
        raise DataError(f"{path}: values are now separated by {fmt.delimiter!r}, not "
                        f"{plan.delimiter!r} as when it was imported")
    return fmt


def preview(path: str | Path, rows: int = PREVIEW_ROWS) -> Preview:
    """Read the first `rows` rows and describe every column."""
    path = Path(path)
    fmt = _format(path, None)
    texts, lines, complete = [], [], True
    for block in read_blocks(path, fmt, block_bytes=HEAD_BYTES):
        frame = parse_rows(block.data, fmt.delimiter, fmt.encoding, fmt.decimal,
                           f"{path}, near line {block.first_line}")
        take = min(len(frame), rows - len(texts))
        texts += frame.iloc[:take].astype(str).values.tolist()
        lines += [block.line_of(i) for i in range(take)]
        if len(texts) >= rows:
            complete = block.end >= fmt.size and take == len(frame)
            break
    if not texts:
        raise DataError(f"{path}: the file has a header but no rows of data")
    columns = tuple(analyse(name, [r[i] for r in texts], lines, fmt.decimal)
                    for i, name in enumerate(fmt.columns))
    per_row = max(1.0, (block.end - fmt.header_end) / max(1, len(frame))) if texts else 1.0
    estimated = len(texts) if complete else int((fmt.size - fmt.header_end) / per_row)
    return Preview(path, fmt, columns, texts, complete, estimated)


def _estimate_bytes(path: Path, fmt: TextFormat, plan: ImportPlan) -> tuple[int, int]:
    """(rows, bytes of the finished data set) estimated from the first rows."""
    head = preview(path, 200)
    by_name = {c.name: c for c in head.columns}
    width = sum(max(1, by_name[f].distinct) if f in plan.categorical else 1
                for f in plan.features) + 1
    return head.estimated_rows, head.estimated_rows * width * 8


def import_table(path: str | Path, plan: ImportPlan,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None,
                 memory_limit: int | None = None, name: str | None = None) -> Dataset:
    """The data set `plan` describes; DataError on any problem, ImportCancelled if
    `cancelled()` turns true (checked between blocks)."""
    path = Path(path)
    fmt = _format(path, plan)
    missing = [c for c in (plan.label, *plan.features) if c not in fmt.columns]
    if missing:
        raise DataError(f"{path}: no column named {missing[0]!r} "
                        f"(columns: {', '.join(fmt.columns)})")
    if not plan.features:
        raise DataError(f"{path}: no usable feature — no column besides {plan.label!r} holds "
                        "numbers or text categories (IDs, constant and empty columns are "
                        "left out)")
    limit = MEMORY_LIMIT if memory_limit is None else memory_limit
    rows_guess, need = _estimate_bytes(path, fmt, plan)
    if need > limit:
        raise DataError(f"{path} is {fmt.size / 2**20:,.1f} MB; as a data set it would need "
                        f"about {need / 2**20:,.0f} MB of memory, more than the "
                        f"{limit / 2**20:,.0f} MB an import may use")

    reader = _BlockReader(path, fmt, plan)
    matrix = GrowingMatrix(len(reader.numeric), int(rows_guess * 1.05) + 16)
    codes = {c: CategoryCodes(c, MAX_CATEGORIES, int(rows_guess * 1.05) + 16)
             for c in plan.categorical}
    label = CategoryCodes(plan.label, MAX_CLASSES, int(rows_guess * 1.05) + 16,
                          fixed=plan.classes) if plan.task == "classification" else None
    targets = GrowingMatrix(1, int(rows_guess * 1.05) + 16)
    digest, dropped, shown = hashlib.sha256(), 0, -1.0
    for block in read_blocks(path, fmt, digest):
        if cancelled is not None and cancelled():
            raise ImportCancelled("the import was cancelled")
        frame = reader.parse(block)
        numbers = reader.numbers(frame, block)
        texts = {c: codes[c].codes_of(frame[reader.index[c]], block, path) for c in codes}
        if label is not None:
            y = label.codes_of(frame[reader.index[plan.label]], block, path)
            keep = y >= 0
        else:
            y = reader.targets(frame, block)
            keep = ~np.isnan(y)
        if plan.missing == "drop":
            keep &= ~np.isnan(numbers).any(axis=1)
            for c in texts.values():
                keep &= c >= 0
        dropped += int(len(keep) - keep.sum())
        matrix.append(numbers[keep])
        for c, v in texts.items():
            codes[c].append(v[keep])
        if label is not None:
            label.append(y[keep])
        else:
            targets.append(y[keep, None])
        if progress is not None and block.end / fmt.size - shown >= 0.01:
            shown = block.end / fmt.size
            progress(min(1.0, shown))

    n = len(matrix)
    if n == 0:
        raise DataError(f"{path}: no row has every feature and the label")
    filled = _fill(matrix, codes, plan, reader.numeric) if plan.missing == "fill" else {}
    if label is not None:
        class_names, y = label.finish()
        if len(np.unique(y)) < 2:
            raise DataError(f"{path}: the label {plan.label!r} has only one class "
                            f"({class_names[int(y[0])]!r})")
    else:
        class_names, y = (), targets.array()[:, 0].copy()
        if np.all(y == y[0]):
            raise DataError(f"{path}: the label {plan.label!r} has the same value "
                            f"({y[0]:g}) on every row")
    features, x = build_features(plan, reader.numeric, matrix, codes, path)
    identity = {"name": name or path.stem, "builtin": False, "path": str(path.resolve()),
                "size": fmt.size, "sha256": digest.hexdigest(), "import": plan.to_dict(),
                "missing": {"rows_dropped": dropped, "values_filled": filled}}
    if progress is not None:
        progress(1.0)
    return Dataset(name=name or path.stem, features=features, class_names=tuple(class_names),
                   x=x, y=y, label=plan.label, dropped=dropped, identity=identity,
                   task=plan.task)


def _fill(matrix, codes, plan, numeric) -> dict[str, int]:
    """Mean for numbers, the most common category for text; the count per column."""
    filled = {}
    data = matrix.array()
    for j, name in enumerate(numeric):
        holes = np.isnan(data[:, j])
        count = int(holes.sum())
        if count == len(holes):
            raise DataError(f"column {name!r} has no values to fill its gaps with")
        if count:
            data[holes, j] = data[~holes, j].mean()
            filled[name] = count
    for name, c in codes.items():
        count = c.fill_most_common()
        if count:
            filled[name] = count
    return {f: filled[f] for f in plan.features if f in filled}


class _BlockReader:
    """Parses one block: numbers as float64, text as strings, NA markers as missing."""

    def __init__(self, path: Path, fmt: TextFormat, plan: ImportPlan) -> None:
        self.path, self.fmt, self.plan = path, fmt, plan
        self.index = {c: fmt.columns.index(c) for c in (plan.label, *plan.features)}
        self.numeric = [f for f in plan.features if f not in plan.categorical]
        self.text = {self.index[c] for c in plan.categorical}
        if plan.task == "classification":
            self.text.add(self.index[plan.label])
        self.usecols = sorted(set(self.index.values()))

    def parse(self, block):
        fmt = self.fmt
        frame = parse_rows(block.data, fmt.delimiter, fmt.encoding, fmt.decimal,
                           f"{self.path}, near line {block.first_line}",
                           usecols=self.usecols, na_filter=True,
                           na_values={i: list(NA_MARKERS) for i in self.usecols},
                           dtype={i: str for i in self.text})
        if len(frame) != len(block):  # the quote test and pandas disagree: say where
            raise DataError(f"{self.path}, near line {block.first_line}: the rows could not "
                            "be told apart (a stray quote character?)")
        return frame

    def _column(self, frame, name: str, block) -> np.ndarray:
        import pandas as pd

        series = frame[self.index[name]]
        if series.dtype.kind not in "fiub":  # text among the numbers: say where
            as_numbers = pd.to_numeric(series.str.strip(), errors="coerce")
            bad = np.flatnonzero(as_numbers.isna() & series.notna())
            if len(bad):
                row = int(bad[0])
                raise DataError(f"{self.path}, line {block.line_of(row)}, column {name!r}: "
                                f"{series.iloc[row]!r} is not a number")
            series = as_numbers
        values = series.to_numpy(np.float64, na_value=np.nan)
        inf = np.flatnonzero(np.isinf(values))
        if len(inf):
            row = int(inf[0])
            raise DataError(f"{self.path}, line {block.line_of(row)}, column {name!r}: the "
                            f"value is infinite ({values[row]:g}); use a finite number")
        return values

    def numbers(self, frame, block) -> np.ndarray:
        out = np.empty((len(frame), len(self.numeric)), np.float64)
        for j, name in enumerate(self.numeric):
            out[:, j] = self._column(frame, name, block)
        return out

    def targets(self, frame, block) -> np.ndarray:
        return self._column(frame, self.plan.label, block)


def reimport(identity: dict, features, class_names,
             progress: Callable[[float], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> Dataset:
    """A project's imported data set, read again with the plan it was imported with.
    If the file has changed (its checksum differs) it is still taken when its encoded
    columns and classes are the same; otherwise a DataError says what does not fit."""
    path = Path(str(identity.get("path", "")))
    if not path.is_file():
        raise DataError(f"the data file the project was trained on is missing: {path}")
    plan = ImportPlan.from_dict(identity["import"])
    dataset = import_table(path, plan, progress, cancelled, name=identity.get("name"))
    if dataset.identity["sha256"] != identity.get("sha256"):
        reason = table_fits(dataset, features, class_names)
        if reason:
            raise DataError(f"{path} has changed since the project was trained on it, and "
                            f"{reason}")
    return dataset


def table_fits(dataset: Dataset, features, class_names) -> str | None:
    """What differs between a data set's encoded columns/classes and the expected ones."""
    have = [f.column for f in dataset.features]
    want = [f.column for f in features]
    if have != want:
        gone = [c for c in want if c not in have]
        new = [c for c in have if c not in want]
        parts = ([f"no longer has {', '.join(gone)}"] if gone else []) + (
            [f"now also has {', '.join(new)}"] if new else [])
        return "its columns differ: it " + "; ".join(parts or ["orders them differently"])
    if tuple(dataset.class_names) != tuple(class_names):
        return (f"its classes differ ({', '.join(dataset.class_names)} instead of "
                f"{', '.join(class_names)})")
    return None

