"""Issue 18, items 7 and 8: a theme chosen in Settings applies at once and dark mode's
placeholder text is readable; the audio device and the music-model folder settings take
effect; the settings file's schema_version is read and older files are upgraded."""

from __future__ import annotations

import shutil

from generation_helpers import make_window, run_job
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog

from core import paths
from core.audio.fake_stream import FakeOutputStream
from core.audio.player import Player
from core.model.song import Note, Song, Track
from desktop import settings as settings_mod
from desktop.controllers.history import MusicParams
from desktop.theme import apply_theme


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of ``a`` drawn over ``b`` (its alpha blended in; 1 = none,
    21 = black on white)."""
    alpha = a.alphaF()
    a = QColor.fromRgbF(*(alpha * x + (1 - alpha) * y for x, y in
                          zip((a.redF(), a.greenF(), a.blueF()),
                              (b.redF(), b.greenF(), b.blueF()), strict=True)))
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def with_settings_dialog(window, change) -> None:
    """Open Tools > Settings for real; ``change(dialog)`` edits it, then OK is pressed."""
    def drive():
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QDialog) and w.isVisible())
        change(dialog)
        dialog.accept()
    QTimer.singleShot(50, drive)
    window.open_settings()


def test_a_theme_change_applies_at_once_and_placeholders_stay_readable(qtbot):
    app = QApplication.instance()
    window = make_window(qtbot, Song(tracks=[Track("M", role="melody",
                                                   notes=[Note(0, 480, 60)])]))
    window.show()
    try:
        apply_theme(app, "light")
        assert window.editor.view.colors.background.lightness() > 128
        with_settings_dialog(window, lambda d: d.theme.setCurrentIndex(d.theme.findData("dark")))
        assert window.settings.theme == "dark"
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 128
        # Every widget follows within the same event-loop turn, the piano roll too.
        qtbot.waitUntil(lambda: window.editor.view.colors.background.lightness() < 128,
                        timeout=2000)
        panel = window.generation.panel
        pal = panel.theme.palette()
        assert panel.theme.placeholderText()
        assert contrast(pal.color(QPalette.ColorRole.PlaceholderText),
                        pal.color(QPalette.ColorRole.Base)) >= 3.0
        with_settings_dialog(window, lambda d: d.theme.setCurrentIndex(d.theme.findData("light")))
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128
        qtbot.waitUntil(lambda: window.editor.view.colors.background.lightness() > 128,
                        timeout=2000)
    finally:
        apply_theme(app, "light")


class RecordingStream(FakeOutputStream):
    opened_with: list[dict] = []

    def __init__(self, **kwargs):
        RecordingStream.opened_with.append(dict(kwargs))
        super().__init__(**kwargs)


def test_the_chosen_audio_device_is_the_one_the_player_opens(qtbot):
    made: list[dict] = []

    def factory(soundfont=None, device=None):
        made.append({"device": device})
        return Player(soundfont=soundfont, device=device, stream_factory=RecordingStream)

    from desktop.main_window import MainWindow

    window = MainWindow(Song(tracks=[Track("M", role="melody", notes=[Note(0, 480, 60)])]),
                        player_factory=factory)
    qtbot.addWidget(window)
    window.playback.start(window.settings.soundfont, blocking=True)
    assert made[-1]["device"] in ("", None)
    with_settings_dialog(window, lambda d: d.set_audio_device("Studio Monitors"))
    assert window.settings.audio_device == "Studio Monitors"
    qtbot.waitUntil(lambda: bool(made) and made[-1]["device"] == "Studio Monitors",
                    timeout=10000)
    qtbot.waitUntil(lambda: window.playback.player is not None, timeout=10000)
    RecordingStream.opened_with.clear()
    assert window.playback.player.wait_ready()
    window.playback.play()
    qtbot.waitUntil(lambda: bool(RecordingStream.opened_with), timeout=10000)
    assert RecordingStream.opened_with[-1]["device"] == "Studio Monitors"
    window.playback.close()
    assert QSettings(str(paths.user_data_dir() / "settings.ini"),
                     QSettings.IniFormat).value("audio_device") == "Studio Monitors"


def test_the_music_model_folder_setting_is_the_model_that_generates(qtbot, tmp_path):
    from core.music.sample import default_model_dir

    window = make_window(qtbot)
    c = window.generation
    empty = tmp_path / "no-model-here"
    empty.mkdir()
    with_settings_dialog(window, lambda d: d.music_dir.edit.setText(str(empty)))
    assert window.settings.music_model_dir == str(empty)
    name, ok = run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=2, seed=1)))
    assert not ok and "no-model-here" in c.last_error
    copy = tmp_path / "my-model"
    shutil.copytree(default_model_dir(), copy)
    with_settings_dialog(window, lambda d: d.music_dir.edit.setText(str(copy)))
    name, ok = run_job(qtbot, c, lambda: c.generate_music(MusicParams(bars=2, seed=1)))
    assert ok and window.song.end_tick() > 0
    from core.music import sample

    assert any(str(copy.resolve()) == key[0] for key in sample._cache)
    window.playback.close()


def _ini() -> QSettings:
    return QSettings(str(paths.user_data_dir() / "settings.ini"), QSettings.IniFormat)


def test_a_version_1_settings_file_is_upgraded_on_load(tmp_path):
    project_dir = tmp_path / "songs"
    project_dir.mkdir()
    store = _ini()
    store.setValue("schema_version", 1)
    store.setValue("theme", "dark")
    store.setValue("recent_files", [str(project_dir / "a.songloom")])
    store.sync()
    s = settings_mod.load_settings()
    assert s.theme == "dark"
    # Version 2 added a folder per dialog; Open starts where the last song was opened.
    assert s.open_folder == str(project_dir)
    assert s.export_folder == ""  # never a song's (possibly read-only) folder
    settings_mod.save_settings(s)
    assert int(_ini().value("schema_version")) == settings_mod.SCHEMA_VERSION >= 2


def test_a_settings_file_from_a_newer_songloom_is_read_but_not_downgraded():
    store = _ini()
    store.setValue("schema_version", 99)
    store.setValue("theme", "light")
    store.setValue("a_future_setting", "kept")
    store.sync()
    s = settings_mod.load_settings()
    assert s.theme == "light"
    settings_mod.save_settings(s)
    again = _ini()
    assert int(again.value("schema_version")) == 99
    assert again.value("a_future_setting") == "kept"
