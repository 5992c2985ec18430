""".songloom project files: exact round trip, clear errors, atomic saves, autosave."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from song_strategies import any_songs

from core.demo import starter_song
from core.errors import ProjectFileError
from core.io.project_file import (
    autosave,
    discard_autosave,
    list_recoverable,
    load_project,
    save_project,
)
from core.model.song import Note, TempoChange

ROOT = Path(__file__).resolve().parents[2]


@settings(max_examples=80, deadline=None)
@given(any_songs())
def test_song_to_project_file_and_back_is_exact(song):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "song.songloom"
        save_project(song, path)
        assert load_project(path) == song


def test_file_is_readable_versioned_utf8_json(tmp_path):
    song = starter_song()
    song.title = "Straße nach Köln"
    save_project(song, tmp_path / "a.songloom")
    raw = (tmp_path / "a.songloom").read_bytes()
    doc = json.loads(raw.decode("utf-8"))
    assert doc["format"] == "songloom" and doc["version"] == 1
    assert "Straße nach Köln".encode() in raw  # not \u-escaped: people may diff these files


def test_previous_version_is_kept_as_bak(tmp_path):
    path = tmp_path / "a.songloom"
    first, second = starter_song(), starter_song()
    second.title = "Second take"
    save_project(first, path)
    save_project(second, path)
    assert load_project(path).title == "Second take"
    assert load_project(tmp_path / "a.songloom.bak").title == first.title
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.songloom", "a.songloom.bak"]


def _broken(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "broken.songloom"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _valid_doc() -> dict:
    from core.io.project_file import project_bytes

    return json.loads(project_bytes(starter_song()))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (lambda: b"", "empty"),
        (lambda: json.dumps(_valid_doc())[:300], "cut short"),
        (lambda: json.dumps(_valid_doc()).replace('"tracks": [', '"tracks": [,'), "broken JSON at line 1"),
        (lambda: json.dumps({**_valid_doc(), "version": 7}), "newer Songloom (format version 7"),
        (lambda: json.dumps({"name": "my playlist"}), "not a Songloom project"),
        (lambda: b"MThd\x00\x00\x00\x06\x00\x01", "not a Songloom project"),
        (lambda: b"\xff\xfe\x00garbage", "not UTF-8"),
        (lambda: json.dumps({**_valid_doc(), "version": "1"}), "bad format version '1'"),
        (lambda: json.dumps(_valid_doc()).replace('[0, 450, 67, 96]', '[0, 450, "67", 96]'),
         "song.tracks[0].notes[0] pitch: expected a whole number, got text"),
        (lambda: json.dumps(_valid_doc()).replace('"mode": "major"', '"mode": "dorian"'),
         "song.mode: 'dorian' is not one of major, minor"),
        (lambda: json.dumps(_valid_doc()).replace('"bpm": 96.0', '"bpm": -5'), "song.tempos[0].bpm: -5"),
        (lambda: json.dumps(_valid_doc()).replace('"channel": 0', '"channel": 16'), "channel: 16 is out of range"),
        (lambda: json.dumps({k: v for k, v in _valid_doc().items() if k != "song"}), "missing field 'song'"),
    ],
)
def test_bad_project_files_name_the_file_and_the_problem(tmp_path, content, expected):
    path = _broken(tmp_path, content())
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert str(info.value).startswith(f"{path}: ")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_and_folder_are_errors(tmp_path):
    with pytest.raises(ProjectFileError, match="no such file"):
        load_project(tmp_path / "nope.songloom")
    with pytest.raises(ProjectFileError, match="folder"):
        load_project(tmp_path)


def test_a_failed_save_never_touches_the_original(tmp_path):
    path = tmp_path / "a.songloom"
    save_project(starter_song(), path)
    before = path.read_bytes()
    bad = starter_song()
    bad.tracks[0].notes.append(Note(0, 480, 300))
    with pytest.raises(ProjectFileError, match="pitch: 300 is out of range"):
        save_project(bad, path)
    nan = starter_song()
    nan.tempos = [TempoChange(0, float("nan"))]
    with pytest.raises(ProjectFileError, match="cannot be saved"):
        save_project(nan, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.songloom"]


def test_a_disk_error_midway_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "a.songloom"
    save_project(starter_song(), path)
    before = path.read_bytes()

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ProjectFileError, match="the disk is full"):
        save_project(starter_song(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.songloom"]


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ProjectFileError, match="does not exist"):
        save_project(starter_song(), tmp_path / "no" / "such" / "a.songloom")


# The child saves two big songs in turn, forever. It calls the same atomic writer that
# save_project uses with pre-encoded documents, so nearly all its time is spent writing
# files and a random kill usually lands in the middle of one.
_SAVER = textwrap.dedent(
    """
    import sys
    from core.io.atomic_write import atomic_write_bytes
    from core.demo import starter_song
    from core.errors import ProjectFileError
    from core.io.project_file import project_bytes, save_project
    from core.model.song import Note
    docs = []
    for title, pitch in (("A", 60), ("B", 62)):
        song = starter_song()
        song.title = title
        song.tracks[0].notes = [Note(i * 10, 10, pitch) for i in range(NOTES)]
        docs.append(project_bytes(song))
    save_project(song, sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        atomic_write_bytes(sys.argv[1], docs[i % 2], backup=True, error_cls=ProjectFileError)
        i += 1
    """
)
NOTES = 20_000


def test_killing_a_save_midway_leaves_the_old_or_the_new_file_never_a_broken_one(tmp_path):
    path = tmp_path / "song.songloom"
    rng = random.Random(7)
    interrupted = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", _SAVER.replace("NOTES", str(NOTES)), str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.02, 0.4))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        song = load_project(path)  # never raises: old or new, complete
        assert (song.title, len(song.tracks[0].notes)) in (("A", NOTES), ("B", NOTES))
        backup = tmp_path / "song.songloom.bak"  # exists once a save replaced a file
        assert not backup.exists() or load_project(backup).title in ("A", "B")
        leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
        interrupted += bool(leftovers)
        for p in leftovers:
            p.unlink()
    # About half the kills land mid-write here (the rest in fsync of the folder); none
    # would mean this test no longer tests anything (odds of that by chance: < 1/1000).
    assert interrupted >= 1, "no kill landed while a file was being written"


def test_autosave_and_recovery_after_a_crash(tmp_path):
    first, second = starter_song(), starter_song()
    second.title = "Untitled idea"
    a = autosave(first, str(tmp_path / "winding.songloom"), source_path=tmp_path / "winding.songloom")
    time.sleep(0.01)
    b = autosave(second, "untitled-1")
    assert a.parent == b.parent and a != b
    entries = list_recoverable()
    assert [(e.title, e.key) for e in entries] == [("Untitled idea", "untitled-1"),
                                                  (first.title, str(tmp_path / "winding.songloom"))]
    assert entries[1].source_path == str(tmp_path / "winding.songloom")
    assert load_project(entries[0].path) == second
    # a damaged autosave file is skipped, not fatal
    (a.parent / "junk.songloom").write_text("{ not json")
    assert len(list_recoverable()) == 2
    discard_autosave("untitled-1")
    assert [e.key for e in list_recoverable()] == [str(tmp_path / "winding.songloom")]
    discard_autosave("never-saved")  # no error


def test_autosave_goes_to_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SONGLOOM_DATA_DIR", str(tmp_path / "data"))
    path = autosave(starter_song(), "k")
    assert path.parent == tmp_path / "data" / "autosave"


def test_old_temporary_files_from_a_crash_are_cleaned_up_on_the_next_save(tmp_path):
    path = tmp_path / "a.songloom"
    stale, fresh = tmp_path / ".a.songloom.x1y2.part", tmp_path / ".a.songloom.z3.part"
    stale.write_text("half a file")
    fresh.write_text("another save, right now")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    save_project(starter_song(), path)
    assert not stale.exists() and fresh.exists()


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=10,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from _paths(v, (*prefix, i))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_hand_edited_files_give_a_song_or_a_project_file_error_only(data):
    """Replace any part of a valid file with any JSON value: never another exception."""
    doc = _valid_doc()
    where = data.draw(st.sampled_from(list(_paths(doc))[1:]))
    node = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = data.draw(_json_values)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edited.songloom"
        path.write_text(json.dumps(doc))
        try:
            load_project(path)
        except ProjectFileError as exc:
            assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
