"""Training in chunks (core/chunked.py), the loop of `playground train`, the benchmark and
the training threads: chunks double while they fit the time budget, and training ends
at the limit, on a stop request, on divergence or on early stopping."""

from dataclasses import dataclass

import numpy as np

from playground.core.network.spec import LayerSpec, NetworkSpec, default_spec
from playground.core.training.chunked import ChunkSizes, train_in_chunks
from playground.core.training.config import TrainingConfig
from playground.core.training.trainer import Trainer
from playground.core.training.variant_trainer import VariantTrainer
from playground.core.training.variants import make_variants, parse_axis


@dataclass
class Chunk:
    epochs: int
    seconds: float
    diverged: str | None = None

    def __len__(self) -> int:
        return self.epochs


class PacedTrainer:
    """Epochs of a fixed, known duration, so that the chunk sizes can be predicted."""

    def __init__(self, seconds_per_epoch: float) -> None:
        self.per_epoch, self.epoch = seconds_per_epoch, 0
        self.stop_checks: list = []

    def run(self, n: int, should_stop) -> Chunk:
        self.stop_checks.append(should_stop)
        self.epoch += n
        return Chunk(n, n * self.per_epoch)


def never() -> bool:
    return False


def test_chunks_double_from_one_epoch_and_end_exactly_at_the_limit():
    trainer, sizes = PacedTrainer(1e-4), []
    run = train_in_chunks(trainer, 100, never, lambda stats: sizes.append(len(stats)))
    assert sizes == [1, 2, 4, 8, 16, 32, 37]
    assert trainer.epoch == 100
    assert np.isclose(run.seconds, 100 * 1e-4)
    assert run.diverged is None and run.stopped_early is None


def test_chunks_stop_growing_at_the_time_budget():
    trainer, sizes = PacedTrainer(0.01), []
    train_in_chunks(trainer, 60, never, lambda stats: sizes.append(len(stats)), budget=0.1)
    assert sizes == [1, 2, 4, 8, 10, 10, 10, 10, 5]


def test_a_chunk_size_remembers_the_pace_and_respects_a_smaller_limit():
    chunks, trainer = ChunkSizes(0.05), PacedTrainer(1e-3)
    assert chunks.per_epoch is None
    assert len(chunks.run(trainer, 10, never)) == 1
    assert len(chunks.run(trainer, 10, never)) == 2
    assert len(chunks.run(trainer, 3, never)) == 3  # the limit, not the 4 it has grown to
    assert chunks.size == 8 and chunks.per_epoch == 1e-3


def test_a_stop_request_ends_training_and_reaches_every_batch():
    trainer, calls = PacedTrainer(1e-4), []
    requests = iter([False, False, False, True])
    run = train_in_chunks(trainer, 1_000, lambda: next(requests),
                          lambda stats: calls.append(len(stats)))
    assert calls == [1, 2, 4] and trainer.epoch == 7
    assert run.diverged is None
    assert all(check is not None for check in trainer.stop_checks)  # the trainer sees it


def test_divergence_ends_training_with_its_message(data):
    spec = NetworkSpec(4, 3, tuple(LayerSpec(64, "relu") for _ in range(4)))
    trainer = Trainer(data, spec, TrainingConfig(optimizer="sgd", learning_rate=10.0,
                                                 device="cpu"))
    chunks, reported, run_chunk = [], [], trainer.run
    trainer.run = lambda n, should_stop: chunks.append(n) or run_chunk(n, should_stop)
    run = train_in_chunks(trainer, 500, never, reported.append)
    assert run.diverged and run.diverged.startswith(f"diverged at epoch {trainer.epoch + 1}")
    assert trainer.epoch < 500 and run.seconds > 0
    assert len(reported) == len(chunks) - 1  # every chunk but the one that diverged


def test_early_stopping_ends_training_with_its_message(data):
    spec = NetworkSpec(4, 3, (LayerSpec(64), LayerSpec(64)))
    trainer = Trainer(data, spec, TrainingConfig(learning_rate=0.05, patience=20,
                                                 device="cpu"))
    run = train_in_chunks(trainer, 2_000, never)
    assert run.stopped_early and trainer.epoch < 2_000 and run.diverged is None
    assert trainer.restored_epoch is not None


def test_a_real_trainer_trains_to_the_limit_in_reported_chunks(data):
    trainer = Trainer(data, default_spec(4, 3), TrainingConfig(device="cpu"))
    reported = []
    run = train_in_chunks(trainer, 300, never, lambda stats: reported.append(stats))
    assert trainer.epoch == 300 and len(trainer.history) == 300
    assert sum(len(s) for s in reported) == 300
    assert len(reported[0]) == 1 and len(reported[1]) == 2  # the first report at once
    assert run.seconds >= sum(s.seconds for s in reported) * 0.999


def test_variants_end_when_every_one_has_diverged(data):
    config = TrainingConfig(optimizer="sgd", learning_rate=0.1, device="cpu")
    variants = make_variants(default_spec(4, 3), config, [parse_axis("lr=50,80")])
    trainer = VariantTrainer(data, config, variants)
    run = train_in_chunks(trainer, 500, never)
    assert all(trainer.diverged) and trainer.epoch < 500
    assert run.diverged == "every variant diverged"


def test_ctrl_c_ends_the_command_lines_training_early_and_is_reported():
    """`playground train`: the first Ctrl+C stops between chunks, the run still reports,
    and the previous SIGINT handler is back afterwards."""
    import os
    import signal

    from playground.commands.progress import train_with_progress

    class Interrupted(PacedTrainer):
        def run(self, n, should_stop):
            if self.epoch >= 3:
                os.kill(os.getpid(), signal.SIGINT)  # handled before run() returns
            return super().run(n, should_stop)

    before = signal.getsignal(signal.SIGINT)
    trainer = Interrupted(1e-4)
    run, interrupted = train_with_progress(trainer, 1000, lambda stats: "")
    assert interrupted and 3 <= trainer.epoch < 1000 and run.diverged is None
    assert signal.getsignal(signal.SIGINT) is before
    run, interrupted = train_with_progress(PacedTrainer(1e-4), 50, lambda stats: "")
    assert not interrupted and run.seconds > 0
