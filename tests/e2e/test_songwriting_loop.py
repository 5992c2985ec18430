"""End to end: from an empty song to a MIDI file a DAW receives through the drag path,
holding generated notes and lyrics aligned to them; and `songloom --selftest`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.model.song import Song
from core.paths import models_dir

HAS_LYRICS_MODEL = (Path(models_dir()) / "lyrics-gpt2" / "config.json").exists()
needs_lyrics_model = pytest.mark.skipif(
    not HAS_LYRICS_MODEL, reason="the bundled lyrics model is not installed yet")


def _window(qtbot):
    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player
    from desktop.main_window import MainWindow

    class Discard:
        def ask_save_changes(self, name):
            return "discard"

        def warn(self, title, text):
            raise AssertionError(f"{title}: {text}")

    window = MainWindow(Song(), player_factory=lambda: Player(stream_factory=FakeOutputStream))
    window.files.dialogs = Discard()
    qtbot.addWidget(window)
    window.generation.auto_score = False
    return window


def _finish(qtbot, controller, start, timeout_ms=120000):
    with qtbot.waitSignal(controller.job_finished, timeout=timeout_ms) as blocker:
        assert start() is not None, controller.panel.status.text()
    assert blocker.args[1], controller.last_error


def _drag_out(window) -> Path:
    """What a drag from the song's 'Drag MIDI' handle hands the DAW."""
    from desktop.dnd import MidiDragHandle, midi_mime_data

    handle = next(h for h in window.findChildren(MidiDragHandle) if h.track_index is None)
    path = handle.export()
    urls = midi_mime_data(path).urls()
    assert len(urls) == 1 and urls[0].isLocalFile()
    return Path(urls[0].toLocalFile())


def _check_export(window, path: Path) -> None:
    from core.io.midi_io import read_midi

    back = read_midi(path)
    song = window.song
    assert sorted((n.start, n.pitch) for t in back.tracks for n in t.notes) == \
        sorted((n.start, n.pitch) for t in song.tracks for n in t.notes)
    melody_onsets = {n.start for n in song.melody_track().notes}
    assert all(s.tick is not None for s in song.lyrics.syllables())
    syllables = back.lyrics.syllables()
    assert syllables and all(s.tick in melody_onsets for s in syllables)
    assert [s.text for s in syllables] == [s.text for s in song.lyrics.syllables()]


def test_generated_music_with_typed_lyrics_reaches_the_daw(qtbot):
    from desktop.controllers.history import MusicParams

    window = _window(qtbot)
    c = window.generation
    with qtbot.waitSignal(c.ready, timeout=60000):
        c.warm_up()
    _finish(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=17, key=7)))
    c.editor.add_section_button.click()
    c.editor.line_items()[0].setText(1, "over the hills and far away")
    _check_export(window, _drag_out(window))


@needs_lyrics_model
def test_empty_song_to_exported_midi_with_generated_notes_and_lyrics(qtbot):
    from desktop.controllers.history import LyricParams, MusicParams

    window = _window(qtbot)
    c = window.generation
    _finish(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=23, mode="minor")))
    from core.lyrics.syllables import melody_syllable_targets

    phrases = len(melody_syllable_targets(window.song))  # one line per melody phrase
    _finish(qtbot, c, lambda: c.generate_lyrics(LyricParams(theme="winter", lines=phrases,
                                                            seed=2)))
    assert window.song.lyrics.lines() and window.undo_stack.count() == 2
    _check_export(window, _drag_out(window))


@needs_lyrics_model
def test_songloom_selftest_passes_and_prints_one_json_line(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "SONGLOOM_DATA_DIR": str(tmp_path),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    import os

    result = subprocess.run([sys.executable, "-m", "desktop.app", "--selftest"],
                            capture_output=True, text=True, timeout=110,
                            env={**os.environ, **env})
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stdout
    report = json.loads(lines[0])
    assert result.returncode == 0, (report.get("failed"), result.stderr[-2000:])
    assert report["passed"] == report["total"] >= 8
    for key in ("startup_s", "generation_s", "longest_gui_stall_ms", "startup_ratio"):
        assert isinstance(report[key], int | float), key
