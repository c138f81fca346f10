"""One training step on one example, shown before it is taken, then taken exactly.

How far a weight moves depends on the optimizer's state (Adam's moments, the
momentum), which lives with the trainer. So the step is computed by the real
thing: a copy of the model and of the optimizer does one step on a batch of this
one example — the trainer's own loss, the optimizer with its learning rate and
weight decay — and the old weights, autograd's gradients and the new weights come
back. The trainer itself is untouched until `apply_step`, which takes the same step
on it: its weights become exactly the new weights shown (new = old − step).

Dropout is off for this step (the model in evaluation mode), so the step shown is
the same each time it is asked for and is the step taken. A step on one example is
not an epoch: the trainer's epoch count and curves do not change.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import torch

from playground.core.errors import PlaygroundError
from playground.core.network.model import linear_layers
from playground.core.training.optimizers import make_optimizer


@dataclass(frozen=True, eq=False)
class TrainingStep:
    """Each linear layer's weights (out × in) and biases before and after one step, and
    the gradients the step was made from."""

    old_weights: tuple[np.ndarray, ...]
    old_biases: tuple[np.ndarray, ...]
    new_weights: tuple[np.ndarray, ...]
    new_biases: tuple[np.ndarray, ...]
    weight_gradients: tuple[np.ndarray, ...]  # ∂loss/∂W, by autograd
    bias_gradients: tuple[np.ndarray, ...]
    loss: float  # the example's loss before the step, as training computes it
    optimizer: str
    learning_rate: float
    weight_decay: float
    epoch: int  # the trainer's epoch count (a step does not change it)
    l1: float = 0.0  # the L1 strength: l1·sign(w) is part of each weight's gradient
    applied: bool = False  # True: the trainer has taken this step

    @cached_property  # worked out once: a view reads it per layer, each refresh
    def weight_steps(self) -> tuple[np.ndarray, ...]:
        """old − new, per layer: what the optimizer takes away from each weight."""
        return tuple(o - n for o, n in zip(self.old_weights, self.new_weights, strict=True))

    @cached_property
    def bias_steps(self) -> tuple[np.ndarray, ...]:
        return tuple(o - n for o, n in zip(self.old_biases, self.new_biases, strict=True))


def _batch(trainer, raw: np.ndarray, target) -> tuple[torch.Tensor, torch.Tensor]:
    """The one example as the trainer's tensors: standardized input, and the class index
    or (regression) the standardized target value."""
    raw = np.asarray(raw, dtype=np.float64).reshape(1, -1)
    if raw.shape[1] != trainer.data.n_features:
        raise PlaygroundError(f"the example has {raw.shape[1]} values but the network takes "
                              f"{trainer.data.n_features}")
    x = torch.as_tensor(trainer.data.standardizer.transform(raw), dtype=torch.float32,
                        device=trainer.device)
    if trainer.regression:
        value = float(target)
        if not np.isfinite(value):
            raise PlaygroundError(f"the target value {target!r} is not a number")
        y = trainer.data.target.transform(np.array([[value]]))[:, 0]
        return x, torch.as_tensor(y, dtype=torch.float32, device=trainer.device)
    n = trainer.spec.n_outputs
    if not isinstance(target, int | np.integer) or not 0 <= int(target) < n:
        raise PlaygroundError(f"the target class {target!r} is not one of the {n} outputs")
    return x, torch.tensor([int(target)], dtype=torch.long, device=trainer.device)


def _host(tensors) -> tuple[np.ndarray, ...]:
    return tuple(t.detach().cpu().numpy().astype(np.float64) for t in tensors)


def _step_on_copy(trainer, raw: np.ndarray, target):
    """The step, taken by a copy of the model and optimizer; returns it and the copies."""
    x, y = _batch(trainer, raw, target)
    # The copy shares the dropout generators instead of copying them: they are not used
    # (no dropout below), and a generator's state can be large, on the device.
    shared = {id(g): g for g in (getattr(m, "generator", None) for m in trainer.model.modules())
              if g is not None}
    model = copy.deepcopy(trainer.model, shared)
    model.eval()  # dropout off (see the module's docstring)
    # A fresh optimizer of the same kind on the copy, with a copy of the trainer's state
    # (moments, momentum, step count): the state dict names parameters by position.
    optimizer = make_optimizer(trainer.config, model.parameters())
    optimizer.load_state_dict(copy.deepcopy(trainer.optimizer.state_dict()))
    layers = linear_layers(model)
    old = _host([t for layer in layers for t in (layer.weight, layer.bias)])
    # The trainer's own objective, as in an epoch: the data loss, and what is
    # back-propagated (with the L1 penalty, if any, of the copy's weights).
    loss, total = trainer.objective(model(x), y, layers)
    optimizer.zero_grad(set_to_none=True)
    total.backward()
    grads = _host([t.grad for layer in layers for t in (layer.weight, layer.bias)])
    optimizer.step()
    new = _host([t for layer in layers for t in (layer.weight, layer.bias)])
    c = trainer.config
    step = TrainingStep(old[0::2], old[1::2], new[0::2], new[1::2], grads[0::2], grads[1::2],
                        float(loss.detach().cpu()), c.optimizer, c.learning_rate,
                        c.weight_decay, trainer.epoch, c.l1)
    return step, model, optimizer


def propose_step(trainer, raw: np.ndarray, target) -> TrainingStep:
    """The step training would take on a batch of this one example (raw input; target: a
    class index, or for regression a value in the data's units). Changes nothing."""
    return _step_on_copy(trainer, raw, target)[0]


def apply_step(trainer, raw: np.ndarray, target) -> TrainingStep:
    """Take that step on the trainer: its weights, gradients and optimizer state become
    the copy's after the step. Its epoch count and history stay as they are."""
    step, model, optimizer = _step_on_copy(trainer, raw, target)
    with torch.no_grad():
        for mine, theirs in zip(trainer.model.parameters(), model.parameters(), strict=True):
            mine.copy_(theirs)
            # The last batch's gradients (the "Inside the network" view) are now this one's.
            mine.grad = None if theirs.grad is None else theirs.grad.detach().clone()
    trainer.optimizer.load_state_dict(optimizer.state_dict())
    return replace(step, applied=True)
