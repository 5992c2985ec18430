"""The window as a whole: screenshot mode, start-up stays light, the contract hooks for
the generation panels, transport with a (fake) audio device, track list, settings."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from core.io.project_file import save_project
from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Syllable, Track
from desktop.main_window import MainWindow
from desktop.settings import Settings, load_settings, save_settings


def song() -> Song:
    melody = Track("Voice", role="melody", program=73,
                   notes=[Note(i * 480, 480, 60 + (i % 5), 90) for i in range(16)])
    bass = Track("Bass", role="bass", program=32, channel=1,
                 notes=[Note(i * 1920, 1920, 36, 90) for i in range(4)])
    lyrics = Lyrics([LyricSection("verse", [LyricLine("la la", [Syllable("la", 0),
                                                                Syllable("la", 480)])])])
    return Song(title="Window test", tracks=[melody, bass], lyrics=lyrics)


class DiscardOnClose:
    """Closing a modified window asks; in tests the answer is "discard", never a modal box."""

    def ask_save_changes(self, name):
        return "discard"

    def warn(self, title, text):
        raise AssertionError(f"unexpected message box: {title}: {text}")


@pytest.fixture
def window(qtbot):
    w = MainWindow(song())
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    return w


def test_screenshot_mode_writes_a_1280x800_image_and_exits_0(tmp_path):
    project = tmp_path / "song.songloom"
    save_project(song(), project)
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "desktop.app", "--screenshot", str(out),
                             str(project)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"junk")
    result = subprocess.run([sys.executable, "-m", "desktop.app", "--screenshot", str(out),
                             str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "bad.mid" in result.stderr
    assert "Traceback" not in result.stderr


def test_showing_the_window_imports_no_torch_transformers_or_librosa():
    # Nor what only a later step needs: the audio stack, numpy, MIDI I/O, the dialogs.
    later = ('torch', 'transformers', 'librosa', 'numpy', 'sounddevice', 'core.io.midi_io',
             'uuid', 'desktop.panels.settings_dialog', 'desktop.panels.generate_panel')
    code = ("import sys\nfrom PySide6.QtWidgets import QApplication\napp = QApplication([])\n"
            "from desktop.main_window import MainWindow\nw = MainWindow(); w.show()\n"
            "w.start_background_services(); app.processEvents()\n"
            f"print([m for m in {later!r} if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def test_apply_song_is_one_undo_step_and_emits_song_changed(window, qtbot):
    new = song()
    new.tracks[0].notes = [Note(0, 240, 72)]
    with qtbot.waitSignal(window.song_changed, timeout=1000):
        window.apply_song(new, "Generate music")
    assert window.song.tracks[0].notes == [Note(0, 240, 72)]
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Generate music"
    new.tracks[0].notes.append(Note(1, 1, 1))  # the caller's object is not the song
    assert len(window.song.tracks[0].notes) == 1
    window.undo_stack.undo()
    assert window.song.tracks[0].notes == song().tracks[0].notes


def test_docks_lyric_area_and_player_hooks(window):
    from PySide6.QtWidgets import QDockWidget, QLabel

    assert isinstance(window.generate_dock, QDockWidget)
    assert isinstance(window.scores_dock, QDockWidget)
    assert window.dockWidgetArea(window.generate_dock) == Qt.RightDockWidgetArea
    mine = QLabel("lyric editor")
    window.set_lyric_widget(mine)
    assert mine.parent() is window.lyric_area
    assert window.player is None  # audio starts after show, in start_background_services


def test_transport_plays_through_a_fake_device_and_the_playhead_moves(qtbot):
    import threading

    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player

    made_on = []

    def factory():
        made_on.append(threading.current_thread())
        return Player(stream_factory=FakeOutputStream)

    w = MainWindow(song(), player_factory=factory)
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.playback.ready, timeout=10000):
        w.playback.start()  # made on a background thread, not on the GUI thread
        assert w.player is None and w.audio_label.text() == "Audio: starting…"
        w.transport.toggle_play()  # Space while audio is starting: plays once it is there
    assert made_on and made_on[0] is not threading.main_thread()
    assert w.audio_label.text() == "Audio: ready"
    assert w.playback.is_playing
    w.player.wait_ready(30)
    qtbot.waitUntil(lambda: (w.editor.view.playhead_tick or 0) > 100, timeout=5000)
    assert w.transport.position.text().startswith("1.")
    w.transport.stop_and_rewind()
    assert not w.playback.is_playing
    w.playback.close()


def test_a_window_closed_while_audio_starts_closes_the_late_player(qtbot):
    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player

    made = []
    w = MainWindow(song(), player_factory=lambda: made.append(
        Player(stream_factory=FakeOutputStream)) or made[-1])
    qtbot.addWidget(w)
    w.playback.start()
    w.playback.close()  # the window closes before the player is there
    qtbot.waitUntil(lambda: bool(made), timeout=10000)
    qtbot.wait(50)  # the queued hand-over
    assert w.player is None and made[0]._closed


def test_no_audio_device_is_said_in_the_status_bar(qtbot):
    from core.audio.player import output_device_problem

    reason = output_device_problem()
    if reason is None:
        pytest.skip("this machine has an audio output device")
    w = MainWindow(song())  # the real Player, on a machine without a sound card
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.playback.ready, timeout=10000):
        w.playback.start()
    assert w.audio_label.text() == f"Audio: {reason}"
    w.transport.toggle_play()  # says why instead of failing
    assert "Cannot play" in w.statusBar().currentMessage()


def test_tempo_key_and_track_edits_are_undoable(window):
    t = window.transport
    t.tempo.setValue(90.0)
    t.key.setCurrentIndex(7)  # G
    row = window.track_list.rows[0]
    row.mute.setChecked(True)
    row.program.setCurrentIndex(40)  # violin
    s = window.song
    assert (s.tempo, s.key, s.tracks[0].mute, s.tracks[0].program) == (90.0, 7, True, 40)
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    s = window.song
    assert (s.tempo, s.key, s.tracks[0].mute, s.tracks[0].program) == (120.0, 0, False, 73)
    assert t.tempo.value() == 120.0 and not row.mute.isChecked()


def test_add_and_remove_tracks_and_active_track_follows_clicks(window, qtbot):
    window.track_list.add_track()
    assert len(window.song.tracks) == 3 and window.editor.view.active_track == 2
    qtbot.mouseClick(window.track_list.rows[1], Qt.LeftButton)
    assert window.editor.view.active_track == 1
    window.track_list.remove_track()
    assert [t.name for t in window.song.tracks] == ["Voice", "Track 3"]
    window.undo_stack.undo()
    assert [t.name for t in window.song.tracks] == ["Voice", "Bass", "Track 3"]


def test_settings_defaults_round_trip_and_bad_values(qtbot):
    assert load_settings() == Settings()
    s = Settings(soundfont="/x.sf2", compute_device="cpu", autosave_interval_s=30,
                 recent_files=["/a.songloom", "/b.mid"])
    save_settings(s)
    assert load_settings() == s
    s.autosave_interval_s, s.compute_device = 1, "quantum"
    save_settings(s)
    back = load_settings()
    assert back.autosave_interval_s == 10 and back.compute_device == "auto"


def test_bench_pianoroll_cli_prints_json(tmp_path):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "core.cli", "bench", "pianoroll", "--notes",
                          "2000", "--repeats", "3", "--json"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    import json

    result = json.loads(out.stdout)
    assert result["notes_on_screen"] == 2000
    assert result["paint_ms"] > 0 and result["ratio_to_empty_grid"] > 0
    assert time.perf_counter() - start < 120


def test_the_panels_are_built_one_part_per_event_loop_turn(qtbot):
    from desktop.controllers.integration import STAGES, DeferredGeneration

    w = MainWindow(song())
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    gen = w.generation
    assert isinstance(gen, DeferredGeneration)
    placeholder = w.scores_dock.widget()
    assert gen.build_step()  # one part: the generate panel, nothing else yet
    assert w.generate_dock.widget() is gen._parts["panel"]
    assert w.scores_dock.widget() is placeholder and w.lyric_widget is w.lyric_view
    controller = gen.build()  # first use finishes the rest at once
    assert len(STAGES) == 4 and w.generation is controller
    assert w.scores_dock.widget() is controller.scores and w.lyric_widget is controller.editor


def test_the_models_warm_up_only_after_the_audio_has_started(qtbot):
    """Both load shared libraries; side by side, the loader lock froze the window."""
    import threading

    from core.audio.fake_stream import FakeOutputStream
    from core.audio.player import Player

    gate = threading.Event()

    def slow_audio():
        gate.wait(20)  # the audio start takes as long as the test wants
        return Player(stream_factory=FakeOutputStream)

    w = MainWindow(song(), player_factory=slow_audio)
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    w.start_background_services()
    qtbot.wait(900)  # audio asked for at 300 ms, the warm-up due at 250 ms
    assert w.playback.starting and w.generation.warmup_job is None
    gate.set()
    qtbot.waitUntil(lambda: w.generation.warmup_job is not None, timeout=20000)
    assert w.playback.settled
    qtbot.waitUntil(lambda: w.generation.device is not None, timeout=60000)
    w.playback.close()


def test_key_pickers_spell_flat_keys_as_songwriters_do(window):
    from core.model.theory import parse_key

    s = window.song
    s.key, s.mode = parse_key("Bb"), "major"
    window.transport.refresh()
    assert window.transport.key.currentText() == "A#/Bb"  # it read "A#" for a song in Bb
    from desktop.panels.generate_panel import GeneratePanel

    panel = GeneratePanel()
    names = [panel.key.itemText(i) for i in range(12)]
    panel.deleteLater()
    assert names[3] == "D#/Eb" and names[0] == "C"
