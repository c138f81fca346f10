"""Write a file so that it is either wholly new or untouched: temp file, fsync, os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playground.core.errors import ProjectError


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path`; on failure raise ProjectError and leave any old file as it was."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); an export is meant to be shared
        os.chmod(tmp, mode_of(path))
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise ProjectError(f"could not write {path}: {e.strerror or e}; "
                           "any previous file there is unchanged") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


def mode_of(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets rw-r--r--."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644
