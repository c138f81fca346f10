"""The session's training runs: one per network generation that has trained.

A run keeps a *reference* to its generation's History, not a copy: while it
trains, the window extends that same History, so keeping the run list current
costs nothing per epoch. Summaries (final and best metrics) are computed only
when a view asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.network.spec import NetworkSpec
from playground.core.training.config import TrainingConfig
from playground.core.training.history import METRICS, History

CURVES = ("epochs", *METRICS)  # the arrays a run keeps (and a project file stores)


def describe(spec: NetworkSpec, config: TrainingConfig) -> str:
    """E.g. "4-8-3 relu, adam 0.03": the widths, hidden activations and optimizer (with
    engineered inputs the first width says how many: "2+2-8-2")."""
    first = f"{spec.n_inputs}+{len(spec.engineered)}" if spec.engineered else str(spec.n_inputs)
    widths = "-".join([first, *(str(w) for w in spec.widths[1:])])
    activations = list(dict.fromkeys(h.activation for h in spec.hidden))
    network = f"{widths} {'/'.join(activations)}" if activations else widths
    l1 = f", L1 {config.l1:g}" if config.l1 else ""
    return f"{network}, {config.optimizer} {config.learning_rate:g}{l1}"


@dataclass(frozen=True, eq=False)
class SavedRun:
    """A run as a project file holds it (checked on reading by run_file.py)."""

    number: int
    name: str
    spec: NetworkSpec
    config: TrainingConfig
    current: bool  # the project's own network: its curves are the history.* arrays
    curves: dict[str, np.ndarray] | None  # None when current


@dataclass(frozen=True)
class RunSummary:
    epochs: int
    final_val_loss: float
    best_val_loss: float
    final_val_accuracy: float
    best_val_accuracy: float


def summarize(h: History) -> RunSummary:
    """Final and best validation loss and accuracy (R² for regression) of some curves."""
    loss, accuracy = h["val_loss"], h["val_accuracy"]
    # nanmin/nanmax: a diverged epoch (NaN loss) must not hide the best one
    best_loss = float(np.nanmin(loss)) if np.isfinite(loss).any() else float("nan")
    best_acc = float(np.nanmax(accuracy)) if np.isfinite(accuracy).any() else float("nan")
    return RunSummary(int(h.epochs[-1]) if len(h) else 0, h.last("val_loss"),
                      best_loss, h.last("val_accuracy"), best_acc)


@dataclass(eq=False)
class Run:
    number: int
    name: str
    spec: NetworkSpec
    config: TrainingConfig
    history: History
    generation: int | None = None  # the window's generation, while this session has it
    _summary: tuple = (None, 0, None)  # (history, length, summary) last computed

    def summary(self) -> RunSummary:
        """Computed again only when the curves have grown: a finished run of a million
        epochs costs nothing on each refresh of the Runs view."""
        h = self.history
        cached_history, length, cached = self._summary
        if cached_history is h and length == len(h):
            return cached
        summary = summarize(h)
        self._summary = (h, len(h), summary)
        return summary


class RunList:
    """Runs in the order they started; numbers are never reused within a session."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self._next_number = 1
        self._forgotten: set[int] = set()  # generations whose run was removed

    def __len__(self) -> int:
        return len(self.runs)

    def __iter__(self):
        return iter(self.runs)

    def by_number(self, number: int) -> Run | None:
        return next((r for r in self.runs if r.number == number), None)

    def for_generation(self, generation: int) -> Run | None:
        return next((r for r in self.runs if r.generation == generation), None)

    def track(self, generation: int, spec: NetworkSpec, config: TrainingConfig,
              history: History) -> Run | None:
        """The run of `generation`, made when it has trained its first epoch; its curves
        follow `history` (which the window may replace, e.g. after undo)."""
        if generation in self._forgotten:
            return None
        run = self.for_generation(generation)
        if run is None:
            if not len(history):
                return None
            run = self.add(spec, config, history, generation)
        elif len(history):  # an emptied history (a rebuilt trainer) must not erase the curves
            run.history = history
        return run

    def add(self, spec: NetworkSpec, config: TrainingConfig, history: History,
            generation: int | None = None, number: int | None = None,
            name: str | None = None) -> Run:
        number = self._next_number if number is None else number
        self._next_number = max(self._next_number, number + 1)
        run = Run(number, name or f"Run {number}: {describe(spec, config)}", spec, config,
                  history, generation)
        self.runs.append(run)
        return run

    def update_config(self, generation: int, config: TrainingConfig) -> None:
        """Live settings (learning rate, ...) changed while `generation` was current."""
        run = self.for_generation(generation)
        if run is not None:
            run.config = config

    def remove(self, number: int) -> tuple[int, Run]:
        """Take a run out; returns (its index, the run) so it can be put back."""
        run = self.by_number(number)
        if run is None:
            raise KeyError(number)
        index = self.runs.index(run)
        del self.runs[index]
        if run.generation is not None:
            self._forgotten.add(run.generation)
        return index, run

    def insert(self, index: int, run: Run) -> None:
        self.runs.insert(index, run)
        self._forgotten.discard(run.generation)

    def clear(self) -> None:
        self.runs.clear()
        self._forgotten.clear()
        self._next_number = 1

    # --- saving (see run_file.py for the checks on reading) -----------------------------
    def to_saved(self, current_generation: int) -> tuple[SavedRun, ...]:
        """The runs as a project file keeps them. The current run's curves are the
        project's own history.* arrays, so they are not stored twice."""
        out = []
        for run in self.runs:
            current = run.generation == current_generation
            h = run.history
            curves = None if current else {k: (h.epochs if k == "epochs" else h[k]).copy()
                                           for k in CURVES}
            out.append(SavedRun(run.number, run.name, run.spec, run.config, current, curves))
        return tuple(out)

    @classmethod
    def from_saved(cls, runs: tuple[SavedRun, ...], current_history: History,
                   current_generation: int) -> RunList:
        """From checked records (see run_file.py); the current one follows
        `current_history`, the window's live curves."""
        out = cls()
        for saved in runs:
            if saved.current:
                history, generation = current_history, current_generation
            else:
                history, generation = History.from_arrays(saved.curves), None
            out.add(saved.spec, saved.config, history, generation, saved.number, saved.name)
        return out
