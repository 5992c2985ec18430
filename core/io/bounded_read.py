"""Reading a user's file whole, with a size limit and one-line errors naming the file."""

from __future__ import annotations

from pathlib import Path

from core.errors import SongloomError


def read_bounded_bytes(
    path: str | Path, *, max_bytes: int, error_cls: type[SongloomError], kind: str, too_large_for: str
) -> bytes:
    """The bytes of ``path``; a folder, a missing or unreadable file, or one over
    ``max_bytes`` (a hostile file must not fill memory) raises ``error_cls``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise error_cls(f"is a folder, not {kind}", path)
        if size > max_bytes:
            raise error_cls(f"too large for {too_large_for} ({size // 2**20} MiB)", path)
        return path.read_bytes()
    except FileNotFoundError:
        raise error_cls("no such file", path) from None
    except OSError as exc:
        raise error_cls(f"cannot read: {exc.strerror or exc}", path) from None
