"""`playground install-desktop [--remove]`: the desktop menu entry and icons for this
installation, in the user's $XDG_DATA_HOME (XDG Base Directory spec)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from playground.cli import UsageError
from playground.core.atomic_write import write_atomically
from playground.core.errors import PlaygroundError
from playground.core.resources import resources_dir
from playground.desktop_entry import APP_ID, ICON_SIZES, current_command, desktop_entry


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or empty (as the spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if not value:
        return Path.home() / ".local" / "share"
    if not os.path.isabs(value):
        # The spec says to ignore a relative path; refusing says why nothing appeared.
        raise UsageError(f"XDG_DATA_HOME must be an absolute path, not {value!r}")
    return Path(value)


def installed_files(home: Path) -> dict[Path, Path | None]:
    """Where each file goes, and the shipped file it copies (None: the entry itself)."""
    icons = resources_dir() / "icons"
    hicolor = home / "icons" / "hicolor"
    files: dict[Path, Path | None] = {home / "applications" / f"{APP_ID}.desktop": None}
    for size in ICON_SIZES:
        files[hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = (
            icons / f"playground-{size}.png")
    files[hicolor / "scalable" / "apps" / f"{APP_ID}.svg"] = icons / "playground.svg"
    return files


def run_install_desktop(args) -> int:
    home = data_home()
    files = installed_files(home)
    if args.remove:
        return _remove(home, files)
    missing = [str(src) for src in files.values() if src is not None and not src.is_file()]
    if missing:
        raise PlaygroundError(f"the application's icon {missing[0]} is missing; "
                              "reinstall the playground")
    command = current_command()
    for target, source in files.items():
        data = desktop_entry(command).encode() if source is None else source.read_bytes()
        try:
            write_atomically(target, data)
        except PlaygroundError:
            raise PlaygroundError(f"cannot write {target}: check that {home} is a "
                                  "folder you can write to") from None
    # No cache to refresh: desktops watch applications/, and the entry has no MimeType
    # for update-desktop-database to index.
    print(f"Installed {home / 'applications' / f'{APP_ID}.desktop'} and "
          f"{len(files) - 1} icons under {home / 'icons' / 'hicolor'}")
    print(f"The menu entry runs: {shlex.join(command)}")
    print(f"Undo with: {shlex.join(command)} install-desktop --remove")
    return 0


def _remove(home: Path, files: dict[Path, Path | None]) -> int:
    removed = 0
    for target in files:
        try:
            target.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        except OSError as e:
            raise PlaygroundError(f"cannot remove {target}: {e.strerror}") from None
    if removed:
        print(f"Removed the menu entry and icons from {home} ({removed} files)")
    else:
        print(f"Nothing to remove: no playground menu entry in {home}")
    return 0

