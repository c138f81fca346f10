"""The weights the window can show for a network the moment it becomes current, before
the training thread has sent any: the probabilities then never read "—" once a
network exists (after Reset, an edit, undo, another data set, opening a project).

- a project's network: its saved weights;
- a network the training thread still keeps (undo, a restored run): the last weights
  it sent for it;
- a new network: its initial weights, drawn here in numpy exactly as PyTorch draws
  them (core/initial_weights.py), without importing torch, which the training thread
  loads after the first paint to keep start-up fast. For a seed beyond 32 bits, which
  that cannot repeat, torch's own initialization once torch has loaded, else nothing:
  "—" until the thread's first update.
"""

from __future__ import annotations

from playground.core.network.forward import WeightSnapshot
from playground.core.network.initial_weights import initial_weights
from playground.core.network.spec import NetworkSpec


class KnownWeights:
    def __init__(self, keeps_trainer) -> None:
        self._keeps_trainer = keeps_trainer  # generation -> bool: the thread still has it
        self._latest: dict[int, WeightSnapshot] = {}  # the last weights sent, per generation
        self.torch_ready = False  # set by the window at the thread's first update

    def remember(self, generation: int, snapshot: WeightSnapshot | None) -> None:
        """An update from the training thread (for any generation, even a replaced one:
        its final weights arrive just after the switch)."""
        self.torch_ready = True
        if snapshot is not None:
            self._latest[generation] = snapshot

    def for_switch(self, generation: int, spec: NetworkSpec, seed: int,
                   project=None) -> WeightSnapshot | None:
        """What to show for `generation` until the thread sends its own weights."""
        # Forget networks the thread no longer keeps: they come back freshly built.
        self._latest = {g: s for g, s in self._latest.items() if self._keeps_trainer(g)}
        if project is not None:
            return project.snapshot()
        if generation in self._latest:
            return self._latest[generation]
        fresh = initial_weights(spec, seed)
        if fresh is not None or not self.torch_ready:
            return fresh
        from playground.core.network.model import initial_snapshot

        return initial_snapshot(spec, seed)
