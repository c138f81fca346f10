"""Machine-readable output of the commands (`--json`)."""

from __future__ import annotations

import json


def print_json(obj: dict) -> None:
    """One JSON object on one line: the last line of stdout, for scripts to parse."""
    print(json.dumps(obj))
