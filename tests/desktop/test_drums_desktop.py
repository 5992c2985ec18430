"""Drums and styles in the app (issue 15): the Generate panel's styles come from the
registry, a rock song arrives with its drum track, "Regenerate drums" keeps every other
track, and the drum track mutes, solos, drags as MIDI, picks its kit and shows DP."""

from __future__ import annotations

import copy

import pytest
from generation_helpers import make_window, run_job

from core.audio.events import audible_tracks
from core.errors import SongloomError
from core.io.midi_io import read_midi
from core.model.requests import MusicParams
from core.model.styles import STYLE_NAMES
from desktop import dnd
from desktop.panels.generate_panel import GeneratePanel
from desktop.runtime import generation_jobs


def drums(song):
    return next(t for t in song.tracks if t.is_drum)


def test_the_panel_lists_the_registry_and_a_style_brings_its_tempo(qtbot):
    panel = GeneratePanel()
    qtbot.addWidget(panel)
    assert [panel.style.itemText(i) for i in range(panel.style.count())] == list(STYLE_NAMES)
    assert "drums" in [panel.role.itemText(i) for i in range(panel.role.count())]
    panel.tempo.setValue(96)
    panel.style.setCurrentText("rock")  # 96 BPM is outside rock's 100-160
    assert panel.tempo.value() == 126
    panel.tempo.setValue(140)
    panel.style.setCurrentText("pop")  # 140 is outside pop's range too
    assert panel.tempo.value() == 112
    panel.style.setCurrentText("folk")  # 112 fits folk: the user's tempo stays
    assert panel.tempo.value() == 112
    panel.humanize.setChecked(False)
    p = panel.music_params()
    assert (p.style, p.humanize) == ("folk", False)
    panel.set_music_params(MusicParams(style="electronic", tempo=128, humanize=True))
    assert (panel.style.currentText(), panel.tempo.value(), panel.humanize.isChecked()) == \
        ("electronic", 128, True)


def test_a_rock_song_then_new_drums_keeping_every_other_track(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=8, seed=3, style="rock",
                                                           tempo=126)))
    song = window.song
    kit = drums(song)
    assert kit.channel == 9 and kit.role == "drums" and kit.program == 16 and kit.notes
    assert song.track_by_role("harmony").program == 29  # overdriven guitar chords
    before = copy.deepcopy(window.song)
    c.panel.role.setCurrentText("drums")
    c.panel.style.setCurrentText("rock")
    c.panel.music_seed.spin.setValue(77)
    run_job(qtbot, c, lambda: (c.panel.regenerate_button.click(), c.job)[1])
    after = window.song
    for old, new in zip(before.tracks, after.tracks, strict=True):
        if not old.is_drum:
            assert new.notes == old.notes and new.program == old.program
    assert drums(after).notes != drums(before).notes
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert drums(window.song).notes == drums(before).notes


def test_regenerate_drums_adds_them_to_a_song_without(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=2)))
    assert not any(t.is_drum for t in window.song.tracks)
    names = [t.name for t in window.song.tracks]
    run_job(qtbot, c, lambda: c.regenerate_track("drums", MusicParams(seed=1, style="pop")))
    assert [t.name for t in window.song.tracks] == names + ["Drums"]
    assert drums(window.song).notes


def test_a_style_without_drums_says_which_have_them():
    from core.model.song import Note, Song, Track

    song = Song(tracks=[Track("M", "melody", notes=[Note(0, 1920, 60)])])
    with pytest.raises(SongloomError, match="lieder style has no drums.*pop, rock"):
        generation_jobs.regenerate_track(song, "drums", MusicParams(style="lieder"))


def test_the_drum_track_mutes_solos_drags_and_picks_its_kit(qtbot):
    window = make_window(qtbot)
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=4, seed=5, style="pop")))
    song = window.song
    index = next(i for i, t in enumerate(song.tracks) if t.is_drum)
    row = window.track_list.rows[index]
    row.mute.click()
    assert window.song.tracks[index].mute
    assert all(not t.is_drum for t in audible_tracks(window.song))
    row.mute.click()
    row.solo.click()
    assert [t.is_drum for t in audible_tracks(window.song)] == [True]
    row.solo.click()
    path = dnd.export_for_drag(window.song, track_index=index)
    back = read_midi(path)
    assert len(back.tracks) == 1 and back.tracks[0].is_drum and back.tracks[0].channel == 9
    assert [(n.start, n.pitch) for n in back.tracks[0].notes] == \
        [(n.start, n.pitch) for n in window.song.tracks[index].notes]
    kits = [row.program.itemText(i) for i in range(row.program.count())]
    assert "041 Brush kit" in kits and not any("Piano" in k for k in kits)
    row.program.setCurrentIndex(kits.index("041 Brush kit"))
    assert window.song.tracks[index].program == 40
    assert "Drum kit Brush" in window.undo_stack.undoText()


def test_the_scores_panel_shows_dp_for_the_drum_track(qtbot):
    window = make_window(qtbot)
    c = window.generation
    c.auto_score = True
    with qtbot.waitSignal(c.scoring_finished, timeout=60000):
        run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=8, seed=4, style="rock",
                                                               tempo=126)))
    assert c.scores.music_value("drums", "DP") >= 0.9
    assert c.scores.shown_text("Drum pattern", "drums") is not None
