"""`playground install-desktop [--remove]`: the desktop menu entry, icons and project
file type for this installation, in the user's $XDG_DATA_HOME (XDG Base Directory
spec)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from playground.commands.errors import UsageError
from playground.core.errors import PlaygroundError
from playground.core.files.atomic_write import write_atomically
from playground.core.files.resources import resources_dir
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
    # The project file type: .pgproj files then open in the playground, with its icon.
    files[home / "mime" / "packages" / f"{APP_ID}.xml"] = (
        resources_dir() / "mime" / f"{APP_ID}.xml")
    return files


def run_install_desktop(args) -> int:
    home = data_home()
    files = installed_files(home)
    if args.remove:
        return _remove(home, files)
    missing = [str(src) for src in files.values() if src is not None and not src.is_file()]
    if missing:
        raise PlaygroundError(f"the application's file {missing[0]} is missing; "
                              "reinstall the playground")
    command = current_command()
    for target, source in files.items():
        data = desktop_entry(command).encode() if source is None else source.read_bytes()
        try:
            write_atomically(target, data)
        except PlaygroundError:
            raise PlaygroundError(f"cannot write {target}: check that {home} is a "
                                  "folder you can write to") from None
    print(f"Installed {home / 'applications' / f'{APP_ID}.desktop'}, "
          f"{len(ICON_SIZES) + 1} icons under {home / 'icons' / 'hicolor'} and the project file "
          f"type (.pgproj) under {home / 'mime'}")
    _refresh_caches(home)
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
        print(f"Removed the menu entry, icons and project file type from {home} "
              f"({removed} files)")
        _refresh_caches(home)
    else:
        print(f"Nothing to remove: no playground menu entry in {home}")
    return 0


def _refresh_caches(home: Path) -> None:
    """Re-index the file types and which application opens them, as the shared-mime-info
    and desktop-entry specs ask after a change. A missing or failing tool is a note, not
    an error: the menu entry works without either. Without update-desktop-database the
    desktop reads MimeType= from the entry itself; without update-mime-database it does
    not know .pgproj files until the tool runs (package shared-mime-info)."""
    for tool, folder in (("update-mime-database", home / "mime"),
                         ("update-desktop-database", home / "applications")):
        if not folder.is_dir():
            continue
        if shutil.which(tool) is None:
            if tool == "update-mime-database":
                print(f"note: {tool} is not installed, so the desktop does not know .pgproj "
                      f"files yet: install shared-mime-info, then run {tool} {folder}")
            continue
        try:
            done = subprocess.run([tool, str(folder)], capture_output=True, text=True,
                                  errors="replace", timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"note: {tool} did not run ({e}); the desktop may need a new login to "
                  "see the change")
            continue
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"note: {tool} failed ({reason}); the desktop may need a new login to "
                  "see the change")
