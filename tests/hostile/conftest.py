"""Fixtures for the hostile-input suite: small valid files to break, and a tiny full disk."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from core.bench import hostile_files as hf


@pytest.fixture
def case_dir(tmp_path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    return folder


@pytest.fixture
def tiny_gpt2(tmp_path) -> Path:
    folder = hf.write_tiny_gpt2(tmp_path / "tiny-gpt2")
    hf.write_corpus_index(folder)
    return folder


@pytest.fixture
def tiny_music(tmp_path) -> Path:
    folder = hf.write_tiny_music_model(tmp_path / "tiny-music")
    hf.write_originality_index(folder)
    return folder


@pytest.fixture
def soundfont(tmp_path) -> Path:
    path = tmp_path / "tiny.sf2"
    path.write_bytes(hf.soundfont_bytes())
    return path


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 1 MiB file system (a tmpfs); skipped where mounting is not allowed."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
