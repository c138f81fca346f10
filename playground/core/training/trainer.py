"""Training: a story of epochs, each a pass over shuffled batches, then validation.

The data lives on the device once. Batches are drawn by shuffling indices on
the device. Each epoch's losses and outputs stay device tensors until the end
of a call of `run`, where the hits are counted for all its epochs at once and
everything is read back in one go (`.item()` is a host–device sync; one per
batch would stall a GPU); that is also where divergence is noticed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from playground.core.data.split import PreparedData
from playground.core.errors import SpecError
from playground.core.files.state_io import optimizer_from_arrays, optimizer_to_arrays
from playground.core.network.forward import WeightSnapshot
from playground.core.network.model import build_model, linear_layers, uses_training_mode
from playground.core.network.spec import NetworkSpec
from playground.core.training import early_stopping
from playground.core.training.config import TrainingConfig
from playground.core.training.devices import (
    cpu_threads_for,
    resolve_device,
    use_cpu_threads,
    work_per_batch,
)
from playground.core.training.early_stopping import BestSoFar
from playground.core.training.history import METRICS, History
from playground.core.training.optimizers import make_optimizer


@dataclass(frozen=True, eq=False)
class EpochStats:
    """What happened in one call of `Trainer.run`: one array entry per epoch."""

    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    seconds: float = 0.0
    diverged: str | None = None  # "diverged at epoch N …" when a loss became NaN/inf
    interrupted: bool = False  # a stop request arrived; the partial epoch was undone
    stopped_early: str | None = None  # "stopped early at epoch N …" (early stopping)

    def __len__(self) -> int:
        return len(self.epochs)

    def metrics(self) -> dict[str, np.ndarray]:
        return {m: getattr(self, m) for m in METRICS}


class _Epoch(NamedTuple):
    """One epoch's results, still on the device (`Trainer._to_host` reads them)."""

    train_loss: torch.Tensor
    val_loss: torch.Tensor
    outputs: Sequence[torch.Tensor] = ()  # each batch's logits in the epoch's order
    order: torch.Tensor | None = None  # the epoch's shuffle; None: the rows in order
    val_out: torch.Tensor | None = None  # the validation logits


