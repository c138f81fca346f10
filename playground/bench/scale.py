"""Scale: a synthetic 1,000,000 × 32 data set, a 3 × 256 network, batches of 4096."""

from __future__ import annotations

import numpy as np

from playground.core.data.dataset import Dataset, Feature
from playground.core.network.spec import LayerSpec, NetworkSpec
from playground.core.training.config import TrainingConfig

FEATURES = 32
CLASSES = 3


def synthetic_dataset(rows: int, seed: int = 0) -> Dataset:
    """Gaussian features; the class is the argmax of a random linear teacher plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, FEATURES))
    teacher = rng.standard_normal((FEATURES, CLASSES))
    y = (x @ teacher + 0.5 * rng.standard_normal((rows, CLASSES))).argmax(1)
    features = tuple(Feature(f"x{i}", f"x{i}", "", float(x[:, i].min()), float(x[:, i].max()))
                     for i in range(FEATURES))
    return Dataset("synthetic", features, tuple(f"class {c}" for c in range(CLASSES)), x,
                   y.astype(np.int64), label="class")


def scale_setup(rows: int, epochs: int, device: str) -> tuple[Dataset, NetworkSpec,
                                                                 TrainingConfig]:
    spec = NetworkSpec(FEATURES, CLASSES, tuple(LayerSpec(256) for _ in range(3)))
    config = TrainingConfig(optimizer="adam", learning_rate=1e-3, batch_size=4096,
                            epochs=epochs, val_fraction=0.1, seed=0, device=device)
    return synthetic_dataset(rows), spec, config
