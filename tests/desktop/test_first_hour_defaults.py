"""Issue 18, item 12: the Generate panel's defaults make a whole little song on the first
click: 8 bars (two 4-bar phrases, not a 4-bar fragment), every part playing, and as many
lyric lines as the melody has phrases, all of them sung."""

from __future__ import annotations

from generation_helpers import make_window, run_job

from core.lyrics.syllables import melody_syllable_targets
from desktop.controllers.files import blank_song


def bars_played(song, track) -> int:
    tpb = song.ticks_per_bar()
    return sum(1 for b in range(song.bar_count())
               if any(n.start < (b + 1) * tpb and n.end > b * tpb for n in track.notes))


def test_the_first_click_with_the_defaults_gives_a_whole_song_sketch(qtbot):
    window = make_window(qtbot, blank_song())
    c = window.generation
    panel = c.panel
    assert panel.bars.value() == 8 and panel.style.currentText() == "lieder"
    assert panel.variations.value() == 1
    run_job(qtbot, c, lambda: (panel.generate_music_button.click(), c.job)[1])
    song = window.song
    assert song.bar_count() == 8
    roles = {t.role: t for t in song.tracks if t.notes}
    assert {"melody", "harmony", "bass"} <= set(roles)
    for role in ("melody", "harmony", "bass"):
        assert bars_played(song, roles[role]) >= 4, role  # each part plays through it
    # The last bar has music: the sketch ends, it does not stop short.
    assert any(n.end > song.ticks_per_bar() * 7 for t in song.tracks for n in t.notes)
    phrases = melody_syllable_targets(song)
    assert len(phrases) >= 2
    # Lines follow the melody: one per phrase, none left unsung.
    assert panel.lines.value() == len(phrases)
    assert song.phrase_starts is not None  # the generation fixed them
