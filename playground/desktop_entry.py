"""The desktop menu entry: its id, its keys, and an Exec line for this installation.

packaging/ holds the same entry as a file for distribution packages (Exec=playground);
`playground install-desktop` writes this one, whose Exec runs the installation the
command was run from. A test keeps the two the same apart from Exec and TryExec.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

APP_ID = "io.github.nnplayground.Playground"  # reverse DNS: desktop file, icon, AppStream id
# Project files (.pgproj), as resources/mime/<APP_ID>.xml declares them.
PROJECT_MIME_TYPE = "application/vnd.nnplayground.project+zip"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

ENTRY_KEYS = {  # in the order they are written
    "Type": "Application",
    "Name": "Neural Network Playground",
    "GenericName": "Neural Network Trainer",
    "Comment": "Design a neural network, watch it learn and classify penguins",
    "Exec": "playground %f",
    "TryExec": "playground",
    "Icon": APP_ID,
    "Terminal": "false",
    "StartupNotify": "true",
    # One main category (Education): two would list the app twice in some menus.
    "Categories": "Education;ArtificialIntelligence;",
    "Keywords": "neural;network;machine learning;deep learning;PyTorch;penguins;",
    "MimeType": f"{PROJECT_MIME_TYPE};",
}

# The Desktop Entry spec: an argument holding any of these is quoted with double
# quotes, and inside the quotes these four take a backslash.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = {'"', "`", "$", "\\"}


def quote_exec_argument(arg: str) -> str:
    """One argument of an Exec line, quoted as the Desktop Entry spec asks."""
    if arg and not (_RESERVED & set(arg)):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + c if c in _ESCAPED_IN_QUOTES else c for c in arg) + '"'
    # Then the value is a string value of the key file: its backslashes are doubled,
    # and a literal % is %% (field codes such as %f start with one).
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def current_command() -> list[str]:
    """The command line that starts this installation of the playground."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable
        return [str(Path(sys.executable).resolve())]
    launched = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if launched is not None and launched.name == "playground" and launched.is_file():
        return [str(launched.resolve())]
    beside = Path(sys.executable).with_name("playground")  # the script in this venv
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("playground")
    if found:
        return [str(Path(found).resolve())]
    # `python -m playground` from a checkout without the script installed
    return [str(Path(sys.executable).resolve()), "-m", "playground"]


def desktop_entry(command: list[str] | None = None) -> str:
    """The .desktop file's text, with Exec (and TryExec) running `command`."""
    command = current_command() if command is None else command
    keys = dict(ENTRY_KEYS)
    keys["Exec"] = " ".join(quote_exec_argument(a) for a in command) + " %f"
    keys["TryExec"] = command[0].replace("\\", "\\\\")
    return "[Desktop Entry]\n" + "".join(f"{k}={v}\n" for k, v in keys.items())
