"""Class 3: disk. A render is checked against a length limit and the free space before a
byte is written; an interrupted render leaves nothing; a full disk says so."""

from __future__ import annotations

import json
import time

from hostile_harness import (
    assert_clean_error,
    assert_fast,
    assert_nothing_left,
    run_cli,
    snapshot,
)

from core.bench import hostile_files as hf


def _project(path, bpm: float, note_tick: int, duration: int = 480):
    doc = hf.project_doc(tempos=[{"tick": 0, "bpm": bpm}], lyrics={"sections": []},
                         tracks=[{"name": "Lead", "role": "melody", "program": 0,
                                  "notes": [[note_tick, duration, 60, 90]]}])
    path.write_bytes(hf.project_text(doc))
    return path


def test_a_478_byte_project_asking_for_530_gb_of_audio_is_refused(case_dir, soundfont):
    """1 BPM and a note at tick 24,000,000: 50,000 minutes of audio."""
    song = _project(case_dir / "long.songloom", bpm=1.0, note_tick=24_000_000)
    assert song.stat().st_size < 600
    before = snapshot(case_dir)
    out = run_cli("render", song, case_dir / "out.wav", "--soundfont", soundfont, cwd=case_dir)
    line = assert_clean_error(out, "too long")
    assert "hours" in line or "limit" in line
    assert_nothing_left(case_dir, before)


def test_ctrl_c_during_a_render_leaves_no_part_file(case_dir, soundfont):
    """KeyboardInterrupt is not an Exception: the .part used to stay, gigabytes of it."""
    song = _project(case_dir / "hour.songloom", bpm=60.0, note_tick=0, duration=480 * 6000)
    before = snapshot(case_dir)
    started = time.monotonic()
    # WAV streams to its .part from the first block, so the interrupt lands mid-render.
    # On an idle machine the render can still win the race and finish before the signal
    # is delivered ("wrote" on stdout): that attempt says nothing about Ctrl-C, so retry.
    for _attempt in range(3):
        out = run_cli("render", song, case_dir / "out.wav", "--soundfont", soundfont,
                      cwd=case_dir, interrupt_when=lambda: any(case_dir.glob(".*.part")))
        if "wrote" not in out.stdout:
            break
        for leftover in case_dir.glob("out.wav"):
            leftover.unlink()
    assert time.monotonic() - started < 60
    assert out.rc == 130, (out.rc, out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    assert out.error_lines == ["songloom-cli: error: interrupted"]
    assert_nothing_left(case_dir, before)


def test_a_render_larger_than_the_free_space_is_refused_before_writing(small_disk, case_dir,
                                                                       soundfont):
    song = _project(case_dir / "minute.songloom", bpm=60.0, note_tick=0, duration=480 * 60)
    before = snapshot(small_disk)
    out = run_cli("render", song, small_disk / "out.wav", "--soundfont", soundfont, cwd=case_dir)
    assert_clean_error(out, "free")
    assert_nothing_left(small_disk, before)


def test_a_full_disk_says_the_disk_is_full(small_disk, case_dir):
    """A project larger than the 1 MiB disk: ENOSPC mid-write, reported as a full disk."""
    notes = [[i * 10, 10, 60 + i % 12, 90] for i in range(60_000)]
    doc = hf.project_doc(tracks=[{"name": "Lead", "role": "melody", "notes": notes}])
    src = case_dir / "big.songloom"
    src.write_bytes(hf.project_text(doc))
    before = snapshot(small_disk)
    out = run_cli("convert", src, small_disk / "copy.songloom", cwd=case_dir)
    assert_clean_error(out, "disk is full", limit_s=4.0)
    assert_nothing_left(small_disk, before)


def test_render_json_reports_the_length_limit_it_checks(case_dir, soundfont):
    """The limit is documented where users see it: in render's help."""
    out = run_cli("render", "--help", cwd=case_dir)
    assert_fast(out)
    assert "hours" in out.stdout and out.rc == 0
    song = _project(case_dir / "ok.songloom", bpm=120.0, note_tick=0)
    out = run_cli("render", song, case_dir / "ok.wav", "--soundfont", soundfont, "--json",
                  cwd=case_dir)
    assert out.rc == 0, out.stderr
    assert json.loads(out.stdout)["duration_s"] > 0.4
