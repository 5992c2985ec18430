"""The lyric editor: syllables against the melody's phrases, rhyme letters, rhyme
suggestions, undoable edits aligned to the melody notes, lyrics in the exported MIDI."""

from __future__ import annotations

from generation_helpers import make_window, needs_lyrics_model, run_job
from PySide6.QtCore import Qt

from core.model.song import Note, Song, Track
from desktop.panels.lyric_editor import COL_RHYME, COL_SYL, COL_TEXT, LyricEditor, rhyme_letters


def melody_song() -> Song:
    """Two phrases of 6 notes, separated by a half-note rest."""
    notes = [Note(i * 480, 480, 60 + i, 90) for i in range(6)]
    notes += [Note(3840 + i * 480, 480, 67 - i, 90) for i in range(6)]
    return Song(title="Lyric test", tracks=[Track("Voice", role="melody", notes=notes)])


def ready_window(qtbot, song: Song):
    window = make_window(qtbot, song)
    with qtbot.waitSignal(window.generation.ready, timeout=60000):
        window.generation.warm_up()
    return window


def test_the_warm_up_is_the_one_device_detection_and_fills_the_status_bar(qtbot):
    window = make_window(qtbot, melody_song())
    window.start_background_services()  # what the app does after show(): audio only
    assert window.device_label.text() == "Compute: detecting…"
    with qtbot.waitSignal(window.generation.ready, timeout=60000) as ready:
        window.generation.warm_up()
    device = ready.args[0]
    assert window.compute_device == device == window.generation.device
    assert window.device_label.text() == f"Compute: {'CPU' if device == 'cpu' else 'GPU'}" \
        or window.device_label.text().startswith("Compute: GPU")
    assert not hasattr(window, "_device_worker")  # no second detection ran
    window.playback.close()


def test_rhyme_letters_follow_the_line_endings():
    lines = ["I walk alone at night", "the city lost its light",
             "and nothing here will stay", "until the break of day"]
    assert rhyme_letters(lines) == ["A", "A", "B", "B"]
    assert rhyme_letters(["the river runs", "under the sky", "beneath the suns", "so high"]) \
        == ["A", "B", "A", "B"]


def test_typing_a_line_is_undoable_and_aligned_to_the_melody(qtbot):
    window = ready_window(qtbot, melody_song())
    editor: LyricEditor = window.generation.editor
    assert window.lyric_widget is editor
    editor.section_kind.setCurrentText("verse")
    editor.add_section_button.click()
    assert window.undo_stack.count() == 1
    editor.select_line(0)
    item = editor.line_items()[0]
    item.setText(COL_TEXT, "hello my lovely friend")  # as typing into the cell does
    song = window.song
    assert [ln.text for ln in song.lyrics.lines()] == ["hello my lovely friend"]
    syllables = song.lyrics.syllables()
    assert [s.text for s in syllables][:2] == ["hel", "lo"]
    onsets = [n.start for n in song.melody_track().notes][:6]
    assert [s.tick for s in syllables] == onsets  # 6 syllables on the phrase's 6 notes
    item = editor.line_items()[0]
    assert item.text(COL_SYL) == "6 / 6"
    window.undo_stack.undo()
    assert window.song.lyrics.lines()[0].text == ""


def test_mismatched_lines_are_marked(qtbot):
    window = ready_window(qtbot, melody_song())
    editor = window.generation.editor
    window.generation.edit_lyrics([("verse", ["hello my lovely friend", "too short"])],
                                  "Type lyrics")
    first, second = editor.line_items()
    assert first.text(COL_SYL) == "6 / 6"
    assert second.text(COL_SYL).startswith("2 / 6") and "✗" in second.text(COL_SYL)
    assert second.foreground(COL_SYL).color().name() == "#d64545"
    assert "1 off the melody" in editor.summary.text()


def test_sections_keep_their_names_and_order(qtbot):
    window = ready_window(qtbot, melody_song())
    c = window.generation
    c.edit_lyrics([("verse", ["the road is long tonight"]), ("chorus", ["sing it out loud"])],
                  "Type lyrics")
    assert [s.name for s in window.song.lyrics.sections] == ["verse", "chorus"]
    assert window.song.lyrics.sections[1].lines[0].syllables[0].tick == 3840  # 2nd phrase
    top = c.editor.tree.topLevelItem(1)
    assert top.text(COL_RHYME) == "Chorus"
    c.editor.tree.setCurrentItem(c.editor.line_items()[0])
    c.editor.delete_button.click()
    assert [len(s.lines) for s in window.song.lyrics.sections] == [1]
    assert window.song.lyrics.sections[0].name == "chorus"


