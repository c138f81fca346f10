"""The engine's own errors: each carries one message a person can act on."""


class PlaygroundError(ValueError):
    """A user's mistake or a bad file, reported as one clear sentence."""


class SpecError(PlaygroundError):
    """An invalid network spec or training config; the message names the field."""


class DataError(PlaygroundError):
    """A data set that cannot be loaded or used."""


class InputError(PlaygroundError):
    """An input vector that cannot be classified."""


class ProjectError(PlaygroundError):
    """A project file that cannot be read or written."""
