"""The generation panel: options -> a worker -> one undoable command; variations A/B,
history brought back exactly, regenerate a track, continue, Cancel changes nothing."""

from __future__ import annotations

import copy
import time

from generation_helpers import make_window, run_job
from PySide6.QtCore import Qt

from core.io.project_file import song_to_dict
from desktop.controllers.history import MusicParams
from desktop.panels.generate_panel import GeneratePanel


def test_panel_emits_the_options_the_user_set(qtbot):
    panel = GeneratePanel()
    qtbot.addWidget(panel)
    panel.bars.setValue(8)
    panel.key.setCurrentText("D")
    panel.mode.setCurrentText("minor")
    panel.style.setCurrentText("chorale")
    panel.tempo.setValue(84)
    panel.music_seed.spin.setValue(1234)
    panel.temperature.setValue(0.7)
    panel.variations.setValue(3)
    with qtbot.waitSignal(panel.music_requested) as blocker:
        qtbot.mouseClick(panel.generate_music_button, Qt.LeftButton)
    p = blocker.args[0]
    assert (p.bars, p.key, p.mode, p.style, p.tempo, p.seed, p.temperature, p.variations) == \
        (8, 2, "minor", "chorale", 84.0, 1234, 0.7, 3)


def test_seed_lock_keeps_the_seed_and_unlocked_rolls_a_new_one(qtbot):
    panel = GeneratePanel()
    qtbot.addWidget(panel)
    panel.music_seed.spin.setValue(42)
    assert [panel.music_params().seed for _ in range(3)] == [42, 42, 42]
    panel.music_seed.lock.setChecked(False)
    seeds = [panel.music_params().seed for _ in range(3)]
    assert len(set(seeds)) == 3 and panel.music_seed.spin.value() == seeds[-1]
    old = panel.music_seed.spin.value()
    qtbot.mouseClick(panel.music_seed.dice, Qt.LeftButton)
    assert panel.music_seed.spin.value() != old


def test_generated_music_arrives_as_one_undoable_command(qtbot):
    window = make_window(qtbot)
    c = window.generation
    panel = c.panel
    panel.bars.setValue(4)
    panel.music_seed.spin.setValue(7)
    name, ok = run_job(qtbot, c, lambda: (panel.generate_music_button.click(), c.job)[1])
    assert ok and name == "Generate music"
    song = window.song
    assert sum(len(t.notes) for t in song.tracks) > 0
    assert {t.role for t in song.tracks if t.notes} >= {"melody", "bass"}
    assert window.undo_stack.count() == 1
    assert "seed 7" in window.undo_stack.text(0)
    window.undo_stack.undo()
    assert window.song.end_tick() == 0
    assert not panel.busy and panel.generate_music_button.isEnabled()


def test_same_seed_gives_the_same_song_and_history_brings_it_back(qtbot):
    window = make_window(qtbot)
    c = window.generation
    params = MusicParams(bars=4, seed=99, key=5, mode="major")
    run_job(qtbot, c, lambda: c.generate_music(params))
    first = song_to_dict(window.song)
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=100)))
    assert song_to_dict(window.song) != first
    run_job(qtbot, c, lambda: c.generate_music(params))
    assert song_to_dict(window.song) == first  # reproducible by seed
    assert len(c.history) == 3
    c.panel.history_list.setCurrentRow(1)
    c.panel.restore_button.click()
    assert song_to_dict(window.song) == song_to_dict(c.history.entries[1].song)
    c.panel.history_list.setCurrentRow(0)
    c.panel.restore_button.click()
    assert song_to_dict(window.song) == first
    assert c.panel.music_seed.spin.value() == 99  # the options come back too
    assert window.undo_stack.count() == 5


def test_variations_can_be_auditioned_and_one_kept(qtbot):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.playback.ready, timeout=10000):
        window.playback.start()
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=2, seed=3, variations=3)))
    assert c.panel.variation_list.count() == 3
    takes = [song_to_dict(s) for s in c.variations]
    assert len({str(t) for t in takes}) == 3  # three different takes
    assert song_to_dict(window.song) == takes[0]
    c.panel.variation_list.setCurrentRow(2)
    c.panel.audition_button.click()
    assert song_to_dict(window.song) == takes[0]  # listening changes nothing
    assert window.playback.player.wait_ready(30)
    qtbot.waitUntil(lambda: window.playback.position() > 240, timeout=5000)
    # A/B: picking another take while it plays switches at the same position.
    before = window.playback.position()
    c.panel.variation_list.setCurrentRow(1)
    assert "take 2" in window.statusBar().currentMessage()
    qtbot.wait(250)
    assert window.playback.is_playing and window.playback.position() > before
    assert song_to_dict(window.song) == takes[0]
    window.playback.stop()
    c.panel.keep_button.click()  # the selected take: 2
    assert song_to_dict(window.song) == takes[1]
    assert window.undo_stack.count() == 2


