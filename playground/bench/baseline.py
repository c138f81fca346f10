"""The honest baseline: a plain PyTorch training loop with nothing around it.

Same network, data, optimizer and device as the application; each epoch is a
training pass over shuffled batches plus the validation loss and accuracy,
kept on the device and read once at the end, and each batch's loss kept as it
is and weighted by its share of the rows once per epoch (the most favourable
way to write it: an op per batch is a dispatch through Python).
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from playground.core.model import build_model
from playground.core.optimizers import make_optimizer


def bare_loop(data, spec, config, epochs: int) -> float:
    """Train `epochs` epochs from a fresh start; return epochs per second."""
    device = torch.device(config.device if config.device != "auto" else "cpu")
    torch.manual_seed(config.seed)
    model = build_model(spec, config.seed).to(device)
    optimizer = make_optimizer(config, model.parameters())
    x = torch.as_tensor(data.train_x, device=device)
    y = torch.as_tensor(data.train_y, device=device)
    vx = torch.as_tensor(data.val_x, device=device)
    vy = torch.as_tensor(data.val_y, device=device)
    n = len(y)
    batch = min(config.batch_size or n, n)
    sizes = [min(batch, n - begin) for begin in range(0, n, batch)]
    shares = torch.tensor(sizes, dtype=torch.float32, device=device) / n
    stats = []
    _sync(device)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n, device=device) if batch < n else None
        losses = []
        for begin in range(0, n, batch):
            if order is None:
                xb, yb = x, y
            else:
                index = order[begin:begin + batch]
                xb, yb = x[index], y[index]
            loss = F.cross_entropy(model(xb), yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            stats.append(torch.stack([torch.stack(losses) @ shares,
                                      F.cross_entropy(logits, vy),
                                      (logits.argmax(1) == vy).float().mean()]))
    torch.stack(stats).cpu()
    _sync(device)
    return epochs / (time.perf_counter() - start)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
