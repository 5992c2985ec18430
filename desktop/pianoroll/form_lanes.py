"""The section lane and the chord lane above the ruler: the song's form and its chords.

Both scroll and zoom with the grid through the one RollMapping and paint in one pass.
Every edit is one undo step (``SongPropertyCommand`` swapping the song's ``sections`` or
``chords`` list, as the other commands swap lists), so Ctrl+Z restores the song exactly.

- Section lane: a coloured block per section, labelled as the song shows it ("Verse 1",
  "Chorus 2"). Double-click a block to give it another kind (verse -> chorus); right-click
  to add a section in an empty bar, remove one, or move its end a bar later or earlier.
- Chord lane: the chord of each ChordEvent, spelled in the song's key (or as Roman
  numerals). Double-click to type another one, as a name ("F#m7", "Bb/D") or a numeral
  ("IV", "V7/V"). A symbol that does not read is said in the lane, in red, and the field
  stays open; a chord that reads emits ``chord_edited`` so the editor can offer to
  regenerate the harmony and bass over it.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QWidget

from core.errors import SongloomError
from core.model.chords import ChordEvent, parse_chord
from core.model.sections import SECTION_KINDS, Section, section_kind, section_labels
from desktop.i18n import kind_from_title, section_label, section_title, translate
from desktop.pianoroll.commands import SongPropertyCommand
from desktop.pianoroll.lyric_lane import fit_text

# A hue per kind, so a returning chorus is seen at a glance (HSV hue, degrees).
KIND_HUES = {"intro": 200, "verse": 215, "pre-chorus": 170, "chorus": 30, "bridge": 280,
             "outro": 200, "A": 215, "B": 30, "C": 280}
NEW_SECTION_BARS = 4  # an added section's length when the gap after it allows
MIN_LABEL_PX = 12  # a block narrower than this shows no text (a letter and a dot crowd it)


def kind_colour(kind: str, dark: bool) -> QColor:
    grey = kind in ("intro", "outro")
    sat = 40 if grey else 150
    return QColor.fromHsv(KIND_HUES.get(kind, 0), sat, 120 if dark else 235)


class _InlineEdit(QLineEdit):
    """The lane's text field: Enter commits (the lane decides), Esc cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class _Lane(QWidget):
    """What both lanes share: the mapping, the document, an inline field and message."""

    def __init__(self, view, doc, tip: str, parent=None):
        super().__init__(parent)
        self.view, self.doc, self.mapping = view, doc, view.mapping
        self.editing: int | None = None  # index of the item being typed over
        self.editor = _InlineEdit(self)
        self.editor.hide()
        self.editor.returnPressed.connect(self._commit)
        self.editor.cancelled.connect(self.close_editor)
        self.message = QLabel(self)  # a symbol that does not read, said where it was typed
        self.message.setStyleSheet("QLabel { background: #c62828; color: white; "
                                   "padding: 0 4px; border-radius: 2px; }")
        self.message.hide()
        self.setToolTip(tip)
        self.mapping.changed.connect(self._follow)
        doc.changed.connect(self.update)
        doc.replaced.connect(self.close_editor)  # its index belonged to the old song
        h = int(QFontMetricsF(self.font()).height()) + 8
        self.setFixedHeight(h)

    # -- helpers ---------------------------------------------------------------------------
    @property
    def song(self):
        return self.doc.song

    def bar_ticks(self) -> int:
        return self.song.ticks_per_bar()

    def items(self) -> list:
        raise NotImplementedError

    def item_at(self, x: float) -> int | None:
        tick = self.mapping.x_to_tick(x)
        return next((i for i, it in enumerate(self.items())
                     if it.start <= tick < it.start + it.duration), None)

    def item_rect(self, index: int) -> QRectF:
        it = self.items()[index]
        x0 = self.mapping.tick_to_x(it.start)
        x1 = self.mapping.tick_to_x(it.start + it.duration)
        return QRectF(x0, 0, x1 - x0, self.height())

    def _follow(self) -> None:
        if self.editing is not None and self.editing < len(self.items()):
            self._place_editor()
        self.update()

    def _place_editor(self) -> None:
        r = self.item_rect(self.editing)
        width = max(96, int(r.width()))
        self.editor.setGeometry(int(max(0, r.x())), 0, width, self.height())
        self.message.move(self.editor.geometry().right() + 4, 2)

    # -- editing ----------------------------------------------------------------------------
    def open_editor(self, index: int, text: str) -> None:
        self.editing = index
        self.message.hide()
        self._place_editor()
        self.editor.setText(text)
        self.editor.selectAll()
        self.editor.show()
        self.editor.setFocus()

    def close_editor(self) -> None:
        self.editing = None
        self.editor.hide()
        self.message.hide()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.adjustSize()
        self.message.setFixedHeight(self.height() - 4)
        self.message.show()
        self.message.raise_()

    def _commit(self) -> None:
        if self.editing is None:
            return
        try:
            self.apply_text(self.editing, self.editor.text())
        except SongloomError as exc:
            self.show_message(exc.reason if hasattr(exc, "reason") else str(exc))
            return
        self.close_editor()

    def apply_text(self, index: int, text: str) -> None:
        raise NotImplementedError

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        index = self.item_at(event.position().x())
        if index is not None:
            self.open_editor(index, self.edit_text(index))

    def edit_text(self, index: int) -> str:
        raise NotImplementedError

    def _paint_block(self, p: QPainter, rect: QRectF, fill: QColor, text: str) -> None:
        p.fillRect(rect.adjusted(0, 1, -1, -1), fill)
        p.setPen(QPen(self.view.colors.bar_line, 1))
        p.drawLine(QPointF(rect.x(), 0), QPointF(rect.x(), self.height()))
        if rect.width() < MIN_LABEL_PX:  # zoomed far out: the boundaries, the tooltip names
            return
        # Shortened to the block, never to nothing ("Am" in a narrow half bar reads "A").
        shown = fit_text(text, rect.width() - 6, QFontMetricsF(self.font()))
        p.setPen(self.text_colour(fill))
        p.drawText(rect.adjusted(4, 0, -2, 0), Qt.AlignVCenter | Qt.AlignLeft, shown)

    @staticmethod
    def text_colour(fill: QColor) -> QColor:
        return QColor(20, 20, 24) if fill.lightness() > 140 else QColor(240, 240, 240)


