"""The main window: assembles the track list, piano roll, lyric area, docks, transport,
menus and status bar. It holds no music logic; edits go through SongDocument commands.

Hooks for the generation / lyrics / scores panels (issue 7): ``generate_dock``,
``scores_dock``, ``lyric_area`` + ``set_lyric_widget``, ``apply_song``, ``song_changed``,
``player``, ``undo_stack``.

Start-up (``contents_after_first_frame``, what the app uses): the first frame is the
window itself - menu bar, docks, status bar - painted before the song model, the piano
roll, the track list, the transport and their modules load; they are built one
event-loop turn after it (``contents_built``), about as long again. Everything that needs
the song waits for that signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from desktop.i18n import translate
from desktop.settings import Settings, load_settings, save_settings

CONTENTS_AT_THE_LATEST_MS = 500
DOCK_MIN_WIDTH = 270

if TYPE_CHECKING:
    from pathlib import Path

    from core.model.song import Song


def _placeholder(text: str) -> QWidget:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignCenter)
    label.setMargin(12)
    return label


def _keys(*keys) -> list:
    """Shortcut lists without repeats (a standard key may already be one of ours)."""
    from PySide6.QtGui import QKeySequence

    out: list = []
    for key in keys:
        for seq in (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                    else [QKeySequence(key)]):
            if not seq.isEmpty() and seq not in out:
                out.append(seq)
    return out


def _guard(top: QWidget) -> None:
    from desktop.panels.wheel_guard import guard_window

    guard_window(top)


def lyrics_plain_text(song: Song) -> str:
    parts = []
    for section in song.lyrics.sections:
        if section.lines:
            parts.append(f"[{section.name}]\n" + "\n".join(line.text for line in section.lines))
    return "\n\n".join(parts)


class MainWindow(QMainWindow):
    song_changed = Signal()
    # Once, when the first frame (this window and all its children) has been painted:
    # start-up work that must not delay that frame waits for it.
    first_frame_shown = Signal()
    contents_built = Signal()  # track list, piano roll, lyric area and menus are there

    def __init__(self, song: Song | None = None, settings: Settings | None = None,
                 player_factory=None, contents_after_first_frame: bool = False):
        """``contents_after_first_frame``: build the contents (song document, transport,
        track list, piano roll, lyric area, menu items) right after the first frame, not
        here (the module docstring says why). Without it (tests, screenshots, the
        self-test) everything is built here."""
        super().__init__()
        self._first_frame_pending = True
        self.contents_ready = False
        self._services_requested = False
        self._song_at_start = song
        self._player_factory = player_factory
        self.settings = settings or load_settings()
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.setCentralWidget(QWidget())  # the contents replace it

        # Right-hand docks, filled by the generation / scores panels.
        self.generate_dock = self._dock(
            translate("Main", "Generate"), "generate_dock",
            translate("Main", "Music and lyrics generation will appear here."))
        self.scores_dock = self._dock(translate("Main", "Scores"), "scores_dock",
                                      translate("Main", "Evaluation scores will appear here."))
        self.tabifyDockWidget(self.generate_dock, self.scores_dock)
        self.generate_dock.raise_()
        self._build_status_bar()
        mb = self.menuBar()  # the menus' titles now (no jump later), their items with the contents
        self.menus = {name: mb.addMenu(title) for name, title in (
            ("file", translate("Main", "&File")), ("edit", translate("Main", "&Edit")),
            ("view", translate("Main", "&View")), ("play", translate("Main", "&Play")),
            ("tools", translate("Main", "&Tools")), ("help", translate("Main", "&Help")))}
        self.setWindowTitle(
            ((song.title if song else "") or translate("Main", "Untitled")) + "[*] — Songloom")
        if contents_after_first_frame:  # a turn later: the first frame's own handlers first
            self.first_frame_shown.connect(
                lambda: QTimer.singleShot(0, self, self._build_contents))
            # A window never exposed (started minimised, on another desktop) paints no
            # frame: its contents come anyway.
            QTimer.singleShot(CONTENTS_AT_THE_LATEST_MS, self, self._build_contents)
        else:
            self._build_contents()

    def _build_contents(self) -> None:
        if self.contents_ready:
            return
        from PySide6.QtWidgets import QPlainTextEdit, QSplitter, QVBoxLayout

        from desktop.controllers.files import FileController, blank_song
        from desktop.panels.track_list import TrackList
        from desktop.panels.transport import Playback, TransportBar
        from desktop.pianoroll.commands import SongDocument
        from desktop.pianoroll.editor import PianoRollEditor

        song, self._song_at_start = self._song_at_start, None
        self.doc = SongDocument(song if song is not None else blank_song())
        self.doc.setParent(self)  # dies with the window, and its signals with it
        self.undo_stack = self.doc.undo_stack
        self.playback = Playback(self, player_factory=self._player_factory)
        self.audio_label.setText(self.playback.status)
        self.files = FileController(self, self.doc, self.settings, save_settings)

        # Centre: track list | (piano roll over lyric area)
        self.track_list = TrackList(self.doc)
        self.editor = PianoRollEditor(self.doc)
        self.lyric_area = QWidget()
        self.lyric_area.setObjectName("lyric_area")
        lyric_layout = QVBoxLayout(self.lyric_area)
        lyric_layout.setContentsMargins(0, 0, 0, 0)
        self.lyric_view = QPlainTextEdit()
        self.lyric_view.setReadOnly(True)
        self.lyric_view.setPlaceholderText(translate(
            "Main", "Lyrics appear here (write them in the lyrics panel)."))
        lyric_layout.addWidget(self.lyric_view)
        self.lyric_widget: QWidget = self.lyric_view
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.editor)
        right.addWidget(self.lyric_area)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        # The lyric editor keeps room for its buttons and a few lines at 640 pixels high.
        right.setSizes([520, 210])
        centre = QSplitter(Qt.Horizontal)
        centre.addWidget(self.track_list)
        centre.addWidget(right)
        centre.setStretchFactor(1, 1)
        centre.setSizes([222, 1000])  # 1024-pixel screens: the piano roll keeps 400+ px
        self.setCentralWidget(centre)
        self.transport = TransportBar(self.doc, self.playback, self)
        self.addToolBar(Qt.TopToolBarArea, self.transport)

        self._build_menus()
        self._connect()
        self._refresh()
        self.update_title()
        self.contents_ready = True
        from desktop.controllers.integration import (
            install_generation_features,  # issue 7 (generation)
        )

        self.generation = install_generation_features(self)
        self.contents_built.emit()
        if self._services_requested:  # the app asked before the contents were there
            self.start_background_services()

    # -- contract hooks ------------------------------------------------------------------------
    @property
    def first_frame_pending(self) -> bool:
        """True until the window has painted its first frame (first_frame_shown follows)."""
        return self._first_frame_pending

    @property
    def song(self) -> Song:
        return self.doc.song

    @property
    def player(self):
        """The core Player (None until audio started, or when there is no audio)."""
        return self.playback.player

    def set_lyric_widget(self, widget: QWidget) -> None:
        layout = self.lyric_area.layout()
        layout.removeWidget(self.lyric_widget)
        self.lyric_widget.setParent(None)
        self.lyric_widget = widget
        layout.addWidget(widget)

    def apply_song(self, new_song: Song, text: str) -> None:
        """Replace the whole song as ONE undoable step (a generation, a continuation)."""
        from desktop.pianoroll.commands import ReplaceSongCommand

        self.undo_stack.push(ReplaceSongCommand(self.doc, new_song, text))

    # -- assembly ------------------------------------------------------------------------------
    def _dock(self, title: str, name: str, text: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(_placeholder(text))
        dock.setAllowedAreas(Qt.RightDockWidgetArea | Qt.LeftDockWidgetArea)
        # Narrow enough for a 1024-pixel screen beside the track list and the piano roll;
        # the panels are laid out to fit it (no sideways scrolling).
        dock.setMinimumWidth(DOCK_MIN_WIDTH)
        # Floating, the dock is a window of its own: its inputs ignore a passing wheel too.
        dock.topLevelChanged.connect(lambda floating, d=dock: floating and _guard(d))
        self.addDockWidget(Qt.RightDockWidgetArea, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.device_label = QLabel(translate("Main", "Compute: detecting…"))
        self.audio_label = QLabel(translate("Main", "Audio: starting…"))
        for label in (self.device_label, self.audio_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _build_menus(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence

        from desktop.controllers.files import build_file_menu

        build_file_menu(self, self.menus["file"])
        edit = self.menus["edit"]
        undo = self.undo_stack.createUndoAction(self, translate("Main", "&Undo"))
        undo.setShortcuts(_keys(QKeySequence.Undo, "Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, translate("Main", "&Redo"))
        # Ctrl+Y and Ctrl+Shift+Z on every platform (Linux's standard list lacks Ctrl+Y).
        redo.setShortcuts(_keys("Ctrl+Y", "Ctrl+Shift+Z", QKeySequence.Redo))
        edit.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        edit.addSeparator()
        for action in self.editor.edit_actions:
            if action.data() == "view":  # (zooming and framing: the View menu)
                continue
            edit.addAction(action)  # shortcuts live on the editor (focus-scoped)
        edit.addSeparator()
        edit.addAction(translate("Main", "Add Track"), self.track_list.add_track)
        edit.addAction(translate("Main", "Duplicate Track"), self.track_list.duplicate_track)
        edit.addAction(translate("Main", "Remove Track"), self.track_list.remove_track)
        view = self.menus["view"]
        for action in self.editor.edit_actions:
            if action not in edit.actions():
                view.addAction(action)
        view.addSeparator()
        view.addAction(self.generate_dock.toggleViewAction())
        view.addAction(self.scores_dock.toggleViewAction())
        play = self.menus["play"]
        play.addActions([self.transport.play_action, self.transport.stop_action,
                         self.transport.loop_action])
        tools = self.menus["tools"]
        settings = QAction(translate("Main", "&Settings…"), self)
        settings.setShortcut(QKeySequence.Preferences)
        settings.triggered.connect(self.open_settings)
        tools.addAction(settings)
        from desktop.controllers.help_menu import build_help_menu, menu_actions

        build_help_menu(self, self.menus["help"])
        # The window's own keys work wherever the focus is: in a lyric line just edited, a
        # floating Generate or Scores dock, the track list. (Text fields still keep their
        # own Ctrl+Z while they have unsaved typing: Qt asks them first.)
        # Single keys (Space, Home, L) stay with the window: in a floating dock they belong
        # to its buttons and fields.
        for menu in self.menus.values():
            for action in menu_actions(menu):
                keys = action.shortcut()
                if not keys.isEmpty() and keys[0].keyboardModifiers() \
                        and action.shortcutContext() == Qt.ShortcutContext.WindowShortcut:
                    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def _connect(self) -> None:
        d, e = self.doc, self.editor
        d.changed.connect(self._refresh)
        d.changed.connect(self.song_changed)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.track_list.active_changed.connect(e.set_active_track)
        e.audition_requested.connect(self._audition)
        e.seek_requested.connect(self.playback.seek)
        e.loop_requested.connect(self.transport.set_loop_range)
        self.transport.loop_changed.connect(e.set_loop)
        self.playback.position_changed.connect(
            lambda tick: e.set_playhead(tick, follow=self.playback.is_playing))
        self.playback.audio_status.connect(self.audio_label.setText)
        self.files.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.track_list.song_drag.on_error = lambda text: self.statusBar().showMessage(text, 8000)

    def _refresh(self) -> None:
        if self.lyric_widget is self.lyric_view:
            text = lyrics_plain_text(self.doc.song)
            if text != self.lyric_view.toPlainText():
                self.lyric_view.setPlainText(text)
        self.playback.load(self.doc.song)
        self.update_title()

    def _audition(self, pitch: int) -> None:
        tracks = self.doc.song.tracks
        i = self.editor.view.active_track
        t = tracks[i] if 0 <= i < len(tracks) else None
        self.playback.audition(pitch, program=t.program if t else 0, channel=t.channel if t else 0)

    def _clean_changed(self, _clean: bool) -> None:
        self.update_title()

    def update_title(self) -> None:
        name = self.files.display_name()
        self.setWindowTitle(f"{name}[*] — Songloom")
        self.setWindowModified(self.doc.modified)

    # -- start-up work after the window is shown --------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        _guard(self)  # the wheel scrolls panels, it does not change unfocused inputs

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._first_frame_pending:
            self._first_frame_pending = False
            # The children paint in this same pass, after this widget: signal after it.
            QTimer.singleShot(0, self, self.first_frame_shown.emit)

    def start_background_services(self) -> None:
        """Audio after the first frame is on screen; the player is made on a background
        thread (PortAudio's start takes a few hundred ms). The compute device is found
        once, by the generation warm-up (desktop/controllers/integration.py), which sets the
        label."""
        if not self.contents_ready:  # the generation warm-up hooks in with the contents
            self._services_requested = True
            return
        # With the playback as context: Qt drops the call if the window is gone by then.
        QTimer.singleShot(300, self.playback, lambda: self.playback.start(
            self.settings.soundfont, device=self.settings.audio_device))

    def detect_device(self, blocking: bool = False) -> None:
        """Find the compute device again (Settings changed it; screenshots). At start-up
        the generation warm-up finds it instead: one detection, not two."""
        preference = self.settings.compute_device

        def find(progress=None, cancel=None):
            from core.device import choose_device
            from desktop.runtime.process_tweaks import preload_torch_libraries

            preload_torch_libraries()  # the one job here that needs torch
            return choose_device(preference)

        def show(device: str) -> None:
            names = {"cuda": "GPU (CUDA)", "mps": "GPU (Apple MPS)", "cpu": "CPU"}
            self.device_label.setText(
                translate("Main", "Compute: {device}").format(device=names.get(device, device)))
            self.compute_device = device
            if not blocking:  # a new choice in Settings: the next jobs run there
                self.generation.preference = preference
                self.generation.device = device

        if blocking:
            try:
                show(find())
            except Exception as exc:  # noqa: BLE001
                self.device_label.setText(translate("Main", "Compute: {device}").format(device=exc))
            return
        from desktop.runtime.workers import Worker

        self._device_worker = Worker(find, name="device", parent=self)
        self._device_worker.result.connect(show)
        self._device_worker.error.connect(lambda msg: self.device_label.setText(
            translate("Main", "Compute: {device}").format(device=f"CPU ({msg})")))
        self._device_worker.start()

    # -- dialogs -------------------------------------------------------------------------------------
    def open_settings(self) -> None:
        from desktop.panels.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        _guard(dialog)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> None:
        """Save ``new`` and make every change take effect now, without a restart."""
        from desktop.theme import apply_theme

        old = Settings(**self.settings.__dict__)
        self.settings.__dict__.update(new.__dict__)
        save_settings(self.settings)
        self.files.set_autosave_interval(new.autosave_interval_s)
        if new.theme != old.theme:
            from PySide6.QtWidgets import QApplication

            apply_theme(QApplication.instance(), new.theme)
        if (new.soundfont, new.audio_device) != (old.soundfont, old.audio_device):
            self.playback.restart(new.soundfont, new.audio_device)
        if new.compute_device != old.compute_device:
            self.detect_device()
        if new.lyrics_model_dir != old.lyrics_model_dir:
            self.generation.lyrics_folder_changed(new.lyrics_model_dir)
        if new.language != old.language:  # the texts are set as the widgets are built
            self.statusBar().showMessage(translate(
                "Main", "The new language takes effect when Songloom starts again"), 10000)

    def show_about(self) -> None:
        from desktop.panels.about import AboutDialog

        AboutDialog(self).exec()

    # -- drops and closing -------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        from desktop import dnd

        # Our own MIDI handles dragged over the window are on their way to a DAW.
        if not self.contents_ready or isinstance(event.source(), dnd.MidiDragHandle):
            event.ignore()
        elif dnd.song_paths_from_mime(event.mimeData()):
            event.setDropAction(Qt.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        from desktop import dnd

        paths = dnd.song_paths_from_mime(event.mimeData())
        if paths:
            event.setDropAction(Qt.CopyAction)
            event.accept()
            # Opening may ask about unsaved changes: not inside the platform's drop handler.
            QTimer.singleShot(0, lambda: self.files.open_path(paths[0]))

    def closeEvent(self, event) -> None:
        if not self.contents_ready:  # closed within its first frames: nothing to lose yet
            event.accept()
        elif self.files.on_close():
            self.playback.close()
            event.accept()
        else:
            event.ignore()

    def open_file(self, path: str | Path) -> bool:
        return self.files.open_path(path, ask=False)
