"""The one way to write a file or a folder so that a crash leaves the old one or the new
one (core/io/atomic_write.py): by bytes, by a library that writes a file name, by folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import SongloomError
from core.io.atomic_write import (
    atomic_dir,
    atomic_path,
    atomic_write_json,
    atomic_write_npz,
    atomic_write_text,
)


def test_a_library_writes_a_temporary_file_that_replaces_the_target(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with atomic_path(target, mode=0o640) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".out.bin.")
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"  # nobody sees the new one half-written
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    for error in (ValueError("half-way"), KeyboardInterrupt()):
        with pytest.raises(type(error)):
            with atomic_path(target) as tmp:
                tmp.write_bytes(b"half")
                raise error
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]
    with pytest.raises(SongloomError, match="does not exist"):
        with atomic_path(tmp_path / "no-folder" / "x.bin"):
            pass


def test_text_json_and_npz(tmp_path):
    atomic_write_text(tmp_path / "a.md", "é\n")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "é\n"
    atomic_write_json(tmp_path / "a.json", {"x": [1, 2]}, indent=1)
    assert json.loads((tmp_path / "a.json").read_text()) == {"x": [1, 2]}
    atomic_write_npz(tmp_path / "a.npz", compressed=True, v=np.arange(3))
    assert np.load(tmp_path / "a.npz")["v"].tolist() == [0, 1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.md", "a.npz"]


def test_a_folder_is_replaced_whole_or_not_at_all(tmp_path):
    dest = tmp_path / "model"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_dir(dest) as tmp:
            (tmp / "new.txt").write_text("new")
            raise RuntimeError("export failed")
    assert [p.name for p in dest.iterdir()] == ["old.txt"]
    with atomic_dir(dest) as tmp:
        (tmp / "new.txt").write_text("new")
        assert (dest / "old.txt").exists()  # the old folder stays until the new one is done
    assert [p.name for p in dest.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