class Trainer:
    """Owns the model, its optimizer and the data on one device."""

    def __init__(self, data: PreparedData, spec: NetworkSpec, config: TrainingConfig) -> None:
        if spec.n_inputs != data.n_features:
            raise SpecError(f"network.n_inputs is {spec.n_inputs} but the data has "
                            f"{data.n_features} features")
        self.regression = data.is_regression
        if self.regression and spec.n_outputs != 1:
            raise SpecError(f"network.n_outputs is {spec.n_outputs} but a regression network "
                            "has one output: the predicted value")
        if not self.regression:
            n_classes = int(max(data.train_y.max(), data.val_y.max())) + 1
            if spec.n_outputs < n_classes:
                raise SpecError(f"network.n_outputs is {spec.n_outputs} but the data has "
                                f"{n_classes} classes")
        self.spec = spec
        self.config = config
        self.data = data
        rows = len(data.train_y)
        self.device = resolve_device(config.device,
                                     work_per_batch(spec, min(config.batch_size or rows, rows)))
        # One generator on the device for shuffling and dropout: the seed fixes the run.
        self._gen = torch.Generator(device=self.device).manual_seed(config.seed)
        self.model = build_model(spec, config.seed, self._gen).to(self.device)
        self._linears = linear_layers(self.model)
        self._params = list(self.model.parameters())
        # Without dropout no module reads the training flag: no need to set it each epoch
        # (model.train() and .eval() walk the modules, 5 % of a small full-batch epoch).
        self._modal = uses_training_mode(self.model)
        self._x = torch.as_tensor(data.train_x, dtype=torch.float32, device=self.device)
        label_type = torch.float32 if self.regression else torch.long
        self._y = torch.as_tensor(data.train_y, dtype=label_type, device=self.device)
        self._vx = torch.as_tensor(data.val_x, dtype=torch.float32, device=self.device)
        self._vy = torch.as_tensor(data.val_y, dtype=label_type, device=self.device)
        if self.regression:  # R² = 1 − MSE / variance of the true values (on the host)
            self._variance = np.array([max(float(np.var(data.train_y)), 1e-12),
                                       max(float(np.var(data.val_y)), 1e-12)])
        self.optimizer = make_optimizer(config, self.model.parameters())
        self.epoch = 0
        self.history = History()
        # Early stopping: the best validation loss so far (host) and, on the device, the
        # weights of that epoch, updated every epoch without a host read.
        self.best = BestSoFar()
        self._best_params: list[torch.Tensor] | None = None
        self._best_loss: torch.Tensor | None = None
        self.restored_epoch: int | None = None  # the weights are this epoch's (early stop)

    # --- settings that apply between epochs, keeping the weights ----------------
    def set_learning_rate(self, lr: float) -> None:
        self.config = replace(self.config, learning_rate=lr)
        for group in self.optimizer.param_groups:
            group["lr"] = self.config.learning_rate

    def set_weight_decay(self, wd: float) -> None:
        self.config = replace(self.config, weight_decay=wd)
        for group in self.optimizer.param_groups:
            group["weight_decay"] = self.config.weight_decay

    def set_l1(self, l1: float) -> None:
        """The L1 strength for the next batches (0 = off); read by `objective`."""
        self.config = replace(self.config, l1=l1)

    def set_batch_size(self, batch_size: int) -> None:
        self.config = replace(self.config, batch_size=batch_size)

    def set_optimizer(self, name: str) -> None:
        """A new optimizer on the same weights: its state (momentum, moments) starts fresh."""
        self.config = replace(self.config, optimizer=name)
        self.optimizer = make_optimizer(self.config, self.model.parameters())

    def set_epoch_limit(self, epochs: int) -> None:
        self.config = replace(self.config, epochs=epochs)

    def set_patience(self, patience: int) -> None:
        """Early stopping on (> 0) or off; a new patience counts from this epoch."""
        self.config = replace(self.config, patience=patience)
        self.best = BestSoFar()
        self._best_params = self._best_loss = None

    # --- training ----------------------------------------------------------------
    def run(self, n_epochs: int, should_stop: Callable[[], bool] | None = None) -> EpochStats:
        """Train `n_epochs` epochs (fewer if stopped or diverged) and return their statistics.

        `should_stop` is checked before every batch, so a slow epoch still stops
        promptly; the interrupted epoch is undone, so epochs are always whole.
        """
        start = time.perf_counter()
        self.restored_epoch = None
        if self.device.type == "cpu":
            n = len(self._y)
            use_cpu_threads(cpu_threads_for(self.spec, min(self.config.batch_size or n, n)))
        checkpoint = self._checkpoint()
        results, interrupted = self._epochs(n_epochs, should_stop)
        values = self._to_host(results)
        del results  # the chunk's outputs, not kept through a replay
        diverged = None
        bad = np.flatnonzero(~np.isfinite(values).all(axis=1))
        if interrupted or len(bad):
            # Go back to the last whole, finite epoch by replaying from the checkpoint:
            # cheaper than copying the weights every epoch just in case.
            keep = int(bad[0]) if len(bad) else len(values)
            self._restore(checkpoint)
            replayed, _ = self._epochs(keep, None)
            values = self._to_host(replayed)
            if not np.isfinite(values).all():  # non-deterministic device: give up the chunk
                self._restore(checkpoint)
                values = values[:0]
            if len(bad):
                diverged = self._divergence_message(self.epoch + len(values) + 1)
        stopped_early = None
        if self.config.patience and len(values):
            values, stopped_early = self._early_stop(values, checkpoint)
        first = self.epoch + 1
        self.epoch += len(values)
        stats = EpochStats(np.arange(first, self.epoch + 1, dtype=np.float64),
                           *(values[:, i] for i in range(4)),
                           seconds=time.perf_counter() - start, diverged=diverged,
                           interrupted=interrupted, stopped_early=stopped_early)
        self.history.extend(stats.epochs, **stats.metrics())
        return stats

    def _early_stop(self, values: np.ndarray, checkpoint: dict) -> tuple[np.ndarray, str | None]:
        """Find where patience ran out in this chunk; if it did, drop the epochs after it
        (replayed from the checkpoint) and go back to the best epoch's weights."""
        stop, best = early_stopping.scan(values[:, 1], self.epoch + 1, self.best,
                                         self.config.patience)
        if stop is None:
            self.best = best
            return values, None
        if stop + 1 < len(values):  # epochs past the stop: do exactly stop + 1 instead
            self._restore(checkpoint)
            values = self._to_host(self._epochs(stop + 1, None)[0])
        with torch.no_grad():
            for param, kept in zip(self.model.parameters(), self._best_params, strict=True):
                param.copy_(kept)
        stopped_at = self.epoch + stop + 1
        self.restored_epoch = best.epoch
        message = (f"Stopped early at epoch {stopped_at}: the validation loss has not "
                   f"improved for {self.config.patience} epochs. The weights of epoch "
                   f"{best.epoch} (validation loss {best.loss:.4f}) are restored.")
        # Training on from here is a new wait of `patience` epochs.
        self.best = BestSoFar(best.loss, stopped_at)
        return values, message

    def _track_best(self, val_loss: torch.Tensor) -> None:
        """Keep the weights of the epoch with the lowest validation loss, on the device,
        with no host read: a select per parameter instead of an `if`."""
        params = [p.detach() for p in self.model.parameters()]
        if self._best_params is None:
            self._best_params = [p.clone() for p in params]
            self._best_loss = torch.tensor(self.best.loss, device=val_loss.device)
        improved = val_loss < self._best_loss
        self._best_loss = torch.where(improved, val_loss, self._best_loss)
        for kept, p in zip(self._best_params, params, strict=True):
            kept.copy_(torch.where(improved, p, kept))

    def _epochs(self, n: int, should_stop) -> tuple[list[_Epoch], bool]:
        results = []
        for _ in range(n):
            done = self._epoch(should_stop)
            if done is None:
                return results, True
            results.append(done)
        return results, False

    def _loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Cross-entropy of the logits, or for regression the mean squared error."""
        if self.regression:
            return F.mse_loss(out[:, 0], y)
        return F.cross_entropy(out, y)

    def l1_penalty(self, layers=None) -> torch.Tensor | None:
        """l1 · Σ|w| over every layer's weights (not the biases: a bias shifts a unit, it
        does not connect it), or None when L1 is off. Its gradient, l1 · sign(w), pulls
        each weight toward 0 by the same amount whatever its size, so weights the loss
        does not need end at exactly 0 (weight decay only shrinks them). `layers`: the
        linear layers of another copy of the model (a training step shown before it is
        taken); by default the trainer's own."""
        if not self.config.l1:
            return None
        layers = self._linears if layers is None else layers
        return self.config.l1 * torch.stack([layer.weight.abs().sum()
                                             for layer in layers]).sum()

    def objective(self, out: torch.Tensor, y: torch.Tensor,
                  layers=None) -> tuple[torch.Tensor, torch.Tensor]:
        """(data loss, what is back-propagated): the loss of the outputs `out` against the
        labels `y`, and that loss plus the L1 penalty. The curves and the reported
        training loss are the data loss alone, comparable with the validation loss and
        between runs with and without L1. With L1 off both are the same tensor: no
        extra operation per batch."""
        loss = self._loss(out, y)
        penalty = self.l1_penalty(layers)
        return loss, loss if penalty is None else loss + penalty

    def _epoch(self, should_stop) -> _Epoch | None:
        """One epoch: a training pass, then the validation loss (and for classification
        the validation outputs), as device tensors; `_to_host` turns them into numbers."""
        model, x, y, params = self.model, self._x, self._y, self._params
        n = len(y)
        batch = min(self.config.batch_size or n, n)
        order = None if batch == n else torch.randperm(n, generator=self._gen, device=x.device)
        if self._modal:
            model.train()
        # Each batch's loss and outputs are kept as they are: the losses are weighted
        # once after the pass, the outputs compared with the labels once a chunk
        # (`_to_host`). Per batch, each op is a dispatch through Python, about 2 % of
        # a batch of 16.
        losses, outputs = [], []
        for begin in range(0, n, batch):
            if should_stop is not None and should_stop():
                return None
            if order is None:  # full batch: the order of rows does not change the gradient
                xb, yb = x, y
            else:
                index = order[begin:begin + batch]
                xb, yb = x[index], y[index]
            out = model(xb)
            loss, total = self.objective(out, yb)
            for p in params:  # what zero_grad(set_to_none=True) does, at a fifth of its cost
                p.grad = None
            total.backward()
            self.optimizer.step()
            losses.append(loss)
            if not self.regression:
                outputs.append(out)
        if self._modal:
            model.eval()
        with torch.inference_mode():
            train_loss = _batch_mean(losses, n, batch)
            val_out = model(self._vx)
            val_loss = self._loss(val_out, self._vy)
        if self.config.patience:
            with torch.no_grad():
                self._track_best(val_loss.clone())
        if self.regression:
            return _Epoch(train_loss, val_loss)
        return _Epoch(train_loss, val_loss, outputs, order, val_out)

    def _to_host(self, results: list[_Epoch]) -> np.ndarray:
        """[train loss, val loss, train score, val score] an epoch, read in one sync. The
        score is the accuracy, or R² for regression. The hits of all the epochs are
        counted at once: per epoch, the training accuracy (which a plain loop would not
        compute) cost four dispatches through Python, 3 % of a full-batch epoch."""
        if not results:
            return np.zeros((0, 4), dtype=np.float64)
        e = len(results)
        with torch.inference_mode():
            losses = torch.stack([r.train_loss for r in results] +
                                 [r.val_loss for r in results]).view(2, e)
            if self.regression:
                loss = losses.cpu().numpy().astype(np.float64)  # the one sync
                return np.column_stack([*loss, *(1 - loss / self._variance[:, None])])
            n, y = len(self._y), self._y
            guesses = torch.cat([o for r in results for o in r.outputs]).argmax(1).view(e, n)
            # One `run` trains with one batch size: every epoch is shuffled, or none is.
            labels = y if results[0].order is None else \
                y[torch.stack([r.order for r in results])]
            val_guesses = torch.stack([r.val_out for r in results]).argmax(2)
            rows = torch.stack([losses[0], losses[1], (guesses == labels).sum(1) / n,
                                (val_guesses == self._vy).sum(1) / len(self._vy)], dim=1)
            return rows.cpu().numpy().astype(np.float64)  # the one sync

    def _divergence_message(self, epoch: int) -> str:
        lr = self.config.learning_rate
        return (f"diverged at epoch {epoch}: the loss became NaN or infinite. "
                f"The weights of epoch {epoch - 1} are kept. Try a smaller learning rate "
                f"than {lr:g} (e.g. {lr / 10:g}), or another optimizer such as adam.")

    def _checkpoint(self) -> dict:
        best = None
        if self._best_params is not None:
            best = ([p.clone() for p in self._best_params], self._best_loss.clone())
        return {"model": {k: v.detach().clone() for k, v in self.model.state_dict().items()},
                "optimizer": _copy_state(self.optimizer.state_dict()),
                "generator": self._gen.get_state(), "best": best}

    def _restore(self, checkpoint: dict) -> None:
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(_copy_state(checkpoint["optimizer"]))
        self._gen.set_state(checkpoint["generator"])
        if checkpoint["best"] is None:
            self._best_params = self._best_loss = None
        else:
            params, loss = checkpoint["best"]
            self._best_params, self._best_loss = [p.clone() for p in params], loss.clone()

    # --- looking at the model without touching it ------------------------------------
    def snapshot(self) -> WeightSnapshot:
        """Weights and biases as numpy arrays, with the weight gradients of the last batch
        when there are any: one device→host copy for all of them (a copy per tensor
        would be a sync per tensor on a GPU, and this runs with every window update)."""
        grads = [layer.weight.grad for layer in self._linears]
        with_grads = all(g is not None for g in grads)
        with torch.no_grad():
            parts = [t.reshape(-1) for layer in self._linears
                     for t in (layer.weight, layer.bias)]
            if with_grads:
                parts += [g.reshape(-1) for g in grads]
            flat = torch.cat(parts).cpu().numpy()
        weights, biases, at = [], [], 0
        for layer in self._linears:
            out_f, in_f = layer.weight.shape
            weights.append(flat[at:at + out_f * in_f].reshape(out_f, in_f))
            at += out_f * in_f
            biases.append(flat[at:at + out_f])
            at += out_f
        gradients = None
        if with_grads:
            gradients = []
            for w in weights:
                gradients.append(flat[at:at + w.size].reshape(w.shape))
                at += w.size
            gradients = tuple(gradients)
        return WeightSnapshot(tuple(weights), tuple(biases),
                              tuple(h.activation for h in self.spec.hidden), self.epoch,
                              gradients, self.spec.engineered)

    def predict_proba(self, x_standardized: np.ndarray) -> np.ndarray:
        """Class probabilities for rows of standardized inputs (dropout off)."""
        self.model.eval()
        with torch.inference_mode():
            x = torch.as_tensor(np.atleast_2d(x_standardized), dtype=torch.float32,
                                device=self.device)
            return torch.softmax(self.model(x), dim=1).cpu().numpy()

    def predict_values(self, x_standardized: np.ndarray) -> np.ndarray:
        """Regression: the predicted targets, in the data's units, for standardized rows."""
        self.model.eval()
        with torch.inference_mode():
            x = torch.as_tensor(np.atleast_2d(x_standardized), dtype=torch.float32,
                                device=self.device)
            out = self.model(x)[:, 0].cpu().numpy()
        return self.data.target_values(out)

    # --- saving and restoring the whole state (see project.py) -----------------------
    def state_arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """Every tensor of the state as numpy arrays, plus what JSON should hold.

        Layers are named by their position among the linear layers
        ("layers.0.weight"), not by module index, so the names follow the spec.
        """
        arrays: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self._linears):
            arrays[f"layers.{i}.weight"] = layer.weight.detach().cpu().numpy().copy()
            arrays[f"layers.{i}.bias"] = layer.bias.detach().cpu().numpy().copy()
        opt_arrays, opt_meta = optimizer_to_arrays(self.optimizer)
        arrays.update(opt_arrays)
        arrays["rng.generator"] = self._gen.get_state().numpy()
        for key, value in self.history.arrays().items():
            arrays[f"history.{key}"] = value
        return arrays, {"epoch": self.epoch, "optimizer": opt_meta}

    def load_state_arrays(self, arrays: dict[str, np.ndarray], meta: dict) -> None:
        """The inverse of `state_arrays`; the caller has checked names and shapes."""
        with torch.no_grad():
            for i, layer in enumerate(self._linears):
                layer.weight.copy_(torch.as_tensor(arrays[f"layers.{i}.weight"]))
                layer.bias.copy_(torch.as_tensor(arrays[f"layers.{i}.bias"]))
        self.optimizer.load_state_dict(optimizer_from_arrays(arrays, meta["optimizer"]))
        try:
            self._gen.set_state(torch.as_tensor(arrays["rng.generator"]))
        except RuntimeError:  # saved on another kind of device: its RNG state does not fit
            self._gen.manual_seed(self.config.seed + int(meta["epoch"]))
        self.epoch = int(meta["epoch"])
        self.history = History.from_arrays(
            {k[len("history."):]: v for k, v in arrays.items() if k.startswith("history.")})


def _batch_mean(losses: list[torch.Tensor], n: int, batch: int) -> torch.Tensor:
    """The mean loss over the n rows of an epoch, from the mean loss of each batch (all
    of `batch` rows but the last, which has the remainder)."""
    if len(losses) == 1:
        return losses[0].detach()
    stacked = torch.stack(losses)
    last = n - batch * (len(losses) - 1)
    if last == batch:
        return stacked.mean()
    return (stacked.sum() * batch - stacked[-1] * (batch - last)) / n


def _copy_state(value):
    """A deep copy of an optimizer state dict: tensors cloned, containers rebuilt. A
    checkpoint is taken every chunk of epochs; copy.deepcopy took 0.23 ms of Python
    machinery for a small network's Adam state; this takes half as long."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return {k: _copy_state(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copy_state(v) for v in value)
    return value  # numbers, strings, None, booleans
