"""The honest baseline: a plain PyTorch training loop with nothing around it.

Same network, data, optimizer and device as the application; each epoch is a
training pass over shuffled batches plus the validation loss and accuracy,
kept on the device and read once at the end. It is written the most
favourable way, as the application is (an op is a dispatch through Python):
each batch's loss kept as it is and weighted by its share of the rows once an
epoch, and the validation accuracy of all the epochs counted at once, from
their validation outputs, at the end.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from playground.core.model import build_model
from playground.core.optimizers import make_optimizer


class BareLoop:
    """A fresh network; each call trains it `epochs` epochs more and returns the seconds,
    so the benchmark can take its turns with the application's run."""

    def __init__(self, data, spec, config) -> None:
        self.device = device = torch.device(config.device if config.device != "auto"
                                            else "cpu")
        torch.manual_seed(config.seed)
        self.model = build_model(spec, config.seed).to(device)
        self.optimizer = make_optimizer(config, self.model.parameters())
        self.x = torch.as_tensor(data.train_x, device=device)
        self.y = torch.as_tensor(data.train_y, device=device)
        self.vx = torch.as_tensor(data.val_x, device=device)
        self.vy = torch.as_tensor(data.val_y, device=device)
        n = len(self.y)
        self.batch = batch = min(config.batch_size or n, n)
        sizes = [min(batch, n - begin) for begin in range(0, n, batch)]
        self.shares = torch.tensor(sizes, dtype=torch.float32, device=device) / n

    def __call__(self, epochs: int) -> float:
        model, optimizer, x, y, batch = self.model, self.optimizer, self.x, self.y, self.batch
        n = len(y)
        stats, val_outputs = [], []
        _sync(self.device)
        start = time.perf_counter()
        for _ in range(epochs):
            model.train()
            order = torch.randperm(n, device=self.device) if batch < n else None
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
                logits = model(self.vx)
                train_loss = losses[0] if len(losses) == 1 else torch.stack(losses) @ self.shares
                stats.append(torch.stack([train_loss, F.cross_entropy(logits, self.vy)]))
                val_outputs.append(logits)
        if stats:
            with torch.no_grad():
                accuracy = (torch.stack(val_outputs).argmax(2) == self.vy).float().mean(1)
                torch.cat([torch.stack(stats), accuracy[:, None]], 1).cpu()
        _sync(self.device)
        return time.perf_counter() - start


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
