"""The track list: name, GM instrument, mute/solo, colour and a MIDI drag handle per track.

Clicking a row makes that track the one edited in the piano roll. Every change is an
undoable command on the song (TrackPropertyCommand / ReplaceTracksCommand).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model.song import Track
from core.model.theory import GM_DRUM_KITS as KIT_NAMES
from core.model.theory import GM_PROGRAM_NAMES
from desktop.dnd import MidiDragHandle
from desktop.i18n import translate
from desktop.pianoroll.commands import ReplaceTracksCommand, TrackPropertyCommand
from desktop.theme import track_color

ROLES = (QT_TRANSLATE_NOOP("Tracks", "melody"), QT_TRANSLATE_NOOP("Tracks", "harmony"),
         QT_TRANSLATE_NOOP("Tracks", "bass"), QT_TRANSLATE_NOOP("Tracks", "drums"))  # shown
ROLE_DEFAULTS = {"melody": 73, "harmony": 0, "bass": 32}  # flute, piano, acoustic bass


class TrackRow(QFrame):
    clicked = Signal(int)

    def __init__(self, owner: TrackList, index: int):
        super().__init__()
        self.owner, self.index = owner, index
        self.setFrameShape(QFrame.StyledPanel)
        self.setAutoFillBackground(True)
        doc = owner.doc
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 3, 4, 3)
        outer.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(3)
        self.swatch = QToolButton()
        self.swatch.setFixedSize(16, 16)
        self.swatch.setToolTip(translate("Tracks", "Track colour"))
        self.swatch.clicked.connect(self._choose_color)
        # The name reads as a label: one click selects the track (a click used to start a
        # rename, so selecting a track was hard); a double click renames it.
        self.name = QLineEdit()
        self.name.setToolTip(translate(
            "Tracks", "Double-click to rename (the name goes into exported MIDI files)"))
        self.name.setReadOnly(True)
        self.name.setFrame(False)
        self.name.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.name.setCursor(Qt.CursorShape.ArrowCursor)
        self.name.installEventFilter(self)
        self.name.editingFinished.connect(self._rename)
        self.mute = self._switch("M", "mute", translate("Tracks", "Mute"),
                                 translate("Tracks", "Unmute"))
        self.solo = self._switch("S", "solo", translate("Tracks", "Solo"),
                                 translate("Tracks", "Unsolo"))
        self.drag = MidiDragHandle(lambda: doc.song, track_index=index)
        for w in (self.swatch, self.name, self.mute, self.solo):
            top.addWidget(w)
        top.setStretch(1, 1)
        outer.addLayout(top)
        self.program = QComboBox()
        self.program.setMinimumContentsLength(12)
        self.program.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self._kits: bool | None = None  # which list the box holds: drum kits or programs
        self.program.setToolTip(translate(
            "Tracks", "General MIDI instrument (a drum track: its drum kit)"))
        self.program.currentIndexChanged.connect(self._program_chosen)
        self.info = QLabel()  # role and note count, in the row's tooltip
        bottom = QHBoxLayout()
        bottom.setSpacing(3)
        bottom.addWidget(self.program, 1)
        bottom.addWidget(self.drag)
        outer.addLayout(bottom)
        self.refresh()

    def track(self) -> Track:
        return self.owner.doc.song.tracks[self.index]

    def refresh(self) -> None:
        t = self.track()
        with QSignalBlocker(self.name):
            if not self.name.hasFocus():
                self.name.setText(t.name)
        for box, value in ((self.mute, t.mute), (self.solo, t.solo)):
            with QSignalBlocker(box):
                box.setChecked(value)
        with QSignalBlocker(self.program):
            self._fill_programs(t.is_drum)
            at = self.program.findData(t.program)
            if at < 0:  # a kit number this list does not name (a MIDI file's own)
                self.program.addItem(translate(
                    "Tracks", "{number:03d} Kit {number}").format(number=t.program + 1), t.program)
                at = self.program.count() - 1
            self.program.setCurrentIndex(at)
        colour = track_color(t, self.index)
        self.swatch.setStyleSheet(f"background: {colour}; border: 1px solid #555;")
        role = translate("Tracks", "drums") if t.is_drum else translate("Tracks", t.role)
        self.info.setText(f"{role} · {len(t.notes)}")
        self.setToolTip(translate(
            "Tracks", "{name}: {role}, {n} notes, MIDI channel {channel}. Click to edit it in "
            "the piano roll.").format(name=t.name, role=role, n=len(t.notes),
                                      channel=t.channel + 1))
        self.set_active(self.index == self.owner.active)

    def set_active(self, on: bool) -> None:
        pal = self.palette()
        base = self.owner.palette().base().color()
        pal.setColor(self.backgroundRole(), pal.highlight().color().lighter(170)
                     if on and base.lightness() > 128 else
                     pal.highlight().color().darker(180) if on else base)
        self.setPalette(pal)

    def _switch(self, text: str, attr: str, on: str, off: str) -> QToolButton:
        """The M or S button: checking it sets the track's ``attr`` (the undo step is
        called ``on``, unchecking it ``off``)."""
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolTip(on)
        button.toggled.connect(lambda checked: self._set(attr, checked, on if checked else off))
        return button

    def _set(self, attr: str, value, text: str) -> None:
        if getattr(self.track(), attr) != value:
            self.owner.doc.push(TrackPropertyCommand(
                self.owner.doc, self.index, f"{text} {self.track().name}", **{attr: value}))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.name and self.name.isReadOnly():
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress:
                self.clicked.emit(self.index)
                return True
            if kind == QEvent.Type.MouseButtonDblClick:
                self.start_rename()
                return True
        elif obj is self.name and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:  # give up the rename
            self.name.setText(self.track().name)
            self._end_rename()
            return True
        return super().eventFilter(obj, event)

    def start_rename(self) -> None:
        self.clicked.emit(self.index)
        self.name.setReadOnly(False)
        self.name.setFrame(True)
        self.name.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.name.setCursor(Qt.CursorShape.IBeamCursor)
        self.name.setFocus(Qt.FocusReason.MouseFocusReason)
        self.name.selectAll()

    def _end_rename(self) -> None:
        self.name.setReadOnly(True)
        self.name.setFrame(False)
        self.name.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.name.setCursor(Qt.CursorShape.ArrowCursor)
        self.name.clearFocus()

    def _rename(self) -> None:
        if self.name.isReadOnly():
            return
        name = self.name.text().strip()
        self._end_rename()
        if name and name != self.track().name:
            self._set("name", name, translate("Tracks", "Rename track to"))
        else:
            self.name.setText(self.track().name)

    def _fill_programs(self, kits: bool) -> None:
        """The GM instruments, or for a drum track the GM drum kits (programs on the drum
        bank: Standard, Room, Power, Electronic, TR-808, Jazz, Brush, Orchestra)."""
        if self._kits == kits:
            return
        self._kits = kits
        self.program.clear()
        names = KIT_NAMES.items() if kits else enumerate(GM_PROGRAM_NAMES)
        for number, name in names:
            self.program.addItem(f"{number + 1:03d} {name}" + (translate(
                "Tracks", " kit") if kits else ""), number)

    def _program_chosen(self) -> None:
        program = self.program.currentData()
        if program is None:
            return
        if self.track().is_drum:
            what = translate("Tracks", "Drum kit {name} for").format(
                name=KIT_NAMES.get(program, program + 1))
        else:
            what = translate("Tracks", "Instrument {name} for").format(
                name=GM_PROGRAM_NAMES[program])
        self._set("program", program, what)

    def _choose_color(self) -> None:
        colour = QColorDialog.getColor(QColor(track_color(self.track(), self.index)), self,
                                       translate("Tracks", "Track colour"))
        if colour.isValid():
            self._set("color", colour.name(), translate("Tracks", "Colour of"))

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.index)
        super().mousePressEvent(event)


class TrackList(QWidget):
    active_changed = Signal(int)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.active = 0
        self.rows: list[TrackRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        head = QHBoxLayout()
        title = QLabel(translate("Tracks", "<b>Tracks</b>"))
        self.song_drag = MidiDragHandle(lambda: doc.song, track_index=None)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(QLabel(translate("Tracks", "Whole song:")))
        head.addWidget(self.song_drag)
        layout.addLayout(head)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.NoFrame)
        self.container = QWidget()
        self.rows_layout = QVBoxLayout(self.container)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(3)
        self.rows_layout.addStretch(1)
        self.area.setWidget(self.container)
        layout.addWidget(self.area, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(translate("Tracks", "+ Track"))
        self.add_button.setToolTip(translate("Tracks", "Add an empty track"))
        self.add_button.clicked.connect(self.add_track)
        self.remove_button = QPushButton(translate("Tracks", "− Track"))
        self.remove_button.setToolTip(translate("Tracks", "Remove the selected track (undoable)"))
        self.remove_button.clicked.connect(self.remove_track)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(222)  # a card's content; on 1024-pixel screens the roll keeps 400+
        doc.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        tracks = self.doc.song.tracks
        if len(self.rows) != len(tracks):
            for row in self.rows:
                row.setParent(None)
                row.deleteLater()
            self.rows = []
            for i in range(len(tracks)):
                row = TrackRow(self, i)
                row.clicked.connect(self.set_active)
                self.rows_layout.insertWidget(i, row)
                self.rows.append(row)
            if self.active >= len(tracks):
                self.set_active(max(0, len(tracks) - 1))
        for row in self.rows:
            row.refresh()
        self.remove_button.setEnabled(bool(tracks))

    def set_active(self, index: int) -> None:
        self.active = index
        for row in self.rows:
            row.set_active(row.index == index)
        self.active_changed.emit(index)

    def add_track(self) -> None:
        tracks = self.doc.song.tracks
        used = {t.channel for t in tracks}
        channel = next((c for c in range(16) if c != 9 and c not in used), 0)
        track = Track(name=translate("Tracks", "Track {n}").format(n=len(tracks) + 1),
                      channel=channel)
        self.doc.push(ReplaceTracksCommand(self.doc, tracks + [track], translate(
            "Tracks", "Add track")))
        self.set_active(len(self.doc.song.tracks) - 1)

    def remove_track(self) -> None:
        tracks = self.doc.song.tracks
        if not tracks:
            return
        index = min(self.active, len(tracks) - 1)
        name = tracks[index].name
        self.doc.push(ReplaceTracksCommand(
            self.doc, tracks[:index] + tracks[index + 1:], translate(
                "Tracks", "Remove track {name}").format(name=name)))
        self.set_active(max(0, min(index, len(self.doc.song.tracks) - 1)))

    def duplicate_track(self) -> None:
        tracks = self.doc.song.tracks
        if tracks:
            copy_ = copy.deepcopy(tracks[self.active])
            copy_.name += translate("Tracks", " copy")
            self.doc.push(ReplaceTracksCommand(self.doc, tracks + [copy_], translate(
                "Tracks", "Duplicate track")))
