"""Optimizer state as flat named arrays (for safetensors) plus a JSON description."""

from __future__ import annotations

import numpy as np
import torch


def optimizer_to_arrays(optimizer: torch.optim.Optimizer) -> tuple[dict[str, np.ndarray], dict]:
    state = optimizer.state_dict()
    arrays: dict[str, np.ndarray] = {}
    described: dict[str, dict] = {}
    for index, entries in state["state"].items():
        described[str(index)] = {}
        for key, value in entries.items():
            if isinstance(value, torch.Tensor):
                arrays[f"optim.{index}.{key}"] = value.detach().cpu().numpy()
                described[str(index)][key] = {"tensor": True}
            else:  # plain values such as a momentum buffer that is still None
                described[str(index)][key] = {"value": value}
    groups = [{k: list(v) if isinstance(v, tuple) else v for k, v in g.items()}
              for g in state["param_groups"]]
    return arrays, {"state": described, "param_groups": groups}


def optimizer_from_arrays(arrays: dict[str, np.ndarray], meta: dict) -> dict:
    state = {}
    for index, entries in meta["state"].items():
        state[int(index)] = {
            key: torch.as_tensor(arrays[f"optim.{index}.{key}"]).clone()
            if how.get("tensor") else how.get("value")
            for key, how in entries.items()}
    groups = [{k: tuple(v) if k == "betas" else v for k, v in g.items()}
              for g in meta["param_groups"]]
    return {"state": state, "param_groups": groups}