class SectionLane(_Lane):
    """The song's sections as coloured, labelled blocks."""

    def __init__(self, view, doc, parent=None):
        super().__init__(view, doc, translate(
            "Roll", "Sections: double-click to change one's kind, right-click to add, remove "
            "or resize"), parent)
        self.shown: list[tuple[int, str]] = []  # (start tick, label) of the last paint

    def items(self) -> list[Section]:
        return self.song.sections

    def edit_text(self, index: int) -> str:
        return self.items()[index].name

    def apply_text(self, index: int, text: str) -> None:
        kind = section_kind(kind_from_title(text))  # one clear error naming the kinds
        if kind != self.items()[index].name:
            self._push(translate(
                "Roll", "Change Section to {kind}").format(kind=section_title(kind)),
                       index=index, name=kind)

    def _push(self, text: str, new: list[Section] | None = None, index: int | None = None,
              **changes) -> None:
        sections = new if new is not None else copy.deepcopy(self.items())
        if index is not None:
            for k, v in changes.items():
                setattr(sections[index], k, v)
        self.doc.push(SongPropertyCommand(self.doc, text, sections=sections))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        c = self.view.colors
        p.fillRect(self.rect(), c.background)
        dark = c.background.lightness() < 128
        self.shown = []
        labels = [section_label(label) for label in section_labels(self.items())]
        for i, (sec, label) in enumerate(zip(self.items(), labels, strict=True)):
            rect = self.item_rect(i)
            if rect.right() < 0 or rect.left() > self.width():
                continue
            self.shown.append((sec.start, label))
            self._paint_block(p, rect, kind_colour(sec.name, dark), label)
        if not self.items():
            p.setPen(c.bar_line)
            p.drawText(self.rect().adjusted(6, 0, 0, 0), Qt.AlignVCenter | Qt.AlignLeft,
                       translate("Roll", "No sections: right-click to add one"))
        p.end()

    # -- right-click: add, remove, resize -----------------------------------------------------
    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt API
        menu = self.build_menu(event.pos().x())
        menu.exec(event.globalPos())

    def build_menu(self, x: float) -> QMenu:
        """The right-click menu at ``x`` (tests read its actions)."""
        menu = QMenu(self)
        index = self.item_at(x)
        bar = self.bar_ticks()
        tick = int(self.mapping.x_to_tick(x)) // bar * bar
        if index is None:
            add = menu.addMenu(translate("Roll", "Add Section Here"))
            room = self._room_after(tick)
            add.setEnabled(room > 0 and tick >= 0)
            for kind in SECTION_KINDS:
                a = QAction(section_title(kind), add)
                a.triggered.connect(lambda _=False, k=kind: self.add_section(tick, k))
                add.addAction(a)
            return menu
        sec = self.items()[index]
        change = menu.addMenu(translate("Roll", "Change to"))
        for kind in SECTION_KINDS:
            a = QAction(section_title(kind), change)
            a.setEnabled(kind != sec.name)
            a.triggered.connect(lambda _=False, k=kind: self.apply_text(index, k))
            change.addAction(a)
        menu.addAction(translate("Roll", "Rename…"), lambda: self.open_editor(index, sec.name))
        longer = menu.addAction(translate(
            "Roll", "One Bar Longer"), lambda: self.resize_section(index, 1))
        longer.setEnabled(self._can_resize(index, 1))
        shorter = menu.addAction(translate(
            "Roll", "One Bar Shorter"), lambda: self.resize_section(index, -1))
        shorter.setEnabled(self._can_resize(index, -1))
        menu.addSeparator()
        menu.addAction(translate("Roll", "Remove Section"), lambda: self.remove_section(index))
        return menu

    def _room_after(self, tick: int) -> int:
        """Bars free from ``tick`` up to the next section (at most NEW_SECTION_BARS)."""
        bar = self.bar_ticks()
        nxt = min((s.start for s in self.items() if s.start >= tick), default=None)
        room = NEW_SECTION_BARS if nxt is None else (nxt - tick) // bar
        return max(0, min(NEW_SECTION_BARS, room))

    def add_section(self, tick: int, kind: str) -> None:
        bars = self._room_after(tick)
        if bars <= 0:
            return
        new = copy.deepcopy(self.items()) + [Section(kind, tick, bars * self.bar_ticks())]
        new.sort(key=lambda s: s.start)
        self._push(translate("Roll", "Add {kind}").format(kind=section_title(kind)), new)

    def remove_section(self, index: int) -> None:
        new = copy.deepcopy(self.items())
        gone = new.pop(index)
        self._push(translate("Roll", "Remove {kind}").format(kind=section_title(gone.name)), new)

    def _can_resize(self, index: int, bars: int) -> bool:
        secs, bar = self.items(), self.bar_ticks()
        if bars < 0:
            return secs[index].duration + bars * bar > 0
        nxt = secs[index + 1] if index + 1 < len(secs) else None
        # Growing into the next section takes its first bar, never all of it.
        return nxt is None or nxt.start > secs[index].end or nxt.duration > bar

    def resize_section(self, index: int, bars: int) -> None:
        """Move a section's end ``bars`` bars later (or earlier); a following section it
        runs into gives up that bar."""
        if not self._can_resize(index, bars):
            return
        new, bar = copy.deepcopy(self.items()), self.bar_ticks()
        sec = new[index]
        sec.duration += bars * bar
        if index + 1 < len(new) and new[index + 1].start < sec.end:
            nxt = new[index + 1]
            cut = sec.end - nxt.start
            nxt.start += cut
            nxt.duration -= cut
        self._push(translate("Roll", "Resize {kind}").format(kind=section_title(sec.name)), new)


