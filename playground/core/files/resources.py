"""Where the files shipped with the application live."""

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, or in a bundle."""
    override = os.environ.get("PLAYGROUND_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller one-folder bundle
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates.append(Path(__file__).resolve().parents[3] / "resources")
    candidates.append(Path(sys.prefix) / "share" / "neural-network-playground" / "resources")
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]
