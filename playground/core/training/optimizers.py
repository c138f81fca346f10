"""The optimizers a person can choose, by name, each on its fastest correct path.

torch's defaults run the CPU's update one parameter at a time in Python (foreach,
its default on a GPU, is no faster on the CPU). SGD, momentum, Adam and AdamW have
fused kernels, one call for every parameter, on the CPU as on CUDA and MPS: the
penguin network's Adam step took a third of the time. Fused and unfused give the
same curves to float rounding (tests/test_fast_step.py), and their states have the
same tensors, so a project saved with either loads into the other. RMSprop has no
fused kernel: torch's default (foreach on a GPU) is its fastest path.

Adam and AdamW also skip, step by step, the generic Python around the fused kernel
(hooks, profiler scope, regrouping the tensors by device): `_LeanFusedStep`.
"""

from __future__ import annotations

import torch

from playground.core.training.config import TrainingConfig

FUSED = ("sgd", "momentum", "adam", "adamw")  # the choices with a fused kernel


class _LeanFusedStep:
    """Adam's fused step: the two kernel calls `torch.optim.Adam.step` ends in, with the
    same arguments, once every parameter has a gradient and a state; anything else (the
    first step, a closure, amsgrad, a tensor learning rate, a torch without the kernel)
    takes torch's own step."""

    _kernel = ""  # the name of the torch function

    def step(self, closure=None):
        groups = self.param_groups
        if closure is not None or len(groups) != 1:
            return super().step(closure)
        group = groups[0]
        params, state = group["params"], self.state
        grads = [p.grad for p in params]
        kernel = getattr(torch, self._kernel, None)
        if kernel is None or not group["fused"] or group["amsgrad"] or group["maximize"] \
                or group["differentiable"] or isinstance(group["lr"], torch.Tensor) \
                or any(g is None for g in grads) or any(p not in state for p in params):
            return super().step(closure)
        states = [state[p] for p in params]
        steps = [s["step"] for s in states]
        beta1, beta2 = group["betas"]
        with torch.no_grad():
            torch._foreach_add_(steps, 1)
            kernel(params, grads, [s["exp_avg"] for s in states],
                   [s["exp_avg_sq"] for s in states], [], steps, amsgrad=False,
                   lr=group["lr"], beta1=beta1, beta2=beta2,
                   weight_decay=group["weight_decay"], eps=group["eps"], maximize=False,
                   grad_scale=None, found_inf=None)
        return None

    # torch.optim wraps a class's `step` in a profiler scope and its hooks when the first
    # instance is made, unless the step says it is already wrapped: the cost this avoids.
    step.hooked = True


class LeanAdam(_LeanFusedStep, torch.optim.Adam):
    _kernel = "_fused_adam_"


class LeanAdamW(_LeanFusedStep, torch.optim.AdamW):
    _kernel = "_fused_adamw_"  # decoupled weight decay, as AdamW's own step calls


def make_optimizer(config: TrainingConfig, params, fast: bool = True) -> torch.optim.Optimizer:
    """The optimizer `config` names. `fast`: its fused kernel where torch has one for
    the parameters' device; `fast=False` gives torch's defaults (as a plain loop has)."""
    params = list(params)
    if fast and config.optimizer in FUSED:
        try:
            return _build(config, params, fused=True)
        except RuntimeError:  # no fused kernel for this device (or this torch release)
            pass
    return _build(config, params)


def _build(config: TrainingConfig, params, **options) -> torch.optim.Optimizer:
    lr, wd = config.learning_rate, config.weight_decay
    lean = bool(options)
    match config.optimizer:
        case "sgd":
            return torch.optim.SGD(params, lr=lr, weight_decay=wd, **options)
        case "momentum":
            return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd, **options)
        case "adam":
            return (LeanAdam if lean else torch.optim.Adam)(params, lr=lr, weight_decay=wd,
                                                           **options)
        case "adamw":
            return (LeanAdamW if lean else torch.optim.AdamW)(params, lr=lr, weight_decay=wd,
                                                             **options)
        case "rmsprop":
            return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)
    raise ValueError(f"unknown optimizer {config.optimizer!r}")

