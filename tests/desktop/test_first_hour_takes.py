"""Issue 18, item 2: keeping a take keeps the lyrics (re-aligned to the take's melody);
selecting a take previews it in the piano roll, with or without a sound card; the
Variations list follows undo and redo."""

from __future__ import annotations

from generation_helpers import make_window, run_job

from core.model.phrases import melody_phrases
from desktop.controllers.history import MusicParams

WORDS = ["love came in the morning light", "and stayed until the night"]


def three_takes(qtbot):
    window = make_window(qtbot)
    window.resize(1280, 800)
    window.show()
    c = window.generation
    run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=8, seed=5, variations=3)))
    c.edit_lyrics([("verse", list(WORDS))], "Write lyrics")
    return window, c


def test_keeping_a_take_keeps_the_lyrics_on_its_melody(qtbot):
    window, c = three_takes(qtbot)
    panel = c.panel
    assert panel.variation_list.count() == 3
    panel.variation_list.setCurrentRow(1)
    panel.keep_button.click()
    song = window.song
    assert [ln.text for ln in song.lyrics.lines()] == WORDS
    onsets = {n.start for p in melody_phrases(song) for n in p}
    sung = [y.tick for ln in song.lyrics.lines()[:len(melody_phrases(song))]
            for y in ln.syllables]
    assert sung and all(t in onsets for t in sung)  # on the take's own notes
    assert c.editor.summary.text() != "No lyrics yet"
    assert song.tracks[0].notes == c.variations[1].tracks[0].notes


def test_selecting_a_take_previews_it_in_the_piano_roll(qtbot):
    window, c = three_takes(qtbot)
    panel, view = c.panel, window.editor.view
    assert view.preview_song is None  # take 1 is in the song: nothing to preview
    before = view.grab().toImage()
    panel.variation_list.setCurrentRow(2)
    assert view.preview_song is c.variations[2]
    assert "take 3" in window.editor.preview_label.text().lower()
    assert window.editor.preview_label.isVisible()
    assert view.grab().toImage() != before  # the take's notes are drawn over the song
    assert window.song.tracks[0].notes == c.variations[0].tracks[0].notes  # unchanged
    panel.variation_list.setCurrentRow(0)
    assert view.preview_song is None and not window.editor.preview_label.isVisible()
    # No sound card here: Listen shows the take instead of failing silently.
    assert not window.playback.can_play
    panel.variation_list.setCurrentRow(1)
    panel.audition_button.click()
    assert view.preview_song is c.variations[1]
    assert "drawn over the song" in window.statusBar().currentMessage()


def test_the_variations_list_follows_undo_and_redo(qtbot):
    window, c = three_takes(qtbot)
    panel = c.panel
    panel.variation_list.setCurrentRow(1)
    panel.keep_button.click()
    assert panel.variation_list.currentRow() == 1
    assert "in the song" in panel.variation_list.item(1).text()
    window.undo_stack.undo()  # back to take 1 (with its lyrics)
    assert panel.variation_list.currentRow() == 0
    assert "in the song" in panel.variation_list.item(0).text()
    assert "in the song" not in panel.variation_list.item(1).text()
    assert window.editor.view.preview_song is None
    window.undo_stack.redo()
    assert panel.variation_list.currentRow() == 1
    window.undo_stack.undo()
    window.undo_stack.undo()  # the lyrics
    window.undo_stack.undo()  # the generation itself: no take is in the song
    assert window.song.end_tick() == 0
    assert not any("in the song" in panel.variation_list.item(i).text() for i in range(3))
