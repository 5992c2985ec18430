"""Issue 18, items 1 and 9: the wheel scrolls panels instead of changing settings;
undo/redo/quit shortcuts work everywhere (also right after editing a lyric); a click on a
track card selects it, a double click renames it."""

from __future__ import annotations

from generation_helpers import make_window
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea

from core.model.song import LyricLine, Lyrics, LyricSection, Note, Song, Track


def turn_wheel(widget, notches: int = -1) -> None:
    """One wheel event over the middle of ``widget``, delivered as the window system
    delivers it: to the window, which hands it to the widget under the pointer."""
    top = widget.window()
    centre = widget.mapTo(top, QPoint(widget.width() // 2, widget.height() // 2))
    event = QWheelEvent(QPointF(centre), QPointF(top.mapToGlobal(centre)), QPoint(),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(top.windowHandle(), event)


def song_with_lyrics() -> Song:
    notes = [Note(i * 480, 480, 60 + i % 5) for i in range(8)]
    return Song(title="Keys", tracks=[
        Track("Melody", role="melody", notes=notes),
        Track("Bass", role="bass", channel=1, notes=[Note(0, 1920, 36)])],
        lyrics=Lyrics([LyricSection("verse", [LyricLine("one two three four five six seven "
                                                        "eight")])]))


def test_the_wheel_over_the_generate_panel_scrolls_it_and_changes_no_setting(qtbot):
    window = make_window(qtbot)
    window.resize(1024, 640)
    window.show()
    panel = window.generation.panel
    area = panel.findChild(QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    inputs = [panel.bars, panel.tempo, panel.music_seed.spin, panel.style, panel.key,
              panel.model_choice, panel.lines, panel.bars.lineEdit()]
    before = (panel.bars.value(), panel.tempo.value(), panel.music_seed.spin.value(),
              panel.style.currentIndex(), panel.key.currentIndex(),
              panel.model_choice.currentIndex(), panel.lines.value())
    for widget in inputs:
        turn_wheel(widget, -1)
    after = (panel.bars.value(), panel.tempo.value(), panel.music_seed.spin.value(),
             panel.style.currentIndex(), panel.key.currentIndex(),
             panel.model_choice.currentIndex(), panel.lines.value())
    assert after == before
    assert area.verticalScrollBar().value() > 0  # the panel scrolled instead
    # A wheel passing over an input does not give it the focus either.
    assert not any(w.hasFocus() for w in inputs)


def test_the_guard_covers_the_whole_window_and_floating_docks(qtbot):
    # (A clicked input still taking the wheel needs real input: test_real_input_xvfb.py.)
    window = make_window(qtbot, song_with_lyrics())
    window.show()
    qtbot.waitExposed(window)
    # The piano roll's Snap and a track's instrument ignore a passing wheel too.
    snap, program = window.editor.snap_combo, window.track_list.rows[0].program
    was = (snap.currentIndex(), program.currentIndex())
    turn_wheel(snap)
    turn_wheel(program)
    assert (snap.currentIndex(), program.currentIndex()) == was
    # A floating Generate dock is a window of its own: guarded as well.
    window.generate_dock.setFloating(True)
    qtbot.waitUntil(lambda: window.generate_dock.windowHandle() is not None)
    qtbot.wait(20)
    style = window.generation.panel.style
    index = style.currentIndex()
    turn_wheel(style)
    assert style.currentIndex() == index


def _shortcuts(action) -> set[str]:
    return {s.toString() for s in action.shortcuts()}


def _action(window, menu: str, text: str):
    return next(a for a in window.menus[menu].actions() if a.text().replace("&", "") == text)


def test_redo_answers_ctrl_y_and_ctrl_shift_z_and_quit_ctrl_q_everywhere(qtbot):
    window = make_window(qtbot, song_with_lyrics())
    redo, undo = _action(window, "edit", "Redo"), _action(window, "edit", "Undo")
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= _shortcuts(redo)
    assert "Ctrl+Z" in _shortcuts(undo)
    quit_ = _action(window, "file", "Quit")
    assert "Ctrl+Q" in _shortcuts(quit_)
    for action in (undo, redo, quit_, _action(window, "file", "Save"),
                   _action(window, "file", "Open…")):
        assert action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut, action.text()
    # Zoom and Fit Song work wherever the focus is; note edits stay with the piano roll.
    by_text = {a.text(): a for a in window.editor.edit_actions}
    assert by_text["Fit Song"].shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    assert by_text["Delete Notes"].shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_undo_and_redo_keys_work_right_after_editing_a_lyric_line(qtbot):
    window = make_window(qtbot, song_with_lyrics())
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    c = window.generation
    with qtbot.waitSignal(c.ready, timeout=60000):
        c.warm_up()
    editor = c.editor
    item = editor.line_items()[0]
    from desktop.panels.lyric_editor import COL_TEXT

    editor.tree.setFocus()
    editor.tree.setCurrentItem(item, COL_TEXT)
    editor.tree.editItem(item, COL_TEXT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    line_edit = QApplication.focusWidget()
    line_edit.selectAll()
    qtbot.keyClicks(line_edit, "hello there")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.song.lyrics.lines()[0].text == "hello there")
    # The focus stays in the lyric editor's list (not the rhyme field beside it), so the
    # window's keys still reach the window.
    focus = QApplication.focusWidget()
    assert focus is editor.tree or editor.tree.isAncestorOf(focus), focus
    qtbot.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.song.lyrics.lines()[0].text.startswith("one two")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.song.lyrics.lines()[0].text == "hello there"
    window.playback.close()


def test_one_click_on_a_track_card_selects_it_and_a_double_click_renames_it(qtbot):
    window = make_window(qtbot, song_with_lyrics())
    window.show()
    tracks = window.track_list
    bass = tracks.rows[1]
    qtbot.mouseClick(bass.name, Qt.MouseButton.LeftButton)
    assert tracks.active == 1 and window.editor.view.active_track == 1
    assert bass.name.isReadOnly() and not bass.name.hasFocus()  # no rename started
    qtbot.mouseDClick(bass.name, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(bass.name.hasFocus)
    assert not bass.name.isReadOnly()
    bass.name.selectAll()
    qtbot.keyClicks(bass.name, "Upright")
    qtbot.keyClick(bass.name, Qt.Key.Key_Return)
    assert window.song.tracks[1].name == "Upright"
    assert bass.name.isReadOnly()
    window.undo_stack.undo()
    assert window.song.tracks[1].name == "Bass"


def test_a_clicked_model_combo_takes_the_wheel_but_never_scrolls_onto_choose_a_folder(
        qtbot, monkeypatch):
    """A focused combo takes the wheel (the user clicked it), but the wheel skips the
    "Choose a folder…" action: it used to open a folder picker on a wheel turn."""
    from PySide6.QtWidgets import QFileDialog

    opened = []
    # The picker is modal: record that it would have opened instead of blocking the test.
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: opened.append(a) or ""))
    window = make_window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    combo = window.generation.panel.model_choice
    combo.insertItem(1, "another model", "/models/other")  # bundled, other, Choose…
    window.generation.panel.findChild(QScrollArea).ensureWidgetVisible(combo)
    qtbot.wait(20)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    turn_wheel(combo, -1)  # down: the bundled model -> the other model
    assert combo.currentIndex() == 1
    turn_wheel(combo, -1)  # down again: "Choose a folder…" is not scrolled onto
    turn_wheel(combo, -1)
    assert combo.currentIndex() == 1 and opened == []
    turn_wheel(combo, 1)  # up still works
    assert combo.currentIndex() == 0
    combo.activated.emit(2)  # chosen on purpose (a click): the picker opens
    assert len(opened) == 1 and combo.currentIndex() == 0
