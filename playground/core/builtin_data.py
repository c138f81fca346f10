"""The data sets the application can make by itself: the penguins it ships and the
generated two-feature sets. A project names its data set; these can be rebuilt from
that name alone when the project is opened."""

from __future__ import annotations

from playground.core.dataset import Dataset, load_penguins
from playground.core.toy_data import make_toy


def builtin_dataset(identity: dict) -> Dataset | None:
    """The data set a project's identity describes, if the application can make it."""
    generator = identity.get("generator")
    if isinstance(generator, dict):
        return make_toy(str(generator.get("kind")), float(generator.get("noise", 0.1)),
                        int(generator.get("seed", 0)), int(generator.get("rows", 400)))
    if identity.get("builtin"):
        return load_penguins()
    return None
