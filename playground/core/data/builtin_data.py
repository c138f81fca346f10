"""The data sets the application can make by itself: the penguins it ships and the
generated two-feature sets. A project names its data set; these can be rebuilt from
that name alone when the project is opened. An imported CSV file is read again with
the plan it was imported with (table_import.reimport)."""

from __future__ import annotations

from playground.core.data.data_loaders import load_penguins
from playground.core.data.dataset import Dataset
from playground.core.data.toy_data import make_toy


def builtin_dataset(identity: dict) -> Dataset | None:
    """The data set a project's identity describes, if the application can make it."""
    generator = identity.get("generator")
    if isinstance(generator, dict):
        return make_toy(str(generator.get("kind")), float(generator.get("noise", 0.1)),
                        int(generator.get("seed", 0)), int(generator.get("rows", 400)))
    if identity.get("builtin"):
        return load_penguins()
    return None


def project_dataset(identity: dict, features=(), class_names=(), progress=None,
                    cancelled=None) -> Dataset | None:
    """The data set a project was trained on, if it can be made or read again (None for
    a data set the application knows nothing about). `features` and `class_names` are
    the project's: a changed imported file is refused unless its columns fit them.
    `progress` and `cancelled` follow the re-reading of an imported file."""
    made = builtin_dataset(identity)
    if made is None and isinstance(identity.get("import"), dict):
        from playground.core.data.table_import import reimport

        made = reimport(identity, features, class_names, progress, cancelled)
    return made
