"""Export a project as a standalone training script with its data file beside it.

The script is `templates/train.py.txt` with one placeholder filled in: a JSON
blob of this project's data columns, network and training settings. All logic
lives in the template, which is ordinary, readable Python; nothing here writes
code. The script runs as `python train.py` and under `torchrun` (see its
docstring).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from playground import __version__
from playground.core.atomic_write import write_atomically
from playground.core.errors import ProjectError
from playground.core.resources import resources_dir

TEMPLATE = "train.py.txt"
PLACEHOLDER = "{{CONFIG_JSON}}"
SCRIPT_NAME = "train.py"
RESERVED = {SCRIPT_NAME, "metrics.json"}


def script_config(project, data_file: str, source: str = "") -> dict:
    """What the script needs to know: the columns, the network and the settings."""
    config = project.config
    if project.is_regression or any(f.is_one_hot for f in project.features):
        raise ProjectError("the training script reads numeric columns and trains a "
                           "classifier; this project's data has text columns or a "
                           "regression target, which the script does not handle yet. "
                           "Export the weights or ONNX instead.")
    unreadable = _script_cannot_read(project.dataset.get("import"))
    if unreadable:
        raise ProjectError(f"the training script reads comma-separated UTF-8 files and drops "
                           f"rows with a missing value; this project's data {unreadable}. "
                           "Export the weights or ONNX instead.")
    label = project.dataset.get("label")
    if not isinstance(label, str) or not label:
        raise ProjectError("the project does not name its label column, so a training "
                           "script cannot read the data")
    return {
        "exported_from": {"app": f"neural-network-playground {__version__}",
                          "project": source, "epochs_trained": project.epoch},
        "data": {"file": data_file, "label": label,
                 "features": [f.column for f in project.features],
                 "classes": list(project.class_names)},
        "network": project.spec.to_dict(),
        "training": {"optimizer": config.optimizer, "learning_rate": config.learning_rate,
                     "weight_decay": config.weight_decay, "batch_size": config.batch_size,
                     "epochs": config.epochs, "val_fraction": config.val_fraction,
                     "seed": config.seed, "patience": config.patience, "l1": config.l1},
    }


def _script_cannot_read(plan) -> str | None:
    """Why the script's plain CSV reader would misread an imported file, if it would."""
    if not isinstance(plan, dict):
        return None
    if plan.get("missing") == "fill":
        return "had its gaps filled"
    if plan.get("delimiter") not in (None, "", ","):
        return f"is separated by {plan['delimiter']!r}"
    if plan.get("decimal") not in (None, "", "."):
        return "writes decimal commas"
    if str(plan.get("encoding") or "utf-8").lower().replace("_", "-") not in (
            "utf-8", "utf-8-sig", "ascii"):
        return f"is encoded as {plan['encoding']}"
    return None


def render_script(config: dict) -> str:
    """The template with the config filled in as JSON inside a raw string literal."""
    template = resources.files("playground.core").joinpath("templates").joinpath(TEMPLATE)
    template = template.read_text(encoding="utf-8")
    if template.count(PLACEHOLDER) != 1:
        raise ProjectError(f"the script template is damaged (needs one {PLACEHOLDER})")
    blob = json.dumps(config, indent=4, ensure_ascii=True, allow_nan=False)
    # The blob sits in r'''...''': a quote in a class name must not end the literal.
    # "\u0027" is JSON for "'", and a raw string keeps the backslash for json.loads.
    blob = blob.replace("'", "\\u0027")
    return template.replace(PLACEHOLDER, blob)


def find_data_file(project, project_path: str | Path | None = None) -> Path:
    """The CSV the project was trained on, checked against its recorded checksum.

    Tried in turn: the recorded path; relative to the project file; for the
    built-in data set, the copy shipped with this installation.
    """
    identity = project.dataset
    recorded = identity.get("path")
    if not isinstance(recorded, str) or not recorded:
        raise ProjectError("the project does not say which data file it was trained on")
    candidates = [Path(recorded)]
    if project_path is not None and not Path(recorded).is_absolute():
        candidates.append(Path(project_path).resolve().parent / recorded)
    if identity.get("builtin"):
        candidates.append(resources_dir() / Path(recorded).name)
    expected = identity.get("sha256")
    changed = None
    for path in candidates:
        if not path.is_file():
            continue
        if not expected or _sha256(path) == expected:
            return path
        changed = changed or path
    if changed is not None:
        raise ProjectError(f"the data file {changed} has changed since the project was "
                           "trained on it (its checksum differs)")
    raise ProjectError(f"the data file the project was trained on is missing: {recorded}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_script(project, folder: str | Path,
                  project_path: str | Path | None = None) -> tuple[Path, Path]:
    """Write `train.py` and a copy of the data file into `folder` (created if needed)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder} is a file; the training script needs a folder")
    data = find_data_file(project, project_path)
    data_name = data.name if data.name not in RESERVED else "data.csv"
    source = Path(project_path).name if project_path is not None else ""
    text = render_script(script_config(project, data_name, source))
    try:
        data_bytes = data.read_bytes()
    except OSError as e:
        raise ProjectError(f"could not read the data file {data}: {e.strerror or e}") from None
    data_path = write_atomically(folder / data_name, data_bytes)
    script_path = write_atomically(folder / SCRIPT_NAME, text.encode("utf-8"))
    return script_path, data_path
