"""How the piano roll frames a song: opening it shows the edited track at a readable row
height (syllables and key names need >= 8 px rows), and switching to a track whose notes
are off screen scrolls to them."""

from __future__ import annotations

import pytest

from core.model.song import Note, Song, Track
from desktop.pianoroll.commands import SongDocument
from desktop.pianoroll.editor import PianoRollEditor
from desktop.pianoroll.mapping import READABLE_ROW


def wide_song() -> Song:
    # Melody around C5, harmony up to C8, bass down to A0: over seven octaves in all.
    melody = [Note(i * 480, 480, 72 + (i % 5), 90) for i in range(16)]
    harmony = [Note(i * 960, 960, 96 + (i % 12), 70) for i in range(8)]
    bass = [Note(i * 960, 960, 21 + (i % 5), 100) for i in range(8)]
    return Song(title="Wide", tracks=[
        Track("Melody", role="melody", notes=melody),
        Track("Harmony", role="harmony", channel=1, notes=harmony),
        Track("Bass", role="bass", channel=2, notes=bass),
    ])


@pytest.fixture
def ed(qtbot):
    """An editor opened on the wide song and shown, so it has framed it."""
    editor = PianoRollEditor(SongDocument(wide_song()))
    qtbot.addWidget(editor)
    editor.resize(900, 500)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_opening_frames_the_edited_track_readably(ed):
    m = ed.mapping
    assert m.row_height >= READABLE_ROW
    low, high = m.visible_pitches()
    assert low <= 72 and high >= 76, (low, high)  # every melody note on screen
    start, end = m.visible_ticks()
    assert start <= 0 and end >= 16 * 480  # and the whole length


def test_switching_to_an_off_screen_track_scrolls_to_it(ed):
    m = ed.mapping
    assert m.visible_pitches()[0] > 25  # the bass is below the view
    ed.set_active_track(2)
    low, high = m.visible_pitches()
    assert low <= 21 and high >= 25, (low, high)
    scroll = m.scroll_y
    ed.set_active_track(2)  # already shown: the view stays where it is
    assert m.scroll_y == scroll
