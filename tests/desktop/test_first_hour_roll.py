"""Issue 18, items 4 and 11 (the piano roll's part): syllables sit in one row below the
notes, shortened when there is no room and never left out; an empty song shows a hint
saying how to start, which the first note takes away."""

from __future__ import annotations

from generation_helpers import make_window
from PySide6.QtCore import QPointF, Qt

from core.lyrics.syllables import align_lyrics
from core.model.song import Note, Song, Track


def blue_song() -> Song:
    """Quick notes: at the default zoom a syllable has about one 16th of room."""
    notes = [Note(i * 120, 120, 60 + i % 5) for i in range(6)]
    notes += [Note(1920 + i * 480, 480, 62) for i in range(8)]
    song = Song(title="Blue", tracks=[Track("Voice", role="melody", notes=notes)])
    return align_lyrics(song, ["out of the blue and in", "beautiful skies over me now"])


def test_every_syllable_has_a_place_in_one_row_below_the_notes(qtbot):
    window = make_window(qtbot, blue_song())
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    editor = window.editor
    editor.fit_song()
    lane = editor.lyric_lane
    assert lane.isVisible()
    # Below the grid, above the velocity lane: one row for all of them.
    assert lane.geometry().top() >= editor.view.geometry().bottom()
    assert lane.geometry().bottom() <= editor.velocity_lane.geometry().top()
    lane.grab()  # paints it
    sung = [(y.tick, y.text) for y in window.song.lyrics.syllables() if y.tick is not None]
    shown = {tick: text for tick, _full, text in lane.shown}
    assert set(shown) == {tick for tick, _ in sung}  # none dropped ("of the blue")
    assert all(text for text in shown.values())
    fulls = {tick: full for tick, full, _ in lane.shown}
    assert [fulls[t] for t in sorted(fulls)][:3] == ["out", "of", "the"]
    # Zoomed in, the whole syllables fit.
    editor.mapping.zoom_x(4.0, 0)
    lane.grab()  # paints it
    assert [text for _, full, text in lane.shown][:3] == ["out", "of", "the"]
    # The grid itself no longer prints syllables over the notes.
    assert not hasattr(editor.view, "_paint_syllables")


def test_a_crowded_syllable_is_shortened_not_dropped(qtbot):
    from PySide6.QtGui import QFontMetricsF

    from desktop.pianoroll.lyric_lane import fit_text

    window = make_window(qtbot)
    metrics = QFontMetricsF(window.font())
    assert fit_text("beautiful", 1000, metrics) == "beautiful"
    short = fit_text("beautiful", metrics.horizontalAdvance("beau…") + 1, metrics)
    assert short.endswith("…") and short.startswith("b")
    assert fit_text("beautiful", 3, metrics) in ("b", "·")
    assert fit_text("beautiful", 0, metrics) in ("b", "·")


def test_a_chinese_character_on_a_short_note_is_drawn_smaller_not_over_its_neighbour(qtbot):
    """One character a note: on sixteenths at the default zoom a character is wider than
    its note. It stays the character (not a dot) and is drawn to fit its room."""
    from PySide6.QtGui import QFontMetricsF

    from desktop.pianoroll.lyric_lane import MIN_LABEL_SCALE, fit_text, label_scale

    window = make_window(qtbot)
    metrics = QFontMetricsF(window.font())
    wide = metrics.horizontalAdvance("秋")
    room = wide * 0.7
    assert fit_text("秋", room, metrics) == "秋"
    assert wide * label_scale(wide, room) <= room + 0.01
    assert label_scale(wide, wide) == 1.0  # fits: full size
    assert label_scale(wide, 0) == MIN_LABEL_SCALE  # never unreadably small
    # A Latin first letter is not shrunk: too wide at full size, it becomes a dot.
    b = metrics.horizontalAdvance("b")
    assert fit_text("beautiful", b * 0.6 - 3, metrics) == "·"


def test_an_empty_song_shows_how_to_start_until_the_first_note(qtbot):
    from desktop.controllers.files import blank_song

    window = make_window(qtbot, blank_song())  # what File > New and the first start give
    window.resize(1024, 640)
    window.show()
    hint = window.editor.empty_hint
    qtbot.waitUntil(hint.isVisible)
    text = hint.text()
    assert "draw a note" in text and "Generate music" in text and "Open" in text
    view = window.editor.view
    assert view.rect().contains(hint.geometry())
    assert hint.height() >= hint.needed_height(hint.width())  # no line cut off
    m = view.mapping
    # The click goes through the hint to the grid and draws the first note.
    point = hint.geometry().center()
    assert view.childAt(point) is None  # the hint takes no clicks
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point)
    assert len(window.song.tracks[0].notes) == 1
    assert not hint.isVisible()
    window.undo_stack.undo()
    assert hint.isVisible()
    assert m.x_to_tick(QPointF(point).x()) >= 0
