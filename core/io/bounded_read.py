"""Reading a user's file whole, with a size limit and one-line errors naming the file."""

from __future__ import annotations

from pathlib import Path

from core.errors import SongloomError
from core.io.regular_file import read_regular


def read_bounded_bytes(
    path: str | Path, *, max_bytes: int, error_cls: type[SongloomError], kind: str, too_large_for: str
) -> bytes:
    """The bytes of ``path``; a missing file, a folder, a FIFO, a device (a symlink to
    /dev/zero reports size 0), an unreadable file, or more than ``max_bytes`` bytes (a
    hostile file must not fill memory) raises ``error_cls``. See core/io/regular_file.py:
    the kind of file is checked before it is opened and at most the cap is read."""
    return read_regular(Path(path), max_bytes=max_bytes, error_cls=error_cls, kind=kind,
                        too_large_for=too_large_for)
