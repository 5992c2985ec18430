"""The piano-roll editor: tool bar, keyboard, ruler, grid, velocity lane and scroll bars,
cooperating through one RollMapping and one SongDocument."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model.song import TICKS_PER_BEAT
from desktop.i18n import translate
from desktop.pianoroll import tools
from desktop.pianoroll.empty_hint import EmptySongHint
from desktop.pianoroll.form_lanes import ChordLane, SectionLane
from desktop.pianoroll.keyboard import KeyboardWidget
from desktop.pianoroll.lyric_lane import LyricLane
from desktop.pianoroll.mapping import RollMapping
from desktop.pianoroll.ruler import RulerWidget
from desktop.pianoroll.velocity_lane import VelocityLane
from desktop.pianoroll.view import SNAP_CHOICES, NoteGridView
from desktop.widgets.elided_label import ElidedLabel


class PianoRollEditor(QWidget):
    audition_requested = Signal(int)  # pitch
    seek_requested = Signal(int)
    loop_requested = Signal(int, int)
    # A chord was edited and the user asked the accompaniment to follow it: the roles to
    # regenerate (the other tracks are kept).
    follow_chords_requested = Signal(tuple)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.mapping = RollMapping()
        self.view = NoteGridView(self.mapping)
        self.keyboard = KeyboardWidget(self.mapping)
        self.ruler = RulerWidget(self.mapping)
        self.velocity_lane = VelocityLane(self.view, doc)
        self.lyric_lane = LyricLane(self.view)
        self.section_lane = SectionLane(self.view, doc)
        self.chord_lane = ChordLane(self.view, doc)
        self.empty_hint = EmptySongHint(self.view)
        self.tool = tools.NoteTool(self.view, doc, audition=self.audition_requested.emit)
        self.view.tool = self.tool
        self._fitted_once = False

        self.hbar = QScrollBar(Qt.Horizontal)
        self.vbar = QScrollBar(Qt.Vertical)
        self.hbar.valueChanged.connect(lambda v: self.mapping.set_scroll(x=v))
        self.vbar.valueChanged.connect(lambda v: self.mapping.set_scroll(y=v))
        self.mapping.changed.connect(self._sync_scrollbars)

        self.keyboard.key_pressed.connect(self.audition_requested)
        self.view.cursor_pitch.connect(self.keyboard.set_highlight)
        self.ruler.seek_requested.connect(self.seek_requested)
        self.ruler.loop_requested.connect(self.loop_requested)

        grid = QGridLayout()
        grid.setSpacing(0)
        grid.setContentsMargins(0, 0, 0, 0)
        # Form and chords above the ruler, as a lead sheet reads: section, chord, bar.
        for row, (name, lane) in enumerate(((translate("Roll", "Form"), self.section_lane),
                                            (translate("Roll", "Chords"), self.chord_lane))):
            label = QLabel(name)
            label.setAlignment(Qt.AlignCenter)
            grid.addWidget(label, row, 0)
            grid.addWidget(lane, row, 1)
        grid.addWidget(self.ruler, 2, 1)
        grid.addWidget(self.keyboard, 3, 0)
        grid.addWidget(self.view, 3, 1)
        grid.addWidget(self.vbar, 3, 2)
        self.lyric_lane_label = QLabel(translate("Roll", "Lyrics"))
        self.lyric_lane_label.setAlignment(Qt.AlignCenter)
        grid.addWidget(self.lyric_lane_label, 4, 0)
        grid.addWidget(self.lyric_lane, 4, 1)
        vel_label = QLabel(translate("Roll", "Vel"))
        vel_label.setAlignment(Qt.AlignCenter)
        grid.addWidget(vel_label, 5, 0)
        grid.addWidget(self.velocity_lane, 5, 1)
        grid.addWidget(self.hbar, 6, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._build_toolbar())
        layout.addLayout(grid, 1)
        self.edit_actions = self._build_edit_actions()
        for action in self.edit_actions:
            # Note edits (Delete, arrows, Ctrl+A) act only while the piano roll has focus,
            # so typing in the lyric editor is never taken for a note edit; zooming and
            # framing the song work wherever the focus is.
            action.setShortcutContext(Qt.ApplicationShortcut if action.data() == "view"
                                      else Qt.WidgetWithChildrenShortcut)
            self.addAction(action)
        doc.changed.connect(self.refresh)
        self.chord_lane.chord_edited.connect(lambda _i: self._offer_follow())
        doc.replaced.connect(self._on_replaced)
        doc.opened.connect(self._on_opened)
        self.refresh()

    # -- tool bar ---------------------------------------------------------------------------
    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        self.tool_group = QActionGroup(self)
        self.draw_button = self._tool_button(
            "Draw", translate("Roll", "Draw"), "D", translate(
                "Roll", "Draw: click to add a note, drag to set its length; right-click deletes"))
        self.select_button = self._tool_button(
            "Select", translate("Roll", "Select"), "S", translate(
                "Roll", "Select: click or drag a box; drag notes to move, their ends to resize"))
        self.draw_button.defaultAction().setChecked(True)
        row.addWidget(self.draw_button)
        row.addWidget(self.select_button)
        row.addSpacing(12)
        row.addWidget(QLabel(translate("Roll", "Snap")))
        self.snap_combo = QComboBox()
        for label, ticks in SNAP_CHOICES:
            self.snap_combo.addItem(translate("Roll", label), ticks)
        self.snap_combo.setCurrentIndex(2)  # 1/16
        self.snap_combo.currentIndexChanged.connect(self._snap_changed)
        self.snap_combo.setToolTip(translate("Roll", "Snap notes to the grid"))
        row.addWidget(self.snap_combo)
        row.addSpacing(12)
        self.ghost_button = QToolButton()
        self.ghost_button.setText(translate("Roll", "Other tracks"))
        self.ghost_button.setCheckable(True)
        self.ghost_button.setChecked(True)
        self.ghost_button.setToolTip(
            translate("Roll", "Show the other tracks' notes faintly (ghost notes)"))
        self.ghost_button.toggled.connect(self._ghosts_toggled)
        row.addWidget(self.ghost_button)
        self.follow_button = QToolButton()
        self.follow_button.setText(translate("Roll", "Follow"))
        self.follow_button.setCheckable(True)
        self.follow_button.setChecked(True)
        self.follow_button.setToolTip(translate("Roll", "Scroll with the playhead during playback"))
        row.addWidget(self.follow_button)
        # A take selected in the Generate panel is drawn over the song: say which.
        self.preview_label = QLabel()
        self.preview_label.setStyleSheet("QLabel { background: #e0a030; color: black; "
                                         "border-radius: 3px; padding: 1px 6px; }")
        self.preview_label.hide()
        row.addWidget(self.preview_label)
        # Offered after a chord edit: the accompaniment was written over the old chord.
        self.follow_chords_button = QToolButton()
        self.follow_chords_button.setText(translate("Roll", "Regenerate harmony/bass to follow"))
        self.follow_chords_button.setToolTip(translate(
            "Roll", "Write the harmony and bass again over the edited chords; the melody and "
            "the other tracks are kept"))
        self.follow_chords_button.setStyleSheet("QToolButton { background: #2e7d32; color: white; "
                                         "border-radius: 3px; padding: 1px 6px; }")
        self.follow_chords_button.clicked.connect(self._follow_chords)
        self.follow_chords_button.hide()
        row.addWidget(self.follow_chords_button)
        # The rest of the row: elided, so a long track name never widens the editor.
        self.track_label = ElidedLabel()
        self.track_label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        row.addWidget(self.track_label, 1)
        return row

    def set_preview(self, song, name: str = "") -> None:
        """Draw ``song`` (a take) over the one being edited, outlined; None ends it."""
        self.view.set_preview(song)
        if song is None:
            self.preview_label.hide()
        else:
            self.preview_label.setText(translate(
                "Roll", "Showing {name}: outlined (Keep this take to use it)").format(name=name))
            self.preview_label.setToolTip(translate(
                "Roll", "{name} is drawn as outlined notes over the song. The song itself is "
                "unchanged until you keep it.").format(name=name))
            self.preview_label.show()

    def _offer_follow(self) -> None:
        roles = [r for r in ("harmony", "bass") if self.doc.song.track_by_role(r) is not None]
        self.follow_chords_button.setVisible(bool(roles))

    def _follow_chords(self) -> None:
        self.follow_chords_button.hide()
        roles = tuple(r for r in ("harmony", "bass")
                      if self.doc.song.track_by_role(r) is not None)
        if roles:
            self.follow_chords_requested.emit(roles)

    def _tool_button(self, name: str, label: str, key: str, tip: str) -> QToolButton:
        action = QAction(label, self)  # (the mode is the English name)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({key})")
        action.triggered.connect(lambda: setattr(self.tool, "mode", name.lower()))
        self.tool_group.addAction(action)
        self.addAction(action)
        button = QToolButton()
        button.setDefaultAction(action)
        return button

    def set_tool(self, mode: str) -> None:
        self.tool.mode = mode
        (self.draw_button if mode == "draw" else self.select_button).defaultAction().setChecked(
            True)

    def _snap_changed(self) -> None:
        ticks = self.snap_combo.currentData()
        self.view.snap = ticks
        self.ruler.snap = ticks or TICKS_PER_BEAT // 4
        self.view.update()

    def _ghosts_toggled(self, on: bool) -> None:
        self.view.show_ghosts = on
        self.view.update()

    # -- Edit menu actions (the main window puts them in its menu) ------------------------------
    def _build_edit_actions(self) -> list[QAction]:
        v, d = self.view, self.doc

        def act(text, shortcut, fn, view=False):
            a = QAction(text, self)
            # What the menus sort by (the text is translated): a view action's keys work
            # wherever the focus is, and it goes in the View menu.
            a.setData("view" if view else "edit")
            a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(lambda: (fn(), v.update(), self.velocity_lane.update()))
            return a

        step = lambda: v.snap or TICKS_PER_BEAT // 4  # noqa: E731
        return [
            act(translate("Roll", "Select All Notes"),
                QKeySequence.SelectAll, lambda: tools.select_all(v)),
            act(translate("Roll", "Delete Notes"),
                QKeySequence.Delete, lambda: tools.delete_selection(v, d)),
            act(translate("Roll", "Duplicate Notes"),
                "Ctrl+D", lambda: tools.duplicate_selection(v, d)),
            act(translate("Roll", "Transpose Up"),
                "Up", lambda: tools.transform_selection(v, d, "Transpose", dp=1)),
            act(translate("Roll", "Transpose Down"), "Down",
                lambda: tools.transform_selection(v, d, "Transpose", dp=-1)),
            act(translate("Roll", "Octave Up"), "Shift+Up",
                lambda: tools.transform_selection(v, d, "Transpose", dp=12)),
            act(translate("Roll", "Octave Down"), "Shift+Down",
                lambda: tools.transform_selection(v, d, "Transpose", dp=-12)),
            act(translate("Roll", "Nudge Later"), "Right",
                lambda: tools.transform_selection(v, d, "Nudge", dt=step())),
            act(translate("Roll", "Nudge Earlier"), "Left",
                lambda: tools.transform_selection(v, d, "Nudge", dt=-step())),
            act(translate("Roll", "Zoom In"),
                QKeySequence.ZoomIn, lambda: self.mapping.zoom_x(1.25), True),
            act(translate("Roll", "Zoom Out"),
                QKeySequence.ZoomOut, lambda: self.mapping.zoom_x(0.8), True),
            act(translate("Roll", "Taller Rows"),
                "Ctrl+Shift+=", lambda: self.mapping.zoom_y(1), True),
            act(translate("Roll", "Shorter Rows"),
                "Ctrl+Shift+-", lambda: self.mapping.zoom_y(-1), True),
            act(translate("Roll", "Fit Song"), "Ctrl+0", self.fit_song, True),
        ]

    # -- model -> view ---------------------------------------------------------------------------
    def set_active_track(self, index: int) -> None:
        if index != self.view.active_track:
            self.view.active_track = index
            self.view.selection = set()
            self._reveal_track(index)
        self.refresh()

    def _track_range(self, index: int) -> tuple[int, int] | None:
        tracks = self.doc.song.tracks
        if not 0 <= index < len(tracks) or not tracks[index].notes:
            return None
        pitches = [n.pitch for n in tracks[index].notes]
        return min(pitches), max(pitches)

    def _reveal_track(self, index: int) -> None:
        """Switching to a track whose notes are all off screen (the bass below a melody view)
        scrolls to them, as FL Studio and Ableton do; a track already in view stays put."""
        span = self._track_range(index)
        if span is None:
            return
        low, high = self.mapping.visible_pitches()
        if span[1] < low or span[0] > high:
            self.mapping.centre_pitches(*span)

    def _on_replaced(self) -> None:
        self.follow_chords_button.hide()  # a new song (or its accompaniment rewritten)
        self.view.selection = set()
        self.view._arrays.clear()

    def _on_opened(self) -> None:
        """A song was opened: frame all of it, as DAWs do on opening a project."""
        if self.isVisible():
            self.fit_song()
        else:
            self._fitted_once = False  # fit when first shown

    def refresh(self) -> None:
        song = self.doc.song
        self.view.set_song(song)
        self.ruler.song = song
        tracks = song.tracks
        # The drum track's keyboard names its rows by drum (Kick, Snare ...), not by pitch.
        self.keyboard.set_drum_track(
            0 <= self.view.active_track < len(tracks) and tracks[self.view.active_track].is_drum)
        if tracks and 0 <= self.view.active_track < len(tracks):
            t = tracks[self.view.active_track]
            self.track_label.setText(translate("Roll", "Editing: {name} · {n} notes").format(
                name=t.name, n=len(t.notes)))
        else:
            self.track_label.setText(translate("Roll", "No tracks: add one in the track list"))
        self.lyric_lane.setVisible(not song.lyrics.is_empty())
        self.lyric_lane_label.setVisible(self.lyric_lane.isVisibleTo(self))
        self.empty_hint.sync()
        self._sync_scrollbars()
        self.ruler.update()
        self.velocity_lane.update()
        self.lyric_lane.update()
        self.view.update()

    def fit_song(self) -> None:
        """Frame the whole length, and vertically the track being edited (the others show as
        ghost notes): three tracks over five octaves squeezed into one view leave rows too thin
        to read or to click."""
        song = self.doc.song
        span = self._track_range(self.view.active_track)
        if span is None:
            pitches = [n.pitch for t in song.tracks for n in t.notes]
            span = (min(pitches), max(pitches)) if pitches else (48, 84)
        low, high = span
        end = max(song.end_tick(), song.ticks_per_bar() * 4)
        self.mapping.fit(end, low, high)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            self.fit_song()

    def _sync_scrollbars(self) -> None:
        m = self.mapping
        content = max(self.doc.song.end_tick(), self.doc.song.ticks_per_bar() * 8) * 1.25
        for bar, maximum, page, value in (
            (self.hbar, max(0, int(content * m.px_per_tick - m.view_width)), m.view_width,
             m.scroll_x),
            (self.vbar, max(0, m.total_height - m.view_height), m.view_height, m.scroll_y),
        ):
            bar.blockSignals(True)
            bar.setRange(0, max(maximum, int(value)))
            bar.setPageStep(max(1, int(page)))
            bar.setSingleStep(20)
            bar.setValue(int(value))
            bar.blockSignals(False)

    def set_playhead(self, tick: float | None, follow: bool = True) -> None:
        self.view.playhead_tick = tick
        self.ruler.playhead_tick = tick
        if tick is not None and follow and self.follow_button.isChecked():
            self.mapping.ensure_tick_visible(tick)
        self.view.update()
        self.ruler.update()

    def set_loop(self, loop: tuple[int, int] | None) -> None:
        self.view.loop = loop
        self.ruler.loop = loop
        self.view.update()
        self.ruler.update()
