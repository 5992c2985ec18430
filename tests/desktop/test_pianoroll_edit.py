"""Piano-roll editing with simulated mouse and keys: the Song changes as a songwriter
expects, each gesture is one undo step, and undo/redo restore the song exactly."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QPoint, Qt

from core.io.project_file import song_to_dict
from core.model.song import Note, Song, Track
from desktop.pianoroll.commands import SongDocument
from desktop.pianoroll.editor import PianoRollEditor


def make_song() -> Song:
    return Song(
        title="Test",
        tracks=[
            Track("Lead", role="melody", notes=[Note(0, 480, 60, 90), Note(960, 480, 64, 80)]),
            Track("Bass", role="bass", channel=1, notes=[Note(0, 1920, 36, 100)]),
        ],
    )


@pytest.fixture
def editor(qtbot):
    doc = SongDocument(make_song())
    ed = PianoRollEditor(doc)
    qtbot.addWidget(ed)
    ed.resize(900, 600)
    ed.show()
    qtbot.waitExposed(ed)
    m = ed.mapping
    # A fixed, readable zoom: one beat = 80 px, rows of 12 px, C5 (72) near the top.
    m.px_per_tick = 80 / 480
    m.row_height = 12
    m.set_scroll(x=0, y=m.pitch_to_y(76) + m.scroll_y)
    ed.view.snap = 120
    return ed


def at(ed, tick: float, pitch: int) -> QPoint:
    m = ed.mapping
    return QPoint(round(m.tick_to_x(tick)), round(m.pitch_to_y(pitch) + m.row_height / 2))


def drag(qtbot, widget, start: QPoint, end: QPoint, button=Qt.LeftButton) -> None:
    qtbot.mousePress(widget, button, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(widget, mid)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, button, pos=end)


def snapshot(doc) -> dict:
    return copy.deepcopy(song_to_dict(doc.song))


def lead(doc):
    return sorted((n.start, n.duration, n.pitch, n.velocity) for n in doc.song.tracks[0].notes)


def test_draw_a_note_by_click_and_drag_then_undo_redo(editor, qtbot):
    doc, before = editor.doc, snapshot(editor.doc)
    # Draw at beat 3 on E4 (64 is taken at 960, use G4 = 67), dragging over one beat.
    drag(qtbot, editor.view, at(editor, 1920 + 10, 67), at(editor, 1920 + 480, 67))
    assert (1920, 480, 67, 90) in lead(doc)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert snapshot(doc) == before
    doc.undo_stack.redo()
    assert (1920, 480, 67, 90) in lead(doc)


def test_move_a_note_in_time_and_pitch_snaps_to_grid(editor, qtbot):
    doc = editor.doc
    before = snapshot(doc)
    # Grab the first note (0..480 on C4) in its middle and drag it one beat later, 2 up.
    drag(qtbot, editor.view, at(editor, 240, 60), at(editor, 240 + 480 + 20, 62))
    assert lead(doc) == [(480, 480, 62, 90), (960, 480, 64, 80)]
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert snapshot(doc) == before


def test_resize_from_the_end_and_from_the_start(editor, qtbot):
    doc = editor.doc
    before = snapshot(doc)
    # End grip of the note at 960..1440 (E4): drag the end to 1920.
    drag(qtbot, editor.view, at(editor, 1440 - 12, 64), at(editor, 1920, 64))
    assert (960, 960, 64, 80) in lead(doc)
    # Start grip: drag the start from 960 to 720, the end stays at 1920.
    drag(qtbot, editor.view, at(editor, 960 + 12, 64), at(editor, 720, 64))
    assert (720, 1200, 64, 80) in lead(doc)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert snapshot(doc) == before


def test_right_click_deletes_and_delete_key_removes_selection(editor, qtbot):
    doc = editor.doc
    before = snapshot(doc)
    qtbot.mouseClick(editor.view, Qt.RightButton, pos=at(editor, 240, 60))
    assert lead(doc) == [(960, 480, 64, 80)]
    editor.set_tool("select")
    qtbot.mouseClick(editor.view, Qt.LeftButton, pos=at(editor, 1200, 64))
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key_Delete)
    assert lead(doc) == []
    assert doc.song.tracks[1].notes == [Note(0, 1920, 36, 100)]  # other tracks untouched
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert snapshot(doc) == before


def test_rubber_band_selects_and_duplicate_copies_after_the_selection(editor, qtbot):
    doc = editor.doc
    editor.set_tool("select")
    drag(qtbot, editor.view, at(editor, 1920 + 200, 70), at(editor, 0 + 5, 58))
    assert len(editor.view.selected_notes()) == 2
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key_D, Qt.ControlModifier)
    # The selection spans 0..1440: copies land 1440 ticks later (snapped to 1/16).
    assert lead(doc) == [(0, 480, 60, 90), (960, 480, 64, 80), (1440, 480, 60, 90),
                         (2400, 480, 64, 80)]
    qtbot.keyClick(editor.view, Qt.Key_Up)  # transpose the copies (still selected)
    assert (1440, 480, 61, 90) in lead(doc)
    assert doc.undo_stack.count() == 2


def test_velocity_lane_drag_is_one_undoable_change(editor, qtbot):
    doc = editor.doc
    lane = editor.velocity_lane
    before = snapshot(doc)
    x0 = round(editor.mapping.tick_to_x(0))
    x1 = round(editor.mapping.tick_to_x(960))
    y = round(lane.height() * 0.25)
    drag(qtbot, lane, QPoint(x0, y), QPoint(x1, y))
    velocities = [v for *_, v in lead(doc)]
    assert velocities[0] == velocities[1] and velocities[0] > 90
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert snapshot(doc) == before


def test_snap_off_keeps_exact_ticks_and_ctrl_wheel_zooms(editor, qtbot):
    editor.snap_combo.setCurrentIndex(editor.snap_combo.findData(0))
    assert editor.view.snap == 0
    editor.mapping.zoom_x(2.0, 0)
    assert editor.mapping.px_per_tick == pytest.approx(160 / 480)
    m = editor.mapping
    start = at(editor, 2000, 67)
    drag(qtbot, editor.view, start, QPoint(start.x() + 50, start.y()))
    drawn = [n for n in editor.doc.song.tracks[0].notes if n.pitch == 67]
    assert len(drawn) == 1 and drawn[0].start % 120 != 0  # not forced onto a grid line
    assert abs(drawn[0].start - m.x_to_tick(start.x())) < 2


def test_ghost_notes_and_scale_rows_are_painted(editor):
    view = editor.view
    img = view.grab().toImage()
    m = editor.mapping
    # The bass note (other track) shows faintly as a ghost where it lies, on C2... scroll there.
    m.set_scroll(y=m.pitch_to_y(40) + m.scroll_y)
    img = view.grab().toImage()
    ghost = img.pixelColor(round(m.tick_to_x(650)), round(m.pitch_to_y(36) + 6))
    empty = img.pixelColor(round(m.tick_to_x(2550)), round(m.pitch_to_y(36) + 6))
    assert ghost != empty
    view.show_ghosts = False
    img2 = view.grab().toImage()
    assert img2.pixelColor(round(m.tick_to_x(650)), round(m.pitch_to_y(36) + 6)) == empty
    # C major: E (in the scale) and D# (not) rows differ in colour.
    x = round(m.tick_to_x(2550))
    assert img.pixelColor(x, round(m.pitch_to_y(40) + 6)) != \
        img.pixelColor(x, round(m.pitch_to_y(39) + 6))


def test_cursor_shows_resize_at_note_ends_and_move_on_the_body(editor, qtbot):
    view = editor.view
    qtbot.mouseMove(view, at(editor, 480 - 12, 60))
    assert view.cursor().shape() == Qt.SizeHorCursor
    qtbot.mouseMove(view, at(editor, 240, 60))
    assert view.cursor().shape() == Qt.SizeAllCursor
    qtbot.mouseMove(view, at(editor, 3000, 70))
    assert view.cursor().shape() == Qt.CrossCursor  # the draw tool over an empty cell


def test_opening_a_song_frames_all_of_it(editor):
    song = Song(tracks=[Track("High", notes=[Note(0, 480, 100), Note(480 * 64, 480, 90)])])
    editor.doc.reset(song)
    m = editor.mapping
    low, high = m.visible_pitches()
    assert low <= 90 and high >= 100
    assert 0 <= m.tick_to_x(480 * 64) < m.view_width
