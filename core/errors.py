"""User-facing errors: each says which file or value is wrong and why, in one line."""

from __future__ import annotations

import re
from pathlib import Path

# C0/C1 controls (newlines, ESC starting terminal escape codes), Unicode line separators,
# and lone surrogates (from undecodable bytes in a file name).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def one_line(text: str) -> str:
    """``text`` safe to print as (part of) one line on a terminal: control characters,
    line separators and lone surrogates are shown escaped (``\\n``, ``\\x1b``), so a
    newline in a file name cannot split an error line and an escape code in a track name
    cannot reach the terminal."""
    return _UNSAFE.sub(_escape, text)


class SongloomError(Exception):
    """An error a user can act on. ``str()`` is one line: ``WHAT: reason``.

    The CLI prints it as ``songloom-cli: error: <str>`` and exits 2; the desktop shows it
    in a message box. Anything that is not a SongloomError is a bug in Songloom.
    """

    def __init__(self, reason: str, path: str | Path | None = None):
        self.reason = one_line(" ".join(str(reason).split()))  # keep it on one line
        self.path = None if path is None else one_line(str(path))
        super().__init__(f"{self.path}: {self.reason}" if self.path else self.reason)


class ProjectFileError(SongloomError):
    """A .songloom file that cannot be read or written."""


class MidiImportError(SongloomError):
    """A MIDI or KAR file that cannot be read."""


class ModelError(SongloomError):
    """Missing, corrupt or incompatible model weights."""


class AudioError(SongloomError):
    """SoundFont, audio device or audio file problems."""
