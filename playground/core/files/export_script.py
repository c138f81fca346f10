"""Export a project as a standalone training script with its data beside it.

The script is `templates/train.py.txt` with one placeholder filled in: a JSON
blob of this project's data files, network, training settings and the project
file it writes back. All logic lives in the template, which is ordinary, readable
Python; nothing here writes code. The data are the playground's own prepared
arrays (export_data.py), so every project exports: built-in, toy and imported
data, classification and regression. The script runs as `python train.py` and
under `torchrun` (see its docstring).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from playground import __version__
from playground.core.errors import ProjectError
from playground.core.files.atomic_write import write_atomically
from playground.core.files.export_data import data_description, project_data, write_data

TEMPLATE = "train.py.txt"
PLACEHOLDER = "{{CONFIG_JSON}}"
SCRIPT_NAME = "train.py"


def script_config(project, data, source: str = "") -> dict:
    """What the script needs to know: the data files, the network, the settings, and
    the project file it writes when it has trained (everything but the weights, the
    optimizer state and the curves, which it adds)."""
    config = project.config
    template = project.to_json()
    for key in ("epoch", "optimizer", "runs"):
        template.pop(key, None)
    return {
        "exported_from": {"app": f"neural-network-playground {__version__}",
                          "project": source, "epochs_trained": project.epoch},
        "data": data_description(data, project),
        "network": project.spec.to_dict(),
        "training": {"optimizer": config.optimizer, "learning_rate": config.learning_rate,
                     "weight_decay": config.weight_decay, "batch_size": config.batch_size,
                     "epochs": config.epochs, "val_fraction": config.val_fraction,
                     "seed": config.seed, "patience": config.patience, "l1": config.l1},
        "project": template,
    }


def render_script(config: dict) -> str:
    """The template with the config filled in as JSON inside a raw string literal."""
    template = resources.files("playground.core.files").joinpath("templates").joinpath(TEMPLATE)
    template = template.read_text(encoding="utf-8")
    if template.count(PLACEHOLDER) != 1:
        raise ProjectError(f"the script template is damaged (needs one {PLACEHOLDER})")
    blob = json.dumps(config, indent=4, ensure_ascii=True)
    # The blob sits in r'''...''': a quote in a class name must not end the literal.
    # "\u0027" is JSON for "'", and a raw string keeps the backslash for json.loads.
    blob = blob.replace("'", "\\u0027")
    return template.replace(PLACEHOLDER, blob)


def export_script(project, folder: str | Path, project_path: str | Path | None = None,
                  data=None) -> tuple[Path, Path]:
    """Write `train.py` and the prepared rows (`data/*.npy`) into `folder` (created if
    needed); returns both paths. `data`: the prepared rows when the caller has them."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder} is a file; the training script needs a folder")
    data = project_data(project) if data is None else data
    source = Path(project_path).name if project_path is not None else ""
    text = render_script(script_config(project, data, source))
    data_folder = write_data(data, folder)
    script_path = write_atomically(folder / SCRIPT_NAME, text.encode("utf-8"))
    return script_path, data_folder
