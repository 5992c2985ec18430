"""Ruler (seek, loop), keyboard (audition), playhead following, settings dialog, About."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from core.model.song import Note, Song, Track
from desktop.main_window import MainWindow
from desktop.panels.about import AboutDialog
from desktop.panels.settings_dialog import SettingsDialog
from desktop.settings import Settings


class DiscardOnClose:
    def ask_save_changes(self, name):
        return "discard"

    def warn(self, title, text):
        raise AssertionError(f"unexpected message box: {title}: {text}")


def make_window(qtbot) -> MainWindow:
    song = Song(title="Widgets", tracks=[Track("Lead", role="melody", program=40,
                                               notes=[Note(i * 480, 480, 60) for i in range(64)])])
    w = MainWindow(song)
    w.files.dialogs = DiscardOnClose()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    m = w.editor.mapping
    m.px_per_tick = 40 / 480
    m.set_scroll(x=0)
    return w


def test_ruler_click_seeks_and_drag_sets_the_loop(qtbot):
    w = make_window(qtbot)
    ruler, m = w.editor.ruler, w.editor.mapping
    with qtbot.waitSignal(w.editor.seek_requested) as seek:
        qtbot.mouseClick(ruler, Qt.LeftButton, pos=QPoint(round(m.tick_to_x(1920)), 10))
    assert seek.args == [1920]
    assert w.transport.position.text().startswith("2.1")  # bar 2, beat 1
    start, end = round(m.tick_to_x(1920)), round(m.tick_to_x(3840))
    qtbot.mousePress(ruler, Qt.LeftButton, pos=QPoint(start, 10))
    qtbot.mouseMove(ruler, QPoint(end, 10))
    qtbot.mouseRelease(ruler, Qt.LeftButton, pos=QPoint(end, 10))
    assert w.transport.loop_action.isChecked()
    assert w.transport.loop_range == (1920, 3840) and w.editor.view.loop == (1920, 3840)
    w.transport.loop_action.setChecked(False)
    assert w.editor.view.loop is None


def test_keyboard_click_auditions_the_pitch_with_the_track_instrument(qtbot):
    w = make_window(qtbot)
    heard = []
    w.playback.audition = lambda pitch, program=0, channel=0: heard.append((pitch, program))
    kb, m = w.editor.keyboard, w.editor.mapping
    qtbot.mouseClick(kb, Qt.LeftButton, pos=QPoint(10, round(m.pitch_to_y(64) + 2)))
    assert heard == [(64, 40)]


def test_playhead_pages_the_view_while_playing(qtbot):
    w = make_window(qtbot)
    m = w.editor.mapping
    far = m.x_to_tick(m.view_width + 200)
    w.editor.set_playhead(far, follow=True)
    assert 0 <= m.tick_to_x(far) < m.view_width
    before = m.scroll_x
    w.editor.follow_button.setChecked(False)
    w.editor.set_playhead(far * 3, follow=True)
    assert m.scroll_x == before


def test_settings_dialog_returns_the_edited_values(qtbot):
    dialog = SettingsDialog(Settings(recent_files=["/x.songloom"]))
    qtbot.addWidget(dialog)
    dialog.autosave.setValue(120)
    dialog.compute.setCurrentIndex(dialog.compute.findData("cpu"))
    dialog.soundfont.edit.setText("/music/piano.sf2")
    s = dialog.result_settings()
    assert (s.autosave_interval_s, s.compute_device, s.soundfont) == (120, "cpu", "/music/piano.sf2")
    assert s.recent_files == ["/x.songloom"]


def test_about_lists_qt_fluidsynth_soundfont_models_and_data(qtbot):
    about = AboutDialog()
    qtbot.addWidget(about)
    text = about.findChildren(type(about.layout().itemAt(0).widget()))[0].text()
    for word in ("Qt", "FluidSynth", "SoundFont", "models", "Training data"):
        assert word in text
    if about.entries:
        assert about.text.toPlainText().strip()
