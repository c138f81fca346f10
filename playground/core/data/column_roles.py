"""What each column of a table is, the role it gets by default, and the import plan.

Kinds, judged on the first rows of the file (see table_import.preview):

- number: (mostly) numbers — standardized as they are. A few values that are not
  numbers make the column invalid until fixed or ignored ("line 14 holds 'six'").
- text: a few categories — one-hot encoded, one input per category.
- id: a different value on every row (text; or whole numbers counting up, or named
  like "id") — nothing to learn from, ignored by default.
- constant, empty — ignored. many: text with more than MAX_CATEGORIES values — ignored.

The label is the column named like label, class, species, target or y, else the last
usable column. A numeric label with many different values is a regression task
(REGRESSION_DISTINCT), otherwise classification with one class per value. Classes
and categories are in sorted order (numbers by value), whatever the row order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

from playground.core.data.csv_blocks import NA_MARKERS, is_number
from playground.core.errors import DataError

MAX_CATEGORIES = 50  # a text feature with more values than this is not one-hot encoded
MAX_CLASSES = 100
REGRESSION_DISTINCT = 20  # more different numbers than this in the label: regression
MIN_ROWS_FOR_COUNTING_ID = 10  # whole numbers counting up over this many rows: an ID
LABEL_NAMES = ("label", "class", "species", "target", "y", "outcome", "category")
ID_NAMES = ("id", "index", "row", "key", "#", "no", "number", "unnamed: 0")
TASKS = ("classification", "regression")
MISSING = ("drop", "fill")
_NA = frozenset(NA_MARKERS)


def _text_key(name: str) -> tuple[str, str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return plain.casefold(), name


def class_order(names) -> list[str]:
    """Sorted; numbers by value ("2" before "10"), text ignoring case and accents."""
    names = list(names)
    if names and all(is_number(n) for n in names):
        return sorted(names, key=float)
    return sorted(names, key=_text_key)


def _looks_like_id_name(name: str) -> bool:
    low = name.strip().lower()
    return low in ID_NAMES or low.endswith(("_id", " id", "-id")) or low.startswith("id_")


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    kind: str  # number, text, id, constant, empty, many
    numeric: bool
    missing: int
    distinct: int
    rows: int  # values looked at
    integer: bool = False
    categories: tuple[str, ...] = ()  # text: sorted (at most MAX_CATEGORIES + 1)
    bad: tuple[int, str] | None = None  # number column: (line, text) of a non-number

    @property
    def usable(self) -> bool:
        return self.kind in ("number", "text")

    def describe(self, role: str, task: str = "classification") -> str:
        """How the column will be used, in plain words."""
        if role == "label":
            if task == "regression":
                text = "the label: the number to predict (regression)"
            else:
                shown = ", ".join(self.categories[:4]) + ("…" if self.distinct > 4 else "")
                text = f"the label: {self.distinct} classes ({shown})"
        elif self.kind == "id":
            text = "ID: a different value on every row"
        elif self.kind == "constant":
            text = "the same value on every row"
        elif self.kind == "empty":
            text = "empty"
        elif self.kind == "many":
            text = f"text with {self.distinct}+ different values (too many to encode)"
        elif self.bad is not None:
            text = f"numbers, but line {self.bad[0]} holds {self.bad[1]!r}"
        elif self.kind == "number":
            text = "number, standardized" if role == "feature" else "number"
        else:
            text = f"text, one-hot: {self.distinct} categories"
        if role == "ignore":
            text += ", ignored"
        if self.missing:
            text += f"; {self.missing} missing"
        return text


def analyse(name: str, values, lines, decimal: str = ".") -> ColumnInfo:
    """Describe one column from its first values (text as written) and their lines."""
    texts = [str(v).strip() for v in values]
    present = [(t, line) for t, line in zip(texts, lines, strict=True) if t not in _NA]
    missing, n = len(texts) - len(present), len(present)
    if not present:
        return ColumnInfo(name, "empty", False, missing, 0, len(texts))
    distinct = {t for t, _ in present}
    norm = (lambda t: t.replace(",", ".")) if decimal == "," else (lambda t: t)
    numbers = [(float(norm(t)), line) for t, line in present if is_number(norm(t))]
    if 2 * len(numbers) >= n:  # mostly numbers: a non-number is a mistake, not a category
        bad = next(((line, t) for t, line in present if not is_number(norm(t))), None)
        floats = [v for v, _ in numbers]
        integer = all(v.is_integer() for v in floats)
        count = len(set(floats))
        if count == 1 and bad is None:
            kind = "constant"
        elif integer and count == n == len(floats) and (
                _looks_like_id_name(name) or n >= MIN_ROWS_FOR_COUNTING_ID and len(
                    {b - a for a, b in zip(floats, floats[1:], strict=False)}) == 1):
            kind = "id"
        else:
            kind = "number"
        cats = tuple(class_order(distinct))[:MAX_CATEGORIES + 1] if count <= MAX_CLASSES else ()
        return ColumnInfo(name, kind, True, missing, count, len(texts), integer, cats, bad)
    if len(distinct) == 1:
        kind = "constant"
    elif len(distinct) == n:
        kind = "id"
    elif len(distinct) > MAX_CATEGORIES:
        kind = "many"
    else:
        kind = "text"
    return ColumnInfo(name, kind, False, missing, len(distinct), len(texts),
                      categories=tuple(class_order(distinct))[:MAX_CATEGORIES + 1])


def detect_task(label: ColumnInfo) -> str:
    """Regression for a numeric label with many different values."""
    if label.numeric and label.bad is None and (
            label.distinct > REGRESSION_DISTINCT or not label.integer and label.distinct > 10):
        return "regression"
    return "classification"


@dataclass(frozen=True)
class ImportPlan:
    """Which column is the label, which are features (and which of those are text to
    one-hot encode), what to do with missing values, and the task. Empty format
    fields (delimiter, encoding, decimal) mean: sniff them from the file."""

    label: str
    features: tuple[str, ...]
    categorical: tuple[str, ...] = ()
    task: str = "classification"
    missing: str = "drop"
    classes: tuple[str, ...] | None = None  # a fixed class order (else sorted)
    delimiter: str = ""
    encoding: str = ""
    decimal: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "categorical", tuple(self.categorical))
        if self.classes is not None:
            object.__setattr__(self, "classes", tuple(self.classes))
        if self.task not in TASKS:
            raise DataError(f"task must be one of {', '.join(TASKS)}, not {self.task!r}")
        if self.missing not in MISSING:
            raise DataError(f"missing must be one of {', '.join(MISSING)}, "
                            f"not {self.missing!r}")
        if self.label in self.features:
            raise DataError(f"{self.label!r} cannot be both the label and a feature")
        if len(set(self.features)) != len(self.features):
            raise DataError("a feature column is named twice")
        stray = [c for c in self.categorical if c not in self.features]
        if stray:
            raise DataError(f"categorical column {stray[0]!r} is not a feature")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["features"], d["categorical"] = list(self.features), list(self.categorical)
        d["classes"] = None if self.classes is None else list(self.classes)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ImportPlan:
        try:
            classes = d.get("classes")
            return cls(str(d["label"]), tuple(str(f) for f in d["features"]),
                       tuple(str(c) for c in d.get("categorical", ())),
                       str(d.get("task", "classification")), str(d.get("missing", "drop")),
                       None if classes is None else tuple(str(c) for c in classes),
                       str(d.get("delimiter", "")), str(d.get("encoding", "")),
                       str(d.get("decimal", "")))
        except (KeyError, TypeError) as e:
            raise DataError(f"the import settings are incomplete ({e})") from None


def default_roles(infos: list[ColumnInfo]) -> tuple[str, dict[str, str]]:
    """The label's name and each column's role (feature, label or ignore)."""
    names = [c.name for c in infos]
    label = next((n for n in names if n.strip().lower() in LABEL_NAMES), None)
    if label is None:
        keep = [c.name for c in infos if c.kind not in ("empty", "constant")]
        label = keep[-1] if keep else names[-1]
    roles = {c.name: "label" if c.name == label else "feature" if c.usable else "ignore"
             for c in infos}
    return label, roles


def plan_from_roles(infos: list[ColumnInfo], roles: dict[str, str], task: str | None = None,
                    missing: str = "drop") -> ImportPlan:
    """A plan from the chosen roles; without `task`, the one the label suggests."""
    by_name = {c.name: c for c in infos}
    labels = [n for n, r in roles.items() if r == "label"]
    label = labels[0] if labels else ""
    features = tuple(c.name for c in infos if roles.get(c.name) == "feature")
    categorical = tuple(n for n in features if not by_name[n].numeric)
    if task is None:
        task = detect_task(by_name[label]) if label else "classification"
    return ImportPlan(label, features, categorical, task, missing)


def plan_problem(plan: ImportPlan, infos: list[ColumnInfo], complete: bool) -> str | None:
    """Why the plan cannot be imported, judged on the preview; None if it looks fine.
    (`complete`: the preview holds the whole file, so counts are final.)"""
    by_name = {c.name: c for c in infos}
    if not plan.label:
        return "Choose the label: the column to predict."
    label = by_name[plan.label]
    if not plan.features:
        return ("No usable feature: choose at least one feature column (IDs, constant and "
                "empty columns are left out by default).")
    for name in plan.features:
        c = by_name[name]
        if c.numeric and c.bad is not None and name not in plan.categorical:
            return (f"Column {name!r}, line {c.bad[0]}: {c.bad[1]!r} is not a number — "
                    "fix the file or ignore the column.")
        if name in plan.categorical and c.distinct > MAX_CATEGORIES:
            return (f"Column {name!r} has more than {MAX_CATEGORIES} different values: too "
                    "many to one-hot encode. Ignore it.")
    if plan.task == "regression":
        if not label.numeric or label.bad is not None:
            return f"Regression needs a numeric label; {plan.label!r} holds text."
        if complete and label.distinct < 2:
            return f"The label {plan.label!r} has the same value on every row."
    else:
        if label.distinct > MAX_CLASSES:
            return (f"The label {plan.label!r} has more than {MAX_CLASSES} different values: "
                    "too many classes. Is it a regression task?")
        if complete and label.distinct < 2:
            return f"The label {plan.label!r} has only one class."
    return None