def test_regenerate_a_track_keeps_the_others(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=21)))
    before = copy.deepcopy(window.song)
    c.panel.role.setCurrentText("bass")
    c.panel.music_seed.spin.setValue(5)
    run_job(qtbot, c, lambda: (c.panel.regenerate_button.click(), c.job)[1])
    after = window.song
    assert after.track_by_role("melody").notes == before.track_by_role("melody").notes
    assert after.track_by_role("bass").notes != before.track_by_role("bass").notes
    assert window.undo_stack.count() == 2


def test_continue_appends_bars(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=8)))
    bars = window.song.bar_count()
    c.panel.continue_bars.setValue(4)
    run_job(qtbot, c, lambda: (c.panel.continue_button.click(), c.job)[1])
    assert window.song.bar_count() > bars


def test_cancel_is_acknowledged_at_once_and_leaves_the_song_unchanged(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=1)))
    before = song_to_dict(window.song)
    # 8 takes of 512 bars: seconds of work, checked for Cancel per phrase.
    worker = c.generate_music(MusicParams(bars=512, seed=2, variations=8))
    qtbot.waitSignal(worker.progress, timeout=10000).wait()
    assert c.panel.busy
    t0 = time.perf_counter()
    c.panel.cancel_button.click()
    acknowledged = time.perf_counter() - t0
    assert acknowledged < 0.1
    assert not c.panel.busy and "Cancelled" in c.panel.status.text()
    assert worker.wait(5000)  # the thread ends at the next check
    qtbot.wait(50)
    assert song_to_dict(window.song) == before
    assert window.undo_stack.count() == 1 and len(c.history) == 1


def test_a_missing_model_is_reported_and_nothing_changes(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SONGLOOM_RESOURCES", str(tmp_path))  # no models installed here
    window = make_window(qtbot)
    c = window.generation
    name, ok = run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=1)))
    assert not ok
    assert "model weights are missing" in c.panel.status.text()
    assert str(tmp_path) in c.panel.status.text()
    assert window.song.end_tick() == 0 and window.undo_stack.count() == 0


def test_panels_fill_the_docks_right_after_the_window_appears(qtbot):
    from desktop.controllers.generation_controller import GenerationController
    from desktop.controllers.integration import DeferredGeneration
    from desktop.main_window import MainWindow
    from desktop.panels.generate_panel import GeneratePanel
    from desktop.panels.lyric_editor import LyricEditor
    from desktop.panels.scores_panel import ScoresPanel

    window = MainWindow()
    qtbot.addWidget(window)
    assert isinstance(window.generation, DeferredGeneration)  # nothing built yet
    window.show()
    qtbot.waitUntil(lambda: isinstance(window.generation, GenerationController), timeout=2000)
    assert isinstance(window.generate_dock.widget(), GeneratePanel)
    assert isinstance(window.scores_dock.widget(), ScoresPanel)
    assert isinstance(window.lyric_widget, LyricEditor)


def test_edits_made_while_a_track_regenerates_are_kept(qtbot):
    from core.model.song import Note

    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=21)))
    old_bass = list(window.song.track_by_role("bass").notes)
    with qtbot.waitSignal(c.job_finished, timeout=60000):
        c.regenerate_track("bass", MusicParams(bars=4, seed=6))
        # The user adds a melody note before the result arrives (it is queued to this
        # thread, so it cannot arrive before this edit).
        edited = copy.deepcopy(window.song)
        edited.track_by_role("melody").notes.append(Note(0, 240, 100, 77))
        window.apply_song(edited, "Add note")
    song = window.song
    assert Note(0, 240, 100, 77) in song.track_by_role("melody").notes
    assert song.track_by_role("bass").notes != old_bass
    assert window.undo_stack.count() == 3


def test_panel_follows_the_song_key_but_keeps_the_users_choice_during_edits(qtbot):
    from core.model.song import Note, Song, TempoChange, Track

    song = Song(key=2, mode="minor", tempos=[TempoChange(0, 84.0)],
                tracks=[Track("Melody", role="melody", notes=[Note(0, 480, 62)])])
    window = make_window(qtbot, song)
    panel = window.generation.panel
    assert (panel.key.currentText(), panel.mode.currentText(), panel.tempo.value()) == ("D", "minor", 84)
    panel.key.setCurrentText("F")  # the user wants the next idea in F
    edited = copy.deepcopy(window.song)
    edited.tracks[0].notes.append(Note(480, 480, 64))
    window.apply_song(edited, "Add note")
    assert panel.key.currentText() == "F"
    rekeyed = copy.deepcopy(window.song)
    rekeyed.key, rekeyed.mode = 7, "major"
    window.apply_song(rekeyed, "Key")
    assert (panel.key.currentText(), panel.mode.currentText()) == ("G", "major")
