"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half.

The bytes go to a temporary file in the target's own folder (so ``os.replace`` stays on
one file system and is atomic), are flushed and fsynced, then replace the target; the
folder is fsynced too so the rename itself survives a power cut. With ``backup=True``
the previous version is kept as ``<name>.bak`` (a hard link to the old data, made before
the swap, so the target never disappears, not even for an instant).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from pathlib import Path

from core.errors import SongloomError

TEMP_SUFFIX = ".part"
# mkstemp creates 0600 files; new files should get the usual permissions instead. The
# umask can only be read by setting it, so do that once, at import (single-threaded).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def backup_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".bak")


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak" + TEMP_SUFFIX, dir=path.parent)
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


def _remove_stale_temp_files(path: Path, older_than_s: float = 600.0) -> None:
    """Temporary files a crash left behind for this target (hidden, so nobody sees them
    otherwise). Only old ones: a recent one may belong to another save in progress."""
    cutoff = time.time() - older_than_s
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < cutoff:
                stale.unlink()


def atomic_write_bytes(
    path: str | Path,
    data: bytes,
    *,
    backup: bool = False,
    error_cls: type[SongloomError] = SongloomError,
) -> Path:
    """Write ``data`` to ``path`` atomically; errors become ``error_cls`` naming the file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise error_cls("is a folder, not a file", path)
    if not folder.is_dir():
        raise error_cls(f"folder {str(folder)!r} does not exist", path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=folder)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o666 & ~_UMASK
        with contextlib.suppress(OSError):
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.is_file():
            _keep_backup(path)
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(folder)
        _remove_stale_temp_files(path)
    except OSError as exc:
        raise error_cls(f"cannot write: {exc.strerror or exc}", path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path
