"""Class 2: memory. Sizes from a config are bounded; ``st_size`` is not trusted.

Every case runs under a 1 GiB address-space limit: before the fixes, ``z_dim`` 10**9
asked for 24 GB and a symlink to /dev/zero read until MemoryError.
"""

from __future__ import annotations

import json
import os

import pytest
from hostile_harness import assert_clean_error, assert_nothing_left, run_cli, snapshot

from core.bench import hostile_files as hf

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")


def test_a_huge_z_dim_is_refused_before_anything_is_allocated(tiny_music, case_dir):
    config = json.loads((tiny_music / "config.json").read_text())
    config["z_dim"] = 10**9
    (tiny_music / "config.json").write_text(json.dumps(config))
    out = run_cli("generate", "music", "--model", tiny_music, "--out", case_dir / "o.mid",
                  cwd=case_dir)
    assert_clean_error(out, "z_dim", "1000000000")
    assert not (case_dir / "o.mid").exists()


@pytest.mark.parametrize("name", ["zero.mid", "zero.songloom", "zero.kar"])
@pytest.mark.parametrize("command", [
    ("info", "{f}"),
    ("info", "--json", "{f}"),
    ("convert", "{f}", "{d}/out.songloom"),
    ("render", "{f}", "{d}/out.wav", "--soundfont", "{sf}"),
    ("generate", "music", "--from", "{f}", "--regenerate-track", "melody", "--out", "{d}/o.mid",
     "--model", "{model}"),
    ("score", "music", "{f}", "--model", "{model}"),
])
def test_a_symlink_to_dev_zero_is_refused_as_a_device(case_dir, soundfont, tiny_music, name,
                                                      command):
    link = case_dir / name
    link.symlink_to("/dev/zero")
    before = snapshot(case_dir)
    args = [a.format(f=link, d=case_dir, sf=soundfont, model=tiny_music) for a in command]
    line = assert_clean_error(run_cli(*args, cwd=case_dir), "device")
    assert name in line
    assert_nothing_left(case_dir, before)


def test_the_lyrics_melody_and_text_inputs_refuse_dev_zero(case_dir):
    (case_dir / "zero.mid").symlink_to("/dev/zero")
    (case_dir / "zero.txt").symlink_to("/dev/zero")
    out = run_cli("lyrics", "--melody", case_dir / "zero.mid", cwd=case_dir)
    assert_clean_error(out, "device")
    out = run_cli("score", "lyrics", case_dir / "zero.txt", cwd=case_dir)
    assert_clean_error(out, "device")


def test_a_folder_named_like_a_song_is_refused(case_dir):
    (case_dir / "song.mid").mkdir()
    assert_clean_error(run_cli("info", case_dir / "song.mid", cwd=case_dir), "folder")


def test_a_file_over_the_cap_is_refused_without_reading_it_all(case_dir):
    """A sparse 1 GiB file: st_size is honest here, but only the cap's bytes are read."""
    big = case_dir / "big.songloom"
    with open(big, "wb") as fh:
        fh.truncate(2**30)
    assert_clean_error(run_cli("info", big, cwd=case_dir), "too large")


def test_an_index_whose_array_claims_gigabytes_is_refused_before_it_is_read(tiny_music, case_dir):
    """The .npy header inside the originality index says 2**31 values; 64 KiB follow.
    numpy would allocate the 2 GB first; the declared size is checked against the data."""
    import zipfile

    import numpy as np

    path = tiny_music / "originality_index.npz"
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.int8))
    header["shape"] = (2**31,)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("intervals.npy", "w") as member:
            np.lib.format.write_array_header_1_0(member, header)
            member.write(bytes(2**16))
        with zf.open("songs.npy", "w") as member:
            np.lib.format.write_array(member, np.array([1]))
    song = case_dir / "s.songloom"
    song.write_bytes(hf.project_text())
    out = run_cli("score", "music", song, "--model", tiny_music, "--json", cwd=case_dir)
    assert out.rc == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert "claims more data" in json.loads(out.stdout)["originality_unavailable"]