def test_rhyme_suggestions_replace_the_last_word(qtbot):
    window = ready_window(qtbot, melody_song())
    c = window.generation
    c.edit_lyrics([("verse", ["I walk alone at night", "the city lost its way"])], "Type")
    c.editor.select_line(1)
    assert c.editor.word.text() == "way"
    c.editor.word.setText("night")
    qtbot.keyClick(c.editor.word, Qt.Key_Return)
    words = [c.editor.suggestions.item(i).text() for i in range(c.editor.suggestions.count())]
    assert "light" in words or "bright" in words
    choice = "light" if "light" in words else "bright"
    c.editor.use_suggestion(choice)
    assert window.song.lyrics.lines()[1].text == f"the city lost its {choice}"
    assert c.editor.line_items()[1].text(COL_RHYME) == "A"  # now it rhymes with line 1
    # The word is core's last word: its case and the punctuation after it are kept apart.
    c.edit_lyrics([("verse", ["I walk alone at night", "the city’s lost its Way!"])], "Type")
    c.editor.select_line(1)
    assert c.editor.word.text() == "way"
    c.editor.use_suggestion(choice)
    assert window.song.lyrics.lines()[1].text == f"the city’s lost its {choice}!"


def test_edited_lyrics_go_out_with_the_midi_export(qtbot, tmp_path):
    from core.io.midi_io import read_midi
    from desktop.dnd import export_for_drag

    window = ready_window(qtbot, melody_song())
    window.generation.edit_lyrics([("verse", ["hello my lovely friend"])], "Type")
    path = export_for_drag(window.song, folder=tmp_path)
    back = read_midi(path)
    assert [s.text for s in back.lyrics.syllables()][:4] == ["hel", "lo", "my", "love"]


@needs_lyrics_model
def test_generated_lyrics_and_rewrite_one_line_from_choices(qtbot):
    window = ready_window(qtbot, melody_song())
    c = window.generation
    c.panel.theme.setText("the sea")
    c.panel.lines.setValue(2)
    c.panel.lyric_seed.spin.setValue(4)
    name, ok = run_job(qtbot, c, lambda: (c.panel.generate_lyrics_button.click(), c.job)[1],
                       timeout_ms=120000)
    assert ok, c.last_error
    lines = [ln.text for ln in window.song.lyrics.lines()]
    assert len(lines) == 2 and all(lines)
    assert all(s.tick is not None for s in window.song.lyrics.syllables())
    c.editor.select_line(1)
    name, ok = run_job(qtbot, c, lambda: (c.editor.regenerate_button.click(), c.job)[1],
                       timeout_ms=120000)
    assert ok, c.last_error
    menu = c.editor.choices_menu
    choices = [a.text() for a in menu.actions()]
    assert 2 <= len(choices) <= 5 and lines[1] not in choices
    assert [ln.text for ln in window.song.lyrics.lines()] == lines  # nothing until one is picked
    menu.actions()[1].trigger()
    after = [ln.text for ln in window.song.lyrics.lines()]
    assert after == [lines[0], choices[1]]
    window.undo_stack.undo()
    assert [ln.text for ln in window.song.lyrics.lines()] == lines


def test_the_panel_asks_for_one_line_per_phrase_until_the_user_picks_a_number(qtbot):
    window = ready_window(qtbot, melody_song())
    panel = window.generation.panel
    assert panel.lines.value() == 2 and panel.phrases_hint.text() == "of 2 phrases"
    panel.lines.setValue(5)  # the user's choice: kept when the melody changes
    song = melody_song()
    window.apply_song(song, "Edit")
    assert panel.lines.value() == 5 and panel.phrases_hint.text() == "of 2 phrases ⚠"


def test_the_panel_says_how_many_lines_the_melody_can_carry(qtbot):
    window = ready_window(qtbot, melody_song())
    panel = window.generation.panel
    panel.lines.setValue(2)
    assert panel.phrases_hint.text() == "of 2 phrases"
    panel.lines.setValue(4)
    assert panel.phrases_hint.text() == "of 2 phrases ⚠"
    assert "not sung" in panel.phrases_hint.toolTip()
    # The hint follows the song too.
    window.apply_song(Song(), "Clear")
    assert panel.phrases_hint.text() == "no melody yet"
