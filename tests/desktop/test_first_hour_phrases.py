"""Issue 18, item 3: phrase boundaries are stored in the song, so one note added inside
line 2 leaves line 1's count alone, before and after saving and reopening; the lyric
editor shows each line's phrase and lets the user split or join phrases."""

from __future__ import annotations

import json

from generation_helpers import make_window
from PySide6.QtCore import QPointF, Qt

from core.io.project_file import load_project, save_project, song_to_dict
from core.lyrics.syllables import align_lyrics, melody_syllable_targets
from core.model.phrases import detect_phrase_starts, melody_phrases
from core.model.song import Note, Song, Track
from desktop.controllers.files import load_any

LINE_1 = "one two three four five six eight nine"  # 8 syllables
LINE_2 = "one two three four five six eight nine ten one two three four five six eight"


def two_phrase_song() -> Song:
    """8 notes, a half-note rest, then 16 short notes (16 is the most a detected phrase
    holds: one more note used to split it and shift the lines)."""
    notes = [Note(i * 480, 480, 60 + i % 5) for i in range(8)]
    start = 8 * 480 + 960
    notes += [Note(start + i * 480, 300, 64 + i % 4) for i in range(16)]
    song = Song(title="Phrases", tracks=[Track("Voice", role="melody", notes=notes)])
    return align_lyrics(song, [LINE_1, LINE_2])


def counts(editor) -> list[str]:
    from desktop.panels.lyric_editor import COL_SYL

    return [item.text(COL_SYL) for item in editor.line_items()]


def test_alignment_stores_the_phrases_and_an_added_note_joins_its_own_phrase():
    song = two_phrase_song()
    assert song.phrase_starts == [0, 8 * 480 + 960]
    assert melody_syllable_targets(song) == [8, 16]
    # One more note inside line 2 (between two of its notes): line 2 has 17, line 1 8.
    melody = song.tracks[0]
    melody.notes.append(Note(8 * 480 + 960 + 5 * 480 + 300, 120, 70))
    assert melody_syllable_targets(song) == [8, 17]
    # Detection from rests alone would have split line 2 (and moved what follows it).
    assert len(detect_phrase_starts(song)) == 3


def test_an_old_file_gets_its_phrases_once_on_load_and_keeps_them(tmp_path):
    song = two_phrase_song()
    data = {"format": "songloom", "version": 1, "song": song_to_dict(song)}
    del data["song"]["phrase_starts"]  # as a file from before phrase boundaries
    old = tmp_path / "old.songloom"
    old.write_text(json.dumps(data), encoding="utf-8")
    assert load_project(old).phrase_starts is None  # the file as it is
    loaded = load_any(old)  # as the app opens it: the phrases fixed once
    assert loaded.phrase_starts == [0, 8 * 480 + 960]
    saved = tmp_path / "saved.songloom"
    save_project(loaded, saved)
    assert json.loads(saved.read_text())["song"]["phrase_starts"] == [0, 8 * 480 + 960]


def test_counts_stay_put_after_adding_a_note_in_line_2_and_reopening(qtbot, tmp_path):
    window = make_window(qtbot, two_phrase_song())
    window.resize(1280, 800)
    window.show()
    c = window.generation
    with qtbot.waitSignal(c.ready, timeout=60000):
        c.warm_up()
    assert counts(c.editor) == ["8 / 8", "16 / 16"]
    # Draw one note inside line 2 with the piano roll's pen.
    view = window.editor.view
    window.editor.fit_song()
    m = view.mapping
    tick = 8 * 480 + 960 + 5 * 480 + 330
    x, y = m.tick_to_x(tick), m.pitch_to_y(72) + m.row_height / 2
    window.editor.set_tool("draw")
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert len(window.song.tracks[0].notes) == 25
    assert counts(c.editor)[0] == "8 / 8"
    assert counts(c.editor)[1].startswith("16 / 17")
    path = tmp_path / "song.songloom"
    window.files.dialogs.save_name = lambda *a: str(path)
    assert window.files.save_as()
    ticks_before = [[y.tick for y in ln.syllables] for ln in window.song.lyrics.lines()]
    assert window.files.open_path(path, ask=False)
    qtbot.waitUntil(lambda: len(window.song.tracks[0].notes) == 25)
    c._song_changed()
    assert counts(c.editor)[0] == "8 / 8"
    assert counts(c.editor)[1].startswith("16 / 17")
    assert [[y.tick for y in ln.syllables] for ln in window.song.lyrics.lines()] == ticks_before
    window.playback.close()


def test_the_lyric_editor_shows_each_lines_phrase_and_splits_or_joins_them(qtbot):
    from desktop.panels.lyric_editor import COL_PHRASE

    window = make_window(qtbot, two_phrase_song())
    c = window.generation
    with qtbot.waitSignal(c.ready, timeout=60000):
        c.warm_up()
    editor = c.editor
    assert [i.text(COL_PHRASE) for i in editor.line_items()] == ["bars 1–2", "bars 3–7"]
    editor.select_line(1)
    qtbot.mouseClick(editor.split_phrase_button, Qt.MouseButton.LeftButton)
    assert len(window.song.phrase_starts) == 3
    assert len(melody_phrases(window.song)) == 3
    assert counts(editor)[1] != "16 / 16"  # line 2 now has half the notes
    window.undo_stack.undo()
    assert window.song.phrase_starts == [0, 8 * 480 + 960]
    assert counts(editor) == ["8 / 8", "16 / 16"]
    editor.select_line(0)
    qtbot.mouseClick(editor.join_phrase_button, Qt.MouseButton.LeftButton)
    assert window.song.phrase_starts == [0]
    assert counts(editor)[0].startswith("8 / 24")
    window.undo_stack.undo()
    assert window.song.phrase_starts == [0, 8 * 480 + 960]
