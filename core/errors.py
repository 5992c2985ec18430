"""User-facing errors: each says which file or value is wrong and why, in one line."""

from __future__ import annotations

from pathlib import Path


class SongloomError(Exception):
    """An error a user can act on. ``str()`` is one line: ``WHAT: reason``.

    The CLI prints it as ``songloom-cli: error: <str>`` and exits 2; the desktop shows it
    in a message box. Anything that is not a SongloomError is a bug in Songloom.
    """

    def __init__(self, reason: str, path: str | Path | None = None):
        self.reason = " ".join(str(reason).split())  # keep it on one line
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {self.reason}" if self.path else self.reason)


class ProjectFileError(SongloomError):
    """A .songloom file that cannot be read or written."""


class MidiImportError(SongloomError):
    """A MIDI or KAR file that cannot be read."""


class ModelError(SongloomError):
    """Missing, corrupt or incompatible model weights."""


class AudioError(SongloomError):
    """SoundFont, audio device or audio file problems."""
