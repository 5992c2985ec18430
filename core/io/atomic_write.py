"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

The bytes go to a temporary file in the target's own folder (so ``os.replace`` stays on
one file system and is atomic), are flushed and fsynced, then replace the target; the
folder is fsynced too so the rename itself survives a power cut. With ``backup=True``
the previous version is kept as ``<name>.bak`` (a hard link to the old data, made before
the swap, so the target never disappears, not even for an instant).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from core.errors import SongloomError

TEMP_SUFFIX = ".part"
# mkstemp creates 0600 files; new files should get the usual permissions instead. The
# umask can only be read by setting it, so do that once, at import (single-threaded).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def backup_path(path: str | Path) -> Path:
    """``<name>.bak``; for a name of more than 251 bytes, the name is cut to fit the
    255 bytes a file name may have (the save itself must not fail for a legal name)."""
    path = Path(path)
    raw = path.name.encode("utf-8", "surrogateescape")
    name = raw[:NAME_MAX_BYTES - 4].decode("utf-8", "ignore") if len(raw) > NAME_MAX_BYTES - 4 \
        else path.name
    return path.with_name(name + ".bak")


def _fsync_dir(folder: Path) -> None:
    # Not possible on Windows (and some network file systems); the rename is still atomic.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Make ``path.bak`` hold the current contents of ``path``, atomically."""
    bak = backup_path(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".bak" + TEMP_SUFFIX,
                               dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        try:
            os.link(path, tmp)  # cheap: no copy; the old inode lives on as the backup
        except OSError:
            shutil.copy2(path, tmp)  # file systems without hard links
        os.replace(tmp, bak)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# File names may be 255 bytes; ".<name>.<8 random>.bak.part" adds up to 19. A longer
# target name is shortened in its temporary files (never in the file itself).
NAME_MAX_BYTES = 255
_TEMP_EXTRA = 20
# What our temporary files look like: ".<name>.<mkstemp's 8 characters>[.bak].part" and
# the renderer's ".<name>.<pid>.part". Only these are ever cleaned up.
_OURS = re.compile(r"^\..+\.(?:[a-z0-9_]{1,16}(?:\.bak)?|\d{1,10})" + re.escape(TEMP_SUFFIX) + "$")
STALE_AFTER_S = 600.0


def temp_prefix(path: str | Path) -> str:
    """``.<name>.`` for a target's temporary files, the name cut (at a character
    boundary) so the temporary name stays within the file system's 255 bytes."""
    name = Path(path).name
    budget = NAME_MAX_BYTES - _TEMP_EXTRA - 2
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) > budget:
        name = raw[:budget].decode("utf-8", "ignore")
    return f".{name}."


def is_our_temp_file(name: str) -> bool:
    return bool(_OURS.match(name))


def _stale(entry: os.DirEntry | Path, cutoff: float) -> bool:
    try:
        st = entry.stat(follow_symlinks=False) if isinstance(entry, os.DirEntry) else entry.lstat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff


def clean_stale_temp_files(folders, older_than_s: float = STALE_AFTER_S) -> int:
    """Remove the temporary files a crash (a SIGKILL, a power cut) left in ``folders``:
    hidden, so nobody would see them otherwise, and possibly gigabytes (a render). Only
    files named like ours and older than ``older_than_s`` (a recent one may belong to a
    save in progress). Returns how many were removed; unreadable folders are skipped."""
    cutoff = time.time() - older_than_s
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_our_temp_file(entry.name) and _stale(entry, cutoff):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def write_error_reason(exc: OSError, folder: Path) -> str:
    """The one-line reason a write failed; a full disk says so, with what is free."""
    if disk_full(exc):
        try:
            free = shutil.disk_usage(folder).free
            return f"the disk is full ({free / 2**20:.1f} MiB free)"
        except OSError:
            return "the disk is full"
    return f"cannot write: {exc.strerror or exc}"


@contextlib.contextmanager
def atomic_path(
    path: str | Path,
    *,
    backup: bool = False,
    mode: int | None = None,
    error_cls: type[SongloomError] = SongloomError,
) -> Iterator[Path]:
    """A temporary file beside ``path`` for code that writes by file name or streams
    (soundfile, a renderer): when the block ends without an exception the file is
    fsynced and replaces ``path`` atomically; otherwise it is removed and the exception
    goes on. ``mode``: the new file's permissions (default: the old file's, or the usual
    ones for a new file). Errors of the swap itself become ``error_cls`` naming the file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise error_cls("is a folder, not a file", path)
    if not folder.is_dir():
        raise error_cls(f"folder {str(folder)!r} does not exist", path)
    tmp = None
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
            os.close(fd)
            if mode is None:
                try:
                    mode = path.stat().st_mode & 0o777
                except OSError:
                    mode = 0o666 & ~_UMASK
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode)
        except OSError as exc:
            raise error_cls(write_error_reason(exc, folder), path) from None
        yield Path(tmp)
        try:
            fd = os.open(tmp, os.O_RDWR)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            if backup and path.is_file():
                _keep_backup(path)
            os.replace(tmp, path)
            tmp = None
            _fsync_dir(folder)
            clean_stale_temp_files([folder])  # any target's, left by a crash
        except OSError as exc:
            raise error_cls(write_error_reason(exc, folder), path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write_bytes(
    path: str | Path,
    data: bytes,
    *,
    backup: bool = False,
    mode: int | None = None,
    error_cls: type[SongloomError] = SongloomError,
) -> Path:
    """Write ``data`` to ``path`` atomically; errors become ``error_cls`` naming the file."""
    path = Path(path)
    with atomic_path(path, backup=backup, mode=mode, error_cls=error_cls) as tmp:
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise error_cls(write_error_reason(exc, tmp.parent), path) from None
    return path


def atomic_write_text(path: str | Path, text: str, **kwargs) -> Path:
    """``atomic_write_bytes`` of UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"), **kwargs)


def atomic_write_json(path: str | Path, obj, *, indent: int | None = None,
                      separators: tuple[str, str] | None = None, **kwargs) -> Path:
    """``obj`` as JSON (UTF-8), written atomically."""
    import json

    return atomic_write_text(path, json.dumps(obj, indent=indent, separators=separators),
                             **kwargs)


def atomic_write_npz(path: str | Path, *, compressed: bool = False, **arrays) -> Path:
    """numpy arrays as an .npz archive, written atomically (numpy would append ".npz" to a
    temporary name, so the archive is built in memory: indexes and caches are small)."""
    import io

    import numpy as np

    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return atomic_write_bytes(path, buf.getvalue())


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """A fresh temporary folder beside ``path`` to fill (a model export, a checkpoint
    mirror); when the block ends without an exception it takes ``path``'s place: the old
    folder is moved aside first and removed after, so ``path`` is missing only between
    two renames, never half-written. On an exception the temporary folder is removed."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = path.with_name(f".{path.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        os.replace(path, old)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    shutil.rmtree(old, ignore_errors=True)
