"""Files in the main window: open/save round trip, bad files, drops, the unsaved prompt,
recent files and crash recovery. Dialogs are scripted, so no test waits on a modal box."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from core.io.midi_io import write_midi
from core.io.project_file import list_recoverable, save_project, song_to_dict
from core.model.song import Note, Song, Track
from desktop.controllers.files import Dialogs
from desktop.main_window import MainWindow
from desktop.pianoroll.commands import ReplaceNotesCommand


class ScriptedDialogs:
    """Answers the file actions' questions from a script and records every message."""

    def __init__(self, save_answer="cancel", save_name="", open_name="", recovery="first"):
        self.warnings: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.save_answer, self.save_name_value = save_answer, save_name
        self.open_name_value, self.recovery = open_name, recovery

    def warn(self, title, text):
        self.warnings.append((title, text))

    def ask_save_changes(self, name):
        self.asked.append(name)
        return self.save_answer

    def open_name(self, *a):
        return self.open_name_value

    def save_name(self, *a):
        return self.save_name_value

    def choose_recovery(self, entries):
        return entries[0] if self.recovery == "first" else None


def song() -> Song:
    return Song(title="Round trip", tracks=[
        Track("Lead", role="melody", program=73, notes=[Note(0, 480, 67, 100),
                                                        Note(480, 240, 69, 70)]),
        Track("Bass", role="bass", program=32, channel=1, notes=[Note(0, 960, 43, 90)])])


@pytest.fixture
def window(qtbot):
    w = MainWindow(song())
    w.files.dialogs = ScriptedDialogs(save_answer="discard")
    qtbot.addWidget(w)
    return w


def edit(w):
    notes = w.song.tracks[0].notes + [Note(960, 480, 71, 90)]
    w.undo_stack.push(ReplaceNotesCommand(w.doc, 0, notes, "Draw note"))


def test_save_then_open_round_trip_and_title_star(window, tmp_path):
    target = tmp_path / "my song.songloom"
    window.files.dialogs.save_name_value = str(target)
    edit(window)
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    assert window.files.save()
    assert target.exists() and not window.isWindowModified()
    assert window.windowTitle().startswith("my song.songloom")
    expected = copy.deepcopy(song_to_dict(window.song))
    other = MainWindow()
    other.files.dialogs = ScriptedDialogs()
    assert other.files.open_path(target)
    assert song_to_dict(other.song) == expected
    assert other.doc.path == str(target.resolve())
    assert other.settings.recent_files[0] == str(target.resolve())
    other.close()


def test_import_midi_makes_an_unsaved_song_with_its_notes(window, tmp_path):
    mid = tmp_path / "groove.mid"
    write_midi(song(), mid)
    assert window.files.open_path(mid, ask=False)
    assert window.doc.path is None  # imported, not a project: Save asks for a name
    assert [(n.start, n.pitch) for n in window.song.tracks[0].notes] == [(0, 67), (480, 69)]


@pytest.mark.parametrize("name,data", [
    ("broken.mid", b"MThd\x00\x00\x00\x06\x00\x01"),
    ("notes.txt", b"hello"),
    ("bad.songloom", b"{not json"),
])
def test_bad_file_shows_a_message_naming_it_and_keeps_the_song(window, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    edit(window)
    before = copy.deepcopy(song_to_dict(window.song))
    assert not window.files.open_path(path)
    (title, text), = window.files.dialogs.warnings
    assert name in text and len(text.split("\n\n", 1)[1]) > len(name) + 5  # file and a reason
    assert song_to_dict(window.song) == before and window.isWindowModified()


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(400, 300), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)
    return event


def test_dropping_a_bad_midi_file_warns_and_a_good_one_opens(window, qtbot, tmp_path):
    bad = tmp_path / "corrupt.kar"
    bad.write_bytes(b"RIFF....garbage")
    before = copy.deepcopy(song_to_dict(window.song))
    _drop(window, [bad])
    qtbot.waitUntil(lambda: bool(window.files.dialogs.warnings), timeout=2000)
    assert "corrupt.kar" in window.files.dialogs.warnings[0][1]
    assert song_to_dict(window.song) == before
    good = tmp_path / "good.mid"
    write_midi(Song(title="Dropped", tracks=[Track("X", notes=[Note(0, 480, 50)])]), good)
    _drop(window, [good])
    qtbot.waitUntil(lambda: bool(window.song.tracks) and window.song.tracks[0].notes[0].pitch == 50,
                    timeout=2000)