class ChordLane(_Lane):
    """The song's chords, spelled in its key; double-click to type another."""

    chord_edited = Signal(int)  # index into song.chords

    def __init__(self, view, doc, parent=None):
        super().__init__(view, doc, translate(
            "Roll", "Chords: double-click to type another, as a name (Am, F#m7, Bb/D) or a "
            "Roman numeral (vi, V7)"), parent)
        self.show_roman = False
        self.shown: list[tuple[int, str]] = []

    def items(self) -> list[ChordEvent]:
        return self.song.chords

    def label(self, event: ChordEvent) -> str:
        s = self.song
        return event.chord.roman(s.key, s.mode) if self.show_roman else event.chord.name(
            s.key, s.mode)

    def edit_text(self, index: int) -> str:
        return self.label(self.items()[index])

    def apply_text(self, index: int, text: str) -> None:
        if not text.strip():
            raise SongloomError(translate(
                "Roll", "type a chord name (Am, F#m7) or a Roman numeral (vi, V7)"))
        chord = parse_chord(text.strip(), self.song.key, self.song.mode)
        if chord == self.items()[index].chord:
            return
        chords = copy.deepcopy(self.items())
        chords[index].chord = chord
        self.doc.push(SongPropertyCommand(
            self.doc, translate("Roll", "Chord {name}").format(
                name=chord.name(self.song.key, self.song.mode)), chords=chords))
        self.chord_edited.emit(index)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Each chord at its start; zoomed out, a name that would run into the one before
        is left out (hover or zoom in to read it) rather than squeezed to a letter."""
        p = QPainter(self)
        c = self.view.colors
        p.fillRect(self.rect(), c.scale_row)
        metrics = QFontMetricsF(self.font())
        self.shown = []
        free_x = -1e9
        visible = [(i, ev, self.item_rect(i)) for i, ev in enumerate(self.items())]
        visible = [v for v in visible if v[2].right() >= 0 and v[2].left() <= self.width()]
        p.setPen(QPen(c.beat_line, 1))
        for _, _, rect in visible:  # boundaries first: a name is drawn over them
            if rect.width() >= 4:
                p.drawLine(QPointF(rect.x(), 0), QPointF(rect.x(), self.height()))
        for _i, ev, rect in visible:
            text = self.label(ev)
            if rect.x() < free_x:
                continue
            wide = rect.width() >= MIN_LABEL_PX
            room = rect.width() - 6 if wide else metrics.horizontalAdvance(text)
            shown = fit_text(text, room, metrics)
            self.shown.append((ev.start, shown))
            # The name covers the boundaries of the chords it runs over.
            width = metrics.horizontalAdvance(shown) + 4
            p.fillRect(QRectF(rect.x() + 1, 1, width, self.height() - 3), c.scale_row)
            p.setPen(c.syllable)
            p.drawText(rect.adjusted(3, 0, 1000, 0), Qt.AlignVCenter | Qt.AlignLeft, shown)
            free_x = rect.x() + 3 + metrics.horizontalAdvance(shown) + 6
        if not self.items():
            p.setPen(c.bar_line)
            p.drawText(self.rect().adjusted(6, 0, 0, 0), Qt.AlignVCenter | Qt.AlignLeft,
                       translate("Roll", "No chords: generated songs bring theirs"))
        p.setPen(QPen(c.beat_line, 1))
        p.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        p.end()

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.build_menu(event.pos().x()).exec(event.globalPos())

    def build_menu(self, x: float) -> QMenu:
        menu = QMenu(self)
        index = self.item_at(x)
        if index is not None:
            menu.addAction(translate(
                "Roll", "Edit Chord…"), lambda: self.open_editor(index, self.edit_text(index)))
        roman = menu.addAction(translate("Roll", "Show Roman Numerals"))
        roman.setCheckable(True)
        roman.setChecked(self.show_roman)
        roman.toggled.connect(self.set_roman)
        return menu

    def set_roman(self, on: bool) -> None:
        self.show_roman = on
        self.update()

    def event(self, event) -> bool:  # noqa: A003 - Qt API
        if event.type() == event.Type.ToolTip:
            index = self.item_at(event.pos().x())
            if index is not None:
                from PySide6.QtWidgets import QToolTip

                ev, s = self.items()[index], self.song
                QToolTip.showText(event.globalPos(), translate(
                    "Roll", "{name} ({roman}): double-click to change").format(
                        name=ev.chord.name(s.key, s.mode), roman=ev.chord.roman(s.key, s.mode)),
                    self)
                return True
        return super().event(event)
