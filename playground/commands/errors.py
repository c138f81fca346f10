"""The error for bad command-line usage: the command line prints it as one line, exit 2."""

from __future__ import annotations

from playground.core.errors import PlaygroundError


class UsageError(PlaygroundError):
    """Bad command-line usage."""