def test_unsaved_prompt_cancel_keeps_window_discard_closes(window, qtbot):
    window.show()
    edit(window)
    window.files.dialogs.save_answer = "cancel"
    assert not window.close()
    assert window.isVisible() and window.files.dialogs.asked == ["Round trip"]
    window.files.dialogs.save_answer = "discard"
    assert window.close()


def test_unsaved_prompt_save_writes_the_file(window, tmp_path):
    target = tmp_path / "kept.songloom"
    window.files.dialogs.save_answer = "save"
    window.files.dialogs.save_name_value = str(target)
    edit(window)
    assert window.files.new()  # asks, saves, then starts a new song
    assert target.exists() and [t.notes for t in window.song.tracks] == [[]]


def test_autosave_then_recovery_after_a_crash(qtbot):
    crashed = MainWindow(song())
    edit(crashed)
    path = crashed.files.autosave_now()
    assert path is not None and path.exists()
    expected = copy.deepcopy(song_to_dict(crashed.song))
    # A crash: the window is never closed, so its autosave stays behind.
    crashed.files.autosave_timer.stop()
    assert len(list_recoverable()) == 1
    fresh = MainWindow()
    fresh.files.dialogs = ScriptedDialogs(recovery="first")
    qtbot.addWidget(fresh)
    assert fresh.files.offer_recovery()
    assert song_to_dict(fresh.song) == expected
    assert fresh.isWindowModified()  # still unsaved work
    fresh.files.dialogs.save_answer = "discard"
    assert fresh.close()
    assert list_recoverable() == []  # discarded on purpose: not offered again


def test_autosave_timer_runs_only_while_unsaved(window, tmp_path):
    assert not window.files.autosave_timer.isActive()
    edit(window)
    assert window.files.autosave_timer.isActive()
    assert window.files.autosave_timer.interval() == 60_000
    window.files.dialogs.save_name_value = str(tmp_path / "s.songloom")
    window.files.save()
    assert not window.files.autosave_timer.isActive()


def test_real_message_box_names_the_file(qtbot, tmp_path):
    """The real dialog (not scripted) appears and is closed by a timer: no blocking."""
    w = MainWindow()
    qtbot.addWidget(w)
    bad = tmp_path / "nonsense.mid"
    bad.write_bytes(b"nope")
    seen = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.close()
        else:
            QTimer.singleShot(20, close_box)

    QTimer.singleShot(20, close_box)
    w.files.dialogs = Dialogs(w)
    assert not w.files.open_path(bad)
    assert seen and "nonsense.mid" in seen[0]


def test_export_midi_and_kar_through_core(window, tmp_path):
    from core.io.midi_io import read_midi

    window.files.dialogs.save_name_value = str(tmp_path / "out")
    assert window.files.export_midi()
    assert [n.pitch for n in read_midi(tmp_path / "out.mid").tracks[0].notes] == [67, 69]
    window.files.dialogs.save_name_value = str(tmp_path / "song.kar")
    assert window.files.export_midi(kar=True)
    assert (tmp_path / "song.kar").exists()
    save_project(window.song, tmp_path / "x.songloom")


def test_export_wav_renders_in_the_background_through_fluidsynth(window, qtbot, tmp_path):
    import soundfile

    messages = []
    window.files.status.connect(messages.append)
    window.files.dialogs.save_name_value = str(tmp_path / "bounce.wav")
    assert window.files.export_wav()
    qtbot.waitUntil(lambda: any(m.startswith("Exported bounce.wav") for m in messages),
                    timeout=60000)
    audio, rate = soundfile.read(tmp_path / "bounce.wav")
    assert rate == 44100 and len(audio) > rate * 0.5 and abs(audio).max() > 0.01
