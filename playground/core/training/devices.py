"""Which compute devices exist, and how to name them to a person."""

from __future__ import annotations

import torch


def available_devices() -> list[str]:
    """The devices this machine can train on, CPU first."""
    found = ["cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        found.append("mps")
    return found


# Below this many multiply-adds per batch a GPU trains slower than the CPU: each
# operation's launch cost (microseconds) outweighs its arithmetic. Measured with
# `playground bench --headless` on an H200 with 16 CPU cores (resources/bench/): the
# penguin network (15k) ran 1,065 epochs/s on the CPU and 632 on CUDA; at 5.3M the
# CPU still won, at 10.7M they tied, from 38M on CUDA won (2.2× at 38M, 4.5× at 574M).
GPU_WORK = 10_000_000


def resolve_device(name: str, work: int | None = None) -> torch.device:
    """'auto' picks CUDA, then MPS, then the CPU — but the CPU for a network whose
    batch is `work` multiply-adds, too little to pay a GPU's launch costs.
    A missing device is a clear error."""
    from playground.core.errors import SpecError

    present = available_devices()
    if name == "auto":
        if work is not None and work < GPU_WORK:
            return torch.device("cpu")
        for candidate in ("cuda", "mps"):
            if candidate in present:
                return torch.device(candidate)
        return torch.device("cpu")
    if name not in present:
        raise SpecError(f"device {name!r} is not available on this machine "
                        f"(available: {', '.join(present)})")
    return torch.device(name)


def describe_device(device: torch.device) -> str:
    """"CPU" or "CUDA: NVIDIA H100 80GB HBM3" — for the status bar and reports."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "MPS: Apple GPU"
    return "CPU"


# Below this many multiply-adds per batch, extra CPU threads cost more than they
# save: a penguin network's batch is ~15k. Measured on 2 cores: one thread trains
# penguins at ~1,700 epochs/s from a worker thread, two threads at ~170 (the
# OpenMP team of a non-main thread spins against the GUI and the trainer's own
# Python code).
PARALLEL_WORK = 2_000_000


def work_per_batch(spec, batch_rows: int) -> int:
    """Multiply-adds of one forward pass of `spec` over `batch_rows` rows."""
    widths = spec.widths
    return batch_rows * sum(a * b for a, b in zip(widths, widths[1:], strict=False))


def cpu_threads_for(spec, batch_rows: int) -> int:
    """How many intra-op threads a CPU trainer should use for this network and batch."""
    import os

    return 1 if work_per_batch(spec, batch_rows) < PARALLEL_WORK else max(1, os.cpu_count() or 1)


def use_cpu_threads(n: int) -> None:
    """torch.set_num_threads, only when it changes (it is process-wide and not free)."""
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
