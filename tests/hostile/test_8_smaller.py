"""Class 8: refuse at write time what would be refused at read time; one-line errors even for
odd file names; no terminal escapes from files; long names; stale temporary files; and
FluidSynth's own stderr kept out of the error line."""

from __future__ import annotations

import os
import time

import pytest
from hostile_harness import (
    assert_clean_error,
    assert_fast,
    assert_nothing_left,
    run_cli,
    snapshot,
)

from core.bench import hostile_files as hf
from core.errors import SongloomError
from core.model.limits import MAX_NAME_CHARS, MAX_NOTES, MAX_TRACKS
from core.model.song import Note, Song, Track


def _save_and_reread(song: Song, path):
    from core.io.song_io import load_song, save_song

    save_song(song, path)
    return load_song(path)


@pytest.mark.parametrize("ext", [".mid", ".songloom", ".kar"])
@pytest.mark.parametrize("what", ["300 empty tracks", "a 30 MB title", "too many notes",
                                  "a surrogate title"])
def test_what_cannot_be_read_back_is_refused_at_write_time(case_dir, ext, what):
    from core.io.song_io import save_song

    if what == "300 empty tracks":
        song, needle = Song(tracks=[Track(f"t{i}") for i in range(300)]), "300 tracks"
    elif what == "a 30 MB title":
        song, needle = Song(title="x" * 30_000_000, tracks=[Track("a")]), "title"
    elif what == "too many notes":
        notes = [Note(i, 1, 60, 90) for i in range(MAX_NOTES + 1)]
        song, needle = Song(tracks=[Track("dense", notes=notes)]), "notes"
    else:
        song, needle = Song(title="A\ud800", tracks=[Track("a")]), "surrogate"
    started = time.process_time()
    with pytest.raises(SongloomError, match=needle):
        save_song(song, case_dir / f"out{ext}")
    assert time.process_time() - started < 4.0
    assert list(case_dir.iterdir()) == []


@pytest.mark.parametrize("ext", [".mid", ".songloom"])
def test_a_song_at_the_limits_is_written_and_read_back(case_dir, ext):
    song = Song(title="t" * MAX_NAME_CHARS,
                tracks=[Track(f"t{i}", channel=i % 16) for i in range(MAX_TRACKS)])
    song.tracks[0].notes = [Note(0, 480, 60, 90)]
    back = _save_and_reread(song, case_dir / f"limits{ext}")
    assert len(back.tracks) == MAX_TRACKS and back.title == song.title


def test_a_midi_file_whose_events_exceed_the_reader_cap_is_not_written(case_dir):
    """500,000 notes (the song limit) make 1,000,000 note events plus the set-up events:
    more than read_midi reads. (A project holds them.)"""
    from core.io.song_io import save_song

    notes = [Note(i * 2, 1, 60, 90) for i in range(MAX_NOTES)]
    with pytest.raises(SongloomError, match="events"):
        save_song(Song(tracks=[Track("dense", notes=notes)]), case_dir / "dense.mid")
    assert list(case_dir.iterdir()) == []


def test_a_newline_in_a_file_name_stays_on_one_line(case_dir):
    path = case_dir / "bad\nname.mid"
    path.write_bytes(b"not midi at all")
    line = assert_clean_error(run_cli("info", path, cwd=case_dir), "not a MIDI file")
    assert "bad\\nname.mid" in line
    missing = case_dir / "gone\r\nfile.songloom"
    assert_clean_error(run_cli("info", missing, cwd=case_dir), "no such file")


def test_terminal_escapes_in_track_names_are_shown_escaped(case_dir):
    evil = "\x1b]0;pwned\x07\x1b[31mRED\x1b[0m\x9b2J"
    doc = hf.project_doc(title=evil)
    doc["song"]["tracks"][0]["name"] = evil
    doc["song"]["lyrics"]["sections"][0]["lines"][0]["text"] = evil
    path = case_dir / "escape.songloom"
    path.write_bytes(hf.project_text(doc))
    out = run_cli("info", path, cwd=case_dir)
    assert_fast(out)
    assert out.rc == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "\x9b" not in out.stdout
    assert "\\x1b[31mRED" in out.stdout


def test_a_249_byte_output_name_works(case_dir, soundfont):
    src = case_dir / "s.songloom"
    src.write_bytes(hf.project_text())
    for ext in (".mid", ".songloom", ".wav"):
        name = "n" * (249 - len(ext)) + ext
        assert len(name.encode()) == 249
        if ext == ".wav":
            out = run_cli("render", src, case_dir / name, "--soundfont", soundfont, cwd=case_dir)
        else:
            out = run_cli("convert", src, case_dir / name, cwd=case_dir)
        assert out.rc == 0, out.stderr
        assert (case_dir / name).is_file()
    # saving over the .songloom again keeps a backup of 253 bytes: still legal
    out = run_cli("convert", src, case_dir / ("n" * 240 + ".songloom"), cwd=case_dir)
    assert out.rc == 0, out.stderr
    assert not [p for p in case_dir.iterdir() if p.name.endswith(".part")]


def test_stale_part_files_are_cleaned_when_the_folder_is_next_written(case_dir):
    """A SIGKILL during a save leaves a hidden .part; the next write into that folder
    (for any file) removes the stale ones, a fresh one (a save in progress) stays."""
    stale = [case_dir / ".other.songloom.k3j4h5g6.part", case_dir / ".x.wav.4242.part",
             case_dir / ".a.mid.abcdefgh.bak.part"]
    fresh = case_dir / ".busy.songloom.q1w2e3r4.part"
    for p in [*stale, fresh]:
        p.write_text("half")
    old = time.time() - 3600
    for p in stale:
        os.utime(p, (old, old))
    unrelated = case_dir / ".someone-elses.part"
    unrelated.write_text("not ours")
    os.utime(unrelated, (old, old))
    src = case_dir / "s.songloom"
    src.write_bytes(hf.project_text())
    assert run_cli("convert", src, case_dir / "new.mid", cwd=case_dir).rc == 0
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and unrelated.exists()


def test_stale_part_files_are_cleaned_at_app_start_up(tmp_path, monkeypatch):
    from core.io.atomic_write import clean_stale_temp_files

    folder = tmp_path / "songs"
    folder.mkdir()
    stale = folder / ".song.songloom.zz99yy88.part"
    stale.write_text("half a song")
    old = time.time() - 120
    os.utime(stale, (old, old))
    assert clean_stale_temp_files([folder], older_than_s=60) == 1
    assert not stale.exists()


def test_a_broken_soundfont_gives_one_line_without_glib_noise(case_dir):
    """A RIFF/sfbk header over garbage: FluidSynth's libinstpatch fallback prints a GLib
    CRITICAL line on stderr; it must not reach the user's terminal."""
    font = case_dir / "broken.sf2"
    good = hf.soundfont_bytes()
    font.write_bytes(good[:12] + os.urandom(len(good) - 12))
    src = case_dir / "s.songloom"
    src.write_bytes(hf.project_text())
    before = snapshot(case_dir)
    out = run_cli("render", src, case_dir / "o.wav", "--soundfont", font, cwd=case_dir)
    line = assert_clean_error(out, "SoundFont", "broken.sf2")
    assert "CRITICAL" not in out.stderr and "ipatch" not in line
    assert_nothing_left(case_dir, before)
