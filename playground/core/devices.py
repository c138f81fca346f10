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


def resolve_device(name: str) -> torch.device:
    """'auto' picks CUDA, then MPS, then the CPU; a missing device is a clear error."""
    from playground.core.errors import SpecError

    present = available_devices()
    if name == "auto":
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
