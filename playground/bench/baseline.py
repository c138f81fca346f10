"""The baseline: the textbook PyTorch training loop a person would otherwise write.

Same network, data, optimizer choice and device as the application, written as
PyTorch's tutorials teach it: the optimizer with torch.optim's defaults, and each
batch `zero_grad`, `model(x)`, `cross_entropy`, `backward`, `step`; each epoch the
training loss (each batch weighted by its rows), then a validation pass for the
validation loss and accuracy, read back once an epoch as a loop that reports its
progress does. It is given what costs a plain loop nothing: the data already on the
device as tensors, batches cut by index from a shuffle (a DataLoader would be
slower), no shuffle when one batch holds every row, and the faster thread count
(see throughput.BareRun). The optimizers are built here, not by the application's
factory (core/optimizers.py), so that the baseline stays what a plain loop gets.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from playground.core.network.model import build_model

# The application's optimizer choices as a plain loop writes them: torch.optim's defaults.
TEXTBOOK_OPTIMIZERS = {
    "sgd": lambda params, lr, wd: torch.optim.SGD(params, lr=lr, weight_decay=wd),
    "momentum": lambda params, lr, wd: torch.optim.SGD(params, lr=lr, momentum=0.9,
                                                       weight_decay=wd),
    "adam": lambda params, lr, wd: torch.optim.Adam(params, lr=lr, weight_decay=wd),
    "adamw": lambda params, lr, wd: torch.optim.AdamW(params, lr=lr, weight_decay=wd),
    "rmsprop": lambda params, lr, wd: torch.optim.RMSprop(params, lr=lr, weight_decay=wd),
}


class BareLoop:
    """A fresh network; each call trains it `epochs` epochs more and returns the seconds,
    so the benchmark can take its turns with the application's run."""

    def __init__(self, data, spec, config) -> None:
        self.device = device = torch.device(config.device if config.device != "auto"
                                            else "cpu")
        torch.manual_seed(config.seed)
        self.model = build_model(spec, config.seed).to(device)
        self.optimizer = TEXTBOOK_OPTIMIZERS[config.optimizer](
            self.model.parameters(), config.learning_rate, config.weight_decay)
        self.x = torch.as_tensor(data.train_x, device=device)
        self.y = torch.as_tensor(data.train_y, device=device)
        self.vx = torch.as_tensor(data.val_x, device=device)
        self.vy = torch.as_tensor(data.val_y, device=device)
        n = len(self.y)
        self.batch = min(config.batch_size or n, n)
        self.history: list[tuple[float, float, float]] = []

    def __call__(self, epochs: int) -> float:
        model, optimizer, x, y, batch = self.model, self.optimizer, self.x, self.y, self.batch
        n = len(y)
        _sync(self.device)
        start = time.perf_counter()
        for _ in range(epochs):
            model.train()
            order = torch.randperm(n, device=self.device) if batch < n else None
            total = 0.0
            for begin in range(0, n, batch):
                if order is None:
                    xb, yb = x, y
                else:
                    index = order[begin:begin + batch]
                    xb, yb = x[index], y[index]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(xb), yb)
                loss.backward()
                optimizer.step()
                total = total + loss.detach() * len(yb)  # on the device: no sync a batch
            model.eval()
            with torch.no_grad():
                logits = model(self.vx)
                val_loss = F.cross_entropy(logits, self.vy)
                accuracy = (logits.argmax(1) == self.vy).float().mean()
            self.history.append(((total / n).item(), val_loss.item(), accuracy.item()))
        _sync(self.device)
        return time.perf_counter() - start


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
