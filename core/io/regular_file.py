"""Opening a user's file safely: regular files only, and never more bytes than a cap.

Why this exists: ``st_size`` is not a bound. A symlink to ``/dev/zero`` reports size 0
and reads forever; opening a FIFO named ``song.mid`` blocks until someone writes to it;
a folder or a device is never a song. So every file Songloom reads from a user or a
model folder goes through here: the kind of file is checked *before* it is opened (the
path is stat'ed, following symlinks), it is opened non-blocking (a FIFO swapped in after
the check still cannot block the open), checked again on the open descriptor, and read
up to ``max_bytes + 1`` bytes whatever the file claims. Each problem is one error naming
the file: a missing file, a broken or looping symlink, a pipe, a device, a folder, a
file over the cap.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from core.errors import SongloomError

_CHUNK = 1 << 20


def _kind_of(mode: int, kind: str) -> str | None:
    """Why a file of this ``st_mode`` is refused, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"is a folder, not {kind}"
    if stat.S_ISFIFO(mode):
        return f"is a pipe (FIFO), not {kind}"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"is a device, not {kind}"
    if stat.S_ISSOCK(mode):
        return f"is a socket, not {kind}"
    return f"is not a regular file, so not {kind}"


def _stat_error(path: Path, exc: OSError, error_cls: type[SongloomError]) -> SongloomError:
    if exc.errno == errno.ELOOP:
        return error_cls("a symbolic link loop (the link points back to itself)", path)
    if isinstance(exc, FileNotFoundError):
        if os.path.lexists(path):
            return error_cls("a broken symbolic link (what it points to does not exist)", path)
        return error_cls("no such file", path)
    return error_cls(f"cannot read: {exc.strerror or exc}", path)


def check_regular(path: str | Path, *, error_cls: type[SongloomError], kind: str) -> os.stat_result:
    """``stat`` of ``path`` (symlinks followed) when it is a regular file; else ``error_cls``.

    Never opens the file, so it cannot block on a FIFO."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _stat_error(path, exc, error_cls) from None
    except ValueError:  # e.g. a NUL byte in the name
        raise error_cls("not a valid file name", path) from None
    why = _kind_of(st.st_mode, kind)
    if why:
        raise error_cls(why, path)
    return st


def open_regular(path: str | Path, *, error_cls: type[SongloomError], kind: str) -> int:
    """A read-only descriptor of the regular file ``path`` (the caller closes it)."""
    path = Path(path)
    check_regular(path, error_cls=error_cls, kind=kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _stat_error(path, exc, error_cls) from None
    try:
        why = _kind_of(os.fstat(fd).st_mode, kind)  # swapped for a FIFO after the check?
        if why:
            raise error_cls(why, path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(
    path: str | Path,
    *,
    max_bytes: int,
    error_cls: type[SongloomError],
    kind: str,
    too_large_for: str,
) -> bytes:
    """The whole content of the regular file ``path``, at most ``max_bytes`` of it."""
    path = Path(path)
    fd = open_regular(path, error_cls=error_cls, kind=kind)
    try:
        parts, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise error_cls(f"cannot read: {exc.strerror or exc}", path) from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise error_cls(f"too large for {too_large_for} (more than {_size(max_bytes)})", path)
    return b"".join(parts)


def read_text_lines(
    path: str | Path,
    *,
    max_bytes: int,
    error_cls: type[SongloomError],
    clean,
    keep,
) -> list[str]:
    """The lines of a songwriter's UTF-8 text file (a BOM is allowed), each passed through
    ``clean`` and kept where ``keep`` says so; one clear error when it is not UTF-8 or no
    line is kept."""
    raw = read_regular(path, max_bytes=max_bytes, error_cls=error_cls,
                       kind="a text file", too_large_for="a lyrics text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error_cls(
            f"not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again", path
        ) from None
    lines = [line for line in map(clean, text.splitlines()) if keep(line)]
    if not lines:
        raise error_cls("no lines of text in this file", path)
    return lines


def _size(n: int) -> str:
    if n >= 2**30:
        return f"{n / 2**30:g} GiB"
    if n >= 2**20:
        return f"{n / 2**20:g} MiB"
    if n >= 2**10:
        return f"{n / 2**10:g} KiB"
    return f"{n} bytes"
