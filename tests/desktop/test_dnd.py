"""Dragging MIDI into a DAW: a fresh, readable .mid in the exports folder, handed over as a
file URL with CopyAction; per-track handles; clipboard; old exports cleaned at start-up."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDrag, QGuiApplication

from core import paths
from core.io.midi_io import read_midi
from core.model.song import (
    LyricLine,
    Lyrics,
    LyricSection,
    Note,
    Song,
    Syllable,
    TempoChange,
    TimeSignature,
    Track,
)
from desktop import dnd


def song() -> Song:
    lead = Track("Lead Vox", role="melody", program=73,
                 notes=[Note(0, 480, 67, 100), Note(480, 480, 69, 80)])
    bass = Track("Bass", role="bass", program=33, channel=1, notes=[Note(0, 960, 43, 90)])
    lyrics = Lyrics([LyricSection("verse", [LyricLine("hel-lo", [
        Syllable("hel", 0, False), Syllable("lo", 480, True)])])])
    return Song(title="Night Drive", tempos=[TempoChange(0, 93.0)],
                time_signature=TimeSignature(3, 4), tracks=[lead, bass], lyrics=lyrics)


class RecordingDrag(QDrag):
    """The OS drag loop needs a real desktop; record what would be handed to the DAW."""

    last = None

    def exec(self, supported, default=Qt.IgnoreAction):  # noqa: A003 - Qt's name
        RecordingDrag.last = (self.mimeData().urls(), supported, default)
        return Qt.CopyAction


def test_dragging_the_song_handle_hands_a_valid_midi_file_as_copy(qtbot, monkeypatch):
    monkeypatch.setattr(dnd, "QDrag", RecordingDrag)
    s = song()
    handle = dnd.MidiDragHandle(lambda: s)
    qtbot.addWidget(handle)
    handle.show()
    qtbot.mousePress(handle, Qt.LeftButton, pos=QPoint(5, 5))
    qtbot.mouseMove(handle, QPoint(60, 40))
    urls, supported, default = RecordingDrag.last
    assert supported == Qt.CopyAction and default == Qt.CopyAction
    path = urls[0].toLocalFile()
    assert os.path.dirname(path) == str(paths.exports_dir())
    assert os.path.basename(path).startswith("Night-Drive-") and path.endswith(".mid")
    back = read_midi(path)
    assert [t.name for t in back.tracks] == ["Lead Vox", "Bass"]
    assert [(n.start, n.pitch) for n in back.tracks[0].notes] == [(0, 67), (480, 69)]
    assert back.tracks[1].program == 33
    assert back.tempo == 93.0 and back.time_signature == TimeSignature(3, 4)
    assert [syl.text for syl in back.lyrics.syllables()] == ["hel", "lo"]


def test_track_handle_exports_only_that_track_and_names_it(qtbot):
    s = song()
    path = dnd.export_for_drag(s, track_index=1)
    assert "Night-Drive-Bass-" in path.name
    back = read_midi(path)
    assert len(back.tracks) == 1 and back.tracks[0].notes == [Note(0, 960, 43, 90)]
    assert back.lyrics.is_empty()  # the bass carries no lyrics


def test_each_drag_gets_a_fresh_file(qtbot):
    s = song()
    a, b = dnd.export_for_drag(s), dnd.export_for_drag(s)
    assert a != b and a.exists() and b.exists()


def test_copy_midi_file_puts_the_file_on_the_clipboard(qtbot):
    path = dnd.copy_midi_to_clipboard(song())
    mime = QGuiApplication.clipboard().mimeData()
    assert [u.toLocalFile() for u in mime.urls()] == [str(path)]


def test_old_exports_are_cleaned_at_start_up_not_after_a_drag(qtbot):
    folder = paths.exports_dir()
    old = folder / "old.mid"
    old.write_bytes(b"MThd")
    eight_days = time.time() - 8 * 24 * 3600
    os.utime(old, (eight_days, eight_days))
    dnd.export_for_drag(song())
    assert old.exists()  # a drag never cleans
    fresh = dnd.export_for_drag(song())
    assert dnd.clean_old_exports() == 1
    assert not old.exists() and fresh.exists()


def test_a_process_that_copied_midi_exits_cleanly_offscreen(tmp_path):
    """Offscreen, Qt's own clipboard outlives Python: our QMimeData must be released before
    the interpreter shuts down, or the process segfaults at exit (exit code -11)."""
    import subprocess
    import sys

    code = ("from PySide6.QtWidgets import QApplication\n"
            "from core.model.song import Song\n"
            "from desktop import dnd\n"
            "app = QApplication([])\n"
            "path = dnd.copy_midi_to_clipboard(Song(title='Exit'))\n"
            "assert app.clipboard().mimeData().urls()[0].toLocalFile() == str(path)\n"
            "print('copied')\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SONGLOOM_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "copied", done.stderr
    assert done.returncode == 0, done.stderr
