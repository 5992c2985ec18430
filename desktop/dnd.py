"""MIDI out to DAWs by drag and drop or the clipboard, and song files dropped in.

On drag start a fresh .mid is written into the user data ``exports`` folder with a name
a producer can recognise in their DAW (song, track, time), then handed over as a local
file URL with Qt.CopyAction: DAWs copy it, and Qt's default (MoveAction) would invite
the drop target to delete our file. Old exports are cleaned at start-up only, never
right after a drop (the DAW may still be reading the file).
"""

from __future__ import annotations

import atexit
import copy
import re
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDrag, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from core import paths
from desktop.i18n import translate

SONG_SUFFIXES = (".mid", ".midi", ".kar", ".songloom")
EXPORT_MAX_AGE_S = 7 * 24 * 3600


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text or "").strip("-")
    return slug[:40] or fallback


def song_for_export(song, track_index: int | None):
    """The whole song, or one track with the song's tempo, metre, key (and its lyrics
    when it is the melody: karaoke-aware DAWs and MuseScore show them)."""
    if track_index is None:
        return song
    out = copy.copy(song)
    track = song.tracks[track_index]
    out.tracks = [track]
    if track is not song.melody_track():
        out.lyrics = type(song.lyrics)()
    return out


def export_for_drag(song, track_index: int | None = None, folder: Path | None = None) -> Path:
    """Write a new uniquely named .mid for a drag or the clipboard and return its path."""
    from core.io.midi_io import write_midi

    folder = Path(folder) if folder is not None else paths.exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    parts = [_slug(song.title, "Untitled")]
    if track_index is not None:
        parts.append(_slug(song.tracks[track_index].name, f"track{track_index + 1}"))
    parts.append(time.strftime("%Y%m%d-%H%M%S"))
    stem = "-".join(parts)
    target = folder / f"{stem}.mid"
    n = 2
    while target.exists():  # two drags within a second get distinct files
        target = folder / f"{stem}-{n}.mid"
        n += 1
    # write_midi is atomic (temp file + rename): a DAW never sees a half-written file.
    write_midi(song_for_export(song, track_index), target)
    return target


def midi_mime_data(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


# Platforms with no system clipboard (offscreen: --screenshot, --selftest, CI) keep it in a
# Qt global that the C runtime destroys after Python has shut down; deleting our Python-made
# QMimeData then calls into a dead interpreter and segfaults at exit. Desktop platforms
# (xcb, wayland, windows, cocoa) own it in the application and may hand it to a clipboard
# manager at quit, so there it is left alone.
BUILTIN_CLIPBOARD_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb",
                                         "vkkhrdisplay"})
_release_hooked = False


def release_clipboard() -> None:
    """Drop our data from a Qt built-in clipboard while Python can still delete it."""
    app = QGuiApplication.instance()
    if app is not None and app.platformName() in BUILTIN_CLIPBOARD_PLATFORMS:
        app.clipboard().clear()


def _hook_release(app) -> None:
    global _release_hooked
    if _release_hooked:
        return
    _release_hooked = True
    app.aboutToQuit.connect(release_clipboard)  # the app's exec() ends: still all alive
    atexit.register(release_clipboard)  # an app that never quits (pytest-qt, scripts)


def copy_midi_to_clipboard(song, track_index: int | None = None) -> Path:
    """Put a fresh .mid on the clipboard as a file (paste it into a DAW or a file manager)."""
    path = export_for_drag(song, track_index)
    mime = midi_mime_data(path)
    mime.setText(str(path))
    app = QGuiApplication.instance()
    app.clipboard().setMimeData(mime)
    _hook_release(app)
    return path


def show_in_file_manager(path: Path) -> bool:
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def clean_old_exports(max_age_s: float = EXPORT_MAX_AGE_S, now: float | None = None) -> int:
    """Delete exported drag files older than a week. Called once, at start-up."""
    now = time.time() if now is None else now
    removed = 0
    for path in paths.exports_dir().glob("*.mid"):
        try:
            if now - path.stat().st_mtime > max_age_s:
                path.unlink()
                removed += 1
        except OSError:
            continue  # in use or already gone: try again next start
    return removed


def song_paths_from_mime(mime: QMimeData) -> list[Path]:
    """Local song files (.mid .midi .kar .songloom) among dropped URLs."""
    if not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in SONG_SUFFIXES:
                out.append(path)
    return out


class MidiDragHandle(QLabel):
    """A grip a producer drags into a DAW; right-click for copy / show in folder."""

    def __init__(self, song_getter, track_index: int | None = None, parent=None):
        super().__init__("⠿ MIDI", parent)
        self.song_getter = song_getter
        self.track_index = track_index
        self.last_path: Path | None = None
        self.on_error = None  # callable(str): where export errors are shown
        self._press: QPoint | None = None
        self.setToolTip(
            translate("Files", "Drag the whole song into your DAW as a MIDI file (right-click for "
                      "more)") if track_index is None else
            translate("Files", "Drag this track into your DAW as a MIDI file (right-click for "
                      "more)"))
        self.setCursor(Qt.OpenHandCursor)
        self.setStyleSheet("QLabel { border: 1px solid palette(mid); border-radius: 3px;"
                           " padding: 1px 4px; }")
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def export(self) -> Path:
        self.last_path = export_for_drag(self.song_getter(), self.track_index)
        return self.last_path

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self._press = event.position().toPoint()

    def mouseMoveEvent(self, event) -> None:
        if self._press is None:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < \
                QApplication.startDragDistance():
            return
        self._press = None
        self.start_drag()

    def mouseReleaseEvent(self, event) -> None:
        self._press = None

    def start_drag(self) -> Qt.DropAction | None:
        try:
            path = self.export()
        except Exception as exc:  # noqa: BLE001 - shown, not raised, in the GUI
            self._report(translate("Files", "Could not write the MIDI file: {exc}").format(exc=exc))
            return None
        drag = QDrag(self)
        drag.setMimeData(midi_mime_data(path))
        drag.setPixmap(self.grab())
        return drag.exec(Qt.CopyAction, Qt.CopyAction)

    def _report(self, text: str) -> None:
        if self.on_error:
            self.on_error(text)
        else:
            win = self.window()
            if hasattr(win, "statusBar"):
                win.statusBar().showMessage(text, 8000)

    def _menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction(translate("Files", "Copy MIDI file"), self.copy_to_clipboard)
        menu.addAction(translate("Files", "Show in file manager"), self.show_folder)
        menu.exec(self.mapToGlobal(pos))

    def copy_to_clipboard(self) -> Path | None:
        try:
            self.last_path = copy_midi_to_clipboard(self.song_getter(), self.track_index)
        except Exception as exc:  # noqa: BLE001
            self._report(translate("Files", "Could not write the MIDI file: {exc}").format(exc=exc))
            return None
        self._report(translate(
            "Files", "Copied {name}: paste it into your DAW").format(name=self.last_path.name))
        return self.last_path

    def show_folder(self) -> None:
        show_in_file_manager(self.last_path or paths.exports_dir())
