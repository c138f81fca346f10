"""K variants of one network trained together, in one batched step.

Each variant is the network a lone Trainer with its settings would build: the
same initial weights (build_model with its seed), its own generator for
shuffles and dropout masks, drawn in the same order (a shuffle at the start of
each epoch, then each dropout layer's mask, batch by batch). The K networks'
parameters are the rows of one (K, P) tensor; a batch is (K, B, features),
each variant's rows picked by its own shuffle, and every layer is one batched
matmul (baddbmm) over the K weight matrices. The loss back-propagated is the
sum of each variant's mean loss, so each row's gradient is its own network's.
The stacked optimizers (stacked_optimizers.py) then update all rows at once.
So each variant ends with the numbers it would have trained to alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from playground.core.data.split import PreparedData
from playground.core.errors import SpecError
from playground.core.network.model import (
    EngineeredInputs,
    SeededDropout,
    build_model,
    linear_layers,
)
from playground.core.training.config import TrainingConfig
from playground.core.training.devices import (
    cpu_threads_for,
    resolve_device,
    use_cpu_threads,
    work_per_batch,
)
from playground.core.training.history import METRICS, History
from playground.core.training.stacked_optimizers import StackedOptimizer
from playground.core.training.variants import Variant

# Floats a batch of all variants may hold in one layer's activations (2 GB of float32).
MAX_BATCH_FLOATS = 500_000_000


@dataclass(frozen=True, eq=False)
class VariantStats:
    """One call of `VariantTrainer.run`: epochs × variants arrays."""

    epochs: np.ndarray  # (E,)
    metrics: dict[str, np.ndarray]  # each (E, K); NaN for a variant after it diverged
    seconds: float
    interrupted: bool = False
    diverged: str | None = None  # once every variant has diverged: nothing left to train

    def __len__(self) -> int:
        return len(self.epochs)


class VariantTrainer:
    """Owns K variants of one network, their stacked parameters, optimizer and data."""

    def __init__(self, data: PreparedData, config: TrainingConfig,
                 variants: list[Variant]) -> None:
        """`config`: the base settings (its seed chose `data`'s split)."""
        if not variants:
            raise SpecError("vary: no variants to train")
        self.variants, self.data, self.config = variants, data, config
        self.spec = variants[0].spec
        self.k = k = len(variants)
        self.regression = data.is_regression
        if self.regression and self.spec.n_outputs != 1:
            raise SpecError("a regression network has one output: the predicted value")
        rows = len(data.train_y)
        self.batch = min(self.config.batch_size or rows, rows)
        widest = max(self.spec.widths) + len(self.spec.engineered)
        if k * self.batch * widest > MAX_BATCH_FLOATS:
            raise SpecError(f"{k} variants × a batch of {self.batch} rows is too big to train "
                            "together; choose a smaller batch size or fewer variants")
        # The device a lone Trainer of one variant would choose: its shuffles and dropout
        # masks come from that device's generator, so a variant continued alone (its
        # generator state included) trains on as it would have alone.
        self.device = resolve_device(self.config.device, work_per_batch(self.spec, self.batch))
        self._threads = cpu_threads_for(self.spec, self.batch * k)
        # Each variant's own generator and initial weights, as a lone Trainer draws them.
        self._gens = [torch.Generator(device=self.device).manual_seed(v.config.seed)
                      for v in variants]
        models = [build_model(v.spec, v.config.seed) for v in variants]
        self._layers = linear_layers(models[0])
        self._slices, at = [], 0
        for layer in self._layers:
            for t in (layer.weight, layer.bias):
                self._slices.append((slice(at, at + t.numel()), tuple(t.shape)))
                at += t.numel()
        with torch.no_grad():
            flat = torch.stack([torch.cat([p.reshape(-1) for p in m.parameters()])
                                for m in models])
        self.params = flat.to(self.device).requires_grad_(True)
        self._activations = [m for m in models[0]
                             if not isinstance(m, nn.Linear | SeededDropout | EngineeredInputs)]
        # Dropout of each hidden layer, per variant: a (K, 1, 1) column, or None if all 0.
        self._dropout = []
        for i in range(len(self.spec.hidden)):
            p = [v.spec.hidden[i].dropout for v in variants]
            kept = torch.tensor([1.0 - pk for pk in p], device=self.device)  # as a lone one
            self._dropout.append((p, kept[:, None, None]) if any(p) else None)
        self._l1 = torch.tensor([v.l1 for v in variants], device=self.device)
        self._penalized = bool(any(v.l1 for v in variants))
        self.optimizer = StackedOptimizer(self.config.optimizer, self.params,
                                          [v.config.learning_rate for v in variants],
                                          [v.config.weight_decay for v in variants])
        engineer = EngineeredInputs(self.spec.engineered) if self.spec.engineered else None

        def tensor(a, dtype=torch.float32, inputs=False):
            t = torch.as_tensor(a, dtype=dtype, device=self.device)
            return engineer.to(self.device)(t) if inputs and engineer else t
        label = torch.float32 if self.regression else torch.long
        self._x, self._vx = tensor(data.train_x, inputs=True), tensor(data.val_x, inputs=True)
        self._y, self._vy = tensor(data.train_y, label), tensor(data.val_y, label)
        if self.regression:
            self._variance = np.array([max(float(np.var(data.train_y)), 1e-12),
                                       max(float(np.var(data.val_y)), 1e-12)])
        self.epoch = 0
        self.histories = [History() for _ in variants]
        self.diverged: list[str | None] = [None] * k

    # --- the batched network ----------------------------------------------------------
    def _forward(self, x: torch.Tensor, training: bool) -> torch.Tensor:
        """(K, rows, features) or shared (rows, features) inputs → (K, rows, outputs)."""
        h = x if x.dim() == 3 else x.expand(self.k, *x.shape)
        last = len(self._layers) - 1
        for i in range(len(self._layers)):
            (w_at, w_shape), (b_at, _) = self._slices[2 * i], self._slices[2 * i + 1]
            w = self.params[:, w_at].view(self.k, *w_shape)
            h = torch.baddbmm(self.params[:, None, b_at], h, w.transpose(1, 2))
            if i < last:
                h = self._activations[i](h)
                if training and self._dropout[i] is not None:
                    h = self._drop(h, *self._dropout[i])
        return h

    def _drop(self, h: torch.Tensor, p: list[float], kept: torch.Tensor) -> torch.Tensor:
        """SeededDropout for each variant, its mask drawn from its own generator (a
        variant without dropout draws nothing, as its lone network has no such layer)."""
        shape = h.shape[1:]
        keep = torch.stack([
            torch.rand(shape, generator=g, device=h.device) >= pk if pk else
            torch.ones(shape, dtype=torch.bool, device=h.device)
            for g, pk in zip(self._gens, p, strict=True)])
        return h * keep / kept

    def _losses(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Each variant's mean loss over its rows: (K,)."""
        if self.regression:
            return ((out[..., 0] - y) ** 2).mean(1)
        labels = y if y.dim() == 2 else y.expand(self.k, -1)
        return F.cross_entropy(out.transpose(1, 2), labels, reduction="none").mean(1)

    def _penalty(self) -> torch.Tensor:
        """Each variant's l1 · Σ|w| over its weights (not biases)."""
        weights = torch.cat([self.params[:, self._slices[2 * i][0]]
                             for i in range(len(self._layers))], dim=1)
        return self._l1 * weights.abs().sum(1)

    # --- training ---------------------------------------------------------------------
    def run(self, n_epochs: int, should_stop: Callable[[], bool] | None = None) -> VariantStats:
        """Train every variant `n_epochs` epochs (fewer if stopped: the interrupted epoch
        is undone by replaying the whole ones from a checkpoint)."""
        start = time.perf_counter()
        if self.device.type == "cpu":
            use_cpu_threads(self._threads)
        checkpoint = self._checkpoint()
        rows, interrupted = [], False
        for _ in range(n_epochs):
            row = self._epoch(should_stop)
            if row is None:
                interrupted = True
                break
            rows.append(row)
        if interrupted:
            self._restore(checkpoint)
            rows = [self._epoch(None) for _ in range(len(rows))]
        values = self._to_host(rows)
        first = self.epoch + 1
        self.epoch += len(values)
        epochs = np.arange(first, self.epoch + 1, dtype=np.float64)
        metrics = {m: values[:, :, i] for i, m in enumerate(METRICS)}
        self._record(epochs, metrics)
        everyone = "every variant diverged" if all(self.diverged) else None
        return VariantStats(epochs, metrics, time.perf_counter() - start, interrupted,
                            everyone)

    def _epoch(self, should_stop) -> torch.Tensor | None:
        x, y, n, batch = self._x, self._y, len(self._y), self.batch
        order = None
        if batch < n:
            order = torch.stack([torch.randperm(n, generator=g, device=self.device)
                                 for g in self._gens])
        losses, outputs = [], []
        for begin in range(0, n, batch):
            if should_stop is not None and should_stop():
                return None
            if order is None:
                xb, yb = x, y
            else:
                index = order[:, begin:begin + batch]
                xb, yb = x[index], y[index]
            out = self._forward(xb, training=True)
            loss = self._losses(out, yb)
            total = loss.sum() + self._penalty().sum() if self._penalized else loss.sum()
            self.params.grad = None
            total.backward()
            self.optimizer.step()
            losses.append(loss.detach())
            outputs.append(out.detach())
        with torch.inference_mode():
            sizes = torch.tensor([min(batch, n - b) for b in range(0, n, batch)],
                                 dtype=torch.float32, device=self.device)
            train_loss = (sizes / n) @ torch.stack(losses) if len(losses) > 1 else losses[0]
            val_out = self._forward(self._vx, training=False)
            val_loss = self._losses(val_out, self._vy)
            if self.regression:
                return torch.stack([train_loss, val_loss])
            labels = y if order is None else y[order]
            hits = (torch.cat(outputs, dim=1).argmax(2) == labels).sum(1) / n
            val_hits = (val_out.argmax(2) == self._vy).sum(1) / len(self._vy)
            return torch.stack([train_loss, val_loss, hits, val_hits])

    def _to_host(self, rows: list[torch.Tensor]) -> np.ndarray:
        """(E, K, 4): train loss, val loss, train score, val score — one host read."""
        if not rows:
            return np.zeros((0, self.k, 4))
        values = torch.stack(rows).cpu().numpy().astype(np.float64).transpose(0, 2, 1)
        if self.regression:  # R² = 1 − MSE / variance of the true values
            values = np.concatenate([values, 1 - values / self._variance], axis=2)
        return values

    def _record(self, epochs: np.ndarray, metrics: dict[str, np.ndarray]) -> None:
        """Extend each variant's history; a variant whose loss stopped being finite keeps
        the epochs before that, and NaN stands for it in the returned stats from then."""
        finite = np.isfinite(np.stack([metrics[m] for m in METRICS])).all(axis=0)
        for j, history in enumerate(self.histories):
            if self.diverged[j] is not None:
                good = 0
            else:
                bad = np.flatnonzero(~finite[:, j])
                good = int(bad[0]) if len(bad) else len(epochs)
                if len(bad):
                    self.diverged[j] = f"diverged at epoch {int(epochs[good])}"
            history.extend(epochs[:good], **{m: metrics[m][:good, j] for m in METRICS})
            for m in METRICS:
                metrics[m][good:, j] = np.nan

    def _checkpoint(self) -> dict:
        return {"params": self.params.detach().clone(),
                "state": {k: v.clone() for k, v in self.optimizer.state.items()},
                "steps": self.optimizer.steps, "gens": [g.get_state() for g in self._gens]}

    def _restore(self, checkpoint: dict) -> None:
        with torch.no_grad():
            self.params.copy_(checkpoint["params"])
        self.optimizer.state = {k: v.clone() for k, v in checkpoint["state"].items()}
        self.optimizer.steps = checkpoint["steps"]
        for g, state in zip(self._gens, checkpoint["gens"], strict=True):
            g.set_state(state)

    # --- one variant as an ordinary trainer -------------------------------------------------
    def to_trainer(self, j: int):
        """A lone Trainer holding variant `j`'s weights, optimizer state, generator and
        curves: training it on gives the numbers the variant would have given. Its config
        keeps the base seed, which chose the data split the variants shared."""
        from playground.core.files.state_io import optimizer_to_arrays
        from playground.core.training.trainer import Trainer

        if self.diverged[j] is not None:
            raise SpecError(f"variant {self.variants[j].label} {self.diverged[j]}: "
                            "its weights are not numbers; choose another")
        variant = self.variants[j]
        config = replace(variant.config, seed=self.config.seed)
        trainer = Trainer(self.data, variant.spec, config)
        arrays = {}
        row = self.params.detach()[j].cpu()
        for i in range(len(self._layers)):
            for name, (where, shape) in zip(("weight", "bias"), self._slices[2 * i:2 * i + 2],
                                            strict=True):
                arrays[f"layers.{i}.{name}"] = row[where].reshape(shape).numpy().copy()
        state = self.optimizer.torch_state(j, self._slices)
        opt_meta = optimizer_to_arrays(trainer.optimizer)[1]
        opt_meta["state"] = {str(i): {k: {"tensor": True} for k in entry}
                             for i, entry in state.items()}
        for i, entry in state.items():
            for key, value in entry.items():
                arrays[f"optim.{i}.{key}"] = value.cpu().numpy()
        arrays["rng.generator"] = self._gens[j].get_state().numpy()
        for key, value in self.histories[j].arrays().items():
            arrays[f"history.{key}"] = value
        trainer.load_state_arrays(arrays, {"epoch": self.epoch, "optimizer": opt_meta})
        return trainer
