"""The drum track's keyboard names its rows by General MIDI drum (issue 15): Kick, Snare,
Closed Hi-hat ... on the rows and the full GM name in each row's tooltip; any other track
keeps its pitch names."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from core.model.song import Note, Song, Track
from desktop.main_window import MainWindow
from desktop.pianoroll.keyboard import DRUM_WIDTH, PIANO_WIDTH, KeyboardWidget
from desktop.pianoroll.mapping import RollMapping


class DiscardOnClose:
    def ask_save_changes(self, name):
        return "discard"

    def warn(self, title, text):
        raise AssertionError(f"unexpected message box: {title}: {text}")


def dark_pixels(kb: KeyboardWidget, pitch: int) -> int:
    """Near-black pixels in a row's left part: its name, drawn left-aligned."""
    image = kb.grab().toImage()
    y0 = round(kb.mapping.pitch_to_y(pitch))
    return sum(QColor(image.pixel(x, y)).value() < 90
               for x in range(3, 45) for y in range(y0 + 1, y0 + kb.mapping.row_height - 1))


def test_drum_rows_are_named_and_other_tracks_keep_pitch_names(qtbot):
    m = RollMapping(row_height=14)
    kb = KeyboardWidget(m)
    qtbot.addWidget(kb)
    kb.resize(PIANO_WIDTH, 600)
    m.centre_pitches(35, 57)
    assert kb.row_text(60) == "C4" and kb.row_text(36) == "C2"
    kb.set_drum_track(True)
    assert kb.width() == DRUM_WIDTH
    assert [kb.row_text(k) for k in (36, 38, 42, 46, 49, 51)] == \
        ["Kick", "Snare", "Closed Hi-hat", "Open Hi-hat", "Crash", "Ride"]
    assert kb.row_text(20) is None  # no GM kit plays key 20
    kb.show()
    qtbot.waitExposed(kb)
    assert dark_pixels(kb, 36) > 10 and dark_pixels(kb, 42) > 10  # the names are drawn
    kb.set_drum_track(False)
    assert kb.width() == PIANO_WIDTH and kb.row_text(36) == "C2"


def test_a_drum_rows_tooltip_is_its_general_midi_name(qtbot):
    m = RollMapping(row_height=14)
    kb = KeyboardWidget(m)
    qtbot.addWidget(kb)
    kb.resize(DRUM_WIDTH, 600)
    m.centre_pitches(35, 57)
    kb.set_drum_track(True)
    kb.show()
    qtbot.waitExposed(kb)
    pos = QPoint(10, round(m.pitch_to_y(36) + 3))
    QApplication.sendEvent(kb, QHelpEvent(QEvent.ToolTip, pos, kb.mapToGlobal(pos)))
    assert QToolTip.text() == "Bass Drum 1 (key 36)"
    pos = QPoint(10, round(m.pitch_to_y(49) + 3))
    QApplication.sendEvent(kb, QHelpEvent(QEvent.ToolTip, pos, kb.mapToGlobal(pos)))
    assert QToolTip.text() == "Crash Cymbal 1 (key 49)"
    QToolTip.hideText()


def test_the_editor_switches_the_keyboard_with_the_track(qtbot):
    song = Song(title="Kit", tracks=[
        Track("Lead", role="melody", program=40, notes=[Note(0, 480, 72)]),
        Track("Drums", role="drums", program=16, is_drum=True, channel=9,
              notes=[Note(i * 240, 60, 36 if i % 2 == 0 else 42) for i in range(16)])])
    w = MainWindow(song)
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.editor.set_active_track(1)
    assert w.editor.keyboard.drums and w.editor.keyboard.row_text(42) == "Closed Hi-hat"
    w.editor.set_active_track(0)
    assert not w.editor.keyboard.drums and w.editor.keyboard.row_text(72) == "C5"
