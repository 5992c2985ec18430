"""The piano keyboard left of the grid: names the rows, click a key to hear it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from core.model.theory import SHARP_NAMES
from desktop.i18n import translate
from desktop.pianoroll.drum_names import drum_label, drum_tooltip
from desktop.pianoroll.mapping import RollMapping

BLACK_KEYS = {1, 3, 6, 8, 10}
PIANO_WIDTH = 58
DRUM_WIDTH = 104  # room for "Closed Hi-hat" at the largest font


def pitch_name(pitch: int) -> str:
    """MIDI 60 = C4 (the convention of most DAWs and MuseScore)."""
    return f"{SHARP_NAMES[pitch % 12]}{pitch // 12 - 1}"


class KeyboardWidget(QWidget):
    key_pressed = Signal(int)  # pitch

    def __init__(self, mapping: RollMapping, parent=None):
        super().__init__(parent)
        self.mapping = mapping
        self.highlight: int | None = None
        self.drums = False  # a drum track: rows named by the GM drum each key plays
        self.setFixedWidth(PIANO_WIDTH)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip(translate("Roll", "Click a key to hear it"))
        mapping.changed.connect(self.update)

    def set_drum_track(self, drums: bool) -> None:
        """Name the rows as a drum track's (Kick, Snare, Closed Hi-hat ...) or as pitches."""
        if drums != self.drums:
            self.drums = drums
            self.setFixedWidth(DRUM_WIDTH if drums else PIANO_WIDTH)
            self.update()

    def row_text(self, pitch: int) -> str | None:
        """What a row is called: its GM drum on a drum track, else its pitch name."""
        return drum_label(pitch) if self.drums else pitch_name(pitch)

    def event(self, event) -> bool:
        # On a drum track each row's tooltip names its drum in full (GM's own name).
        if self.drums and event.type() == QEvent.ToolTip:
            pitch = self.mapping.y_to_pitch(event.position().y()
                                            if hasattr(event, "position") else event.pos().y())
            QToolTip.showText(event.globalPos(), drum_tooltip(pitch), self)
            return True
        return super().event(event)

    def set_highlight(self, pitch: int | None) -> None:
        if pitch != self.highlight:
            self.highlight = pitch
            self.update()

    def paintEvent(self, event) -> None:
        m = self.mapping
        p = QPainter(self)
        w = self.width()
        low, high = m.visible_pitches()
        p.fillRect(self.rect(), QColor(250, 250, 250))
        font = QFont(self.font())
        font.setPixelSize(max(7, min(11, m.row_height - 2)))
        p.setFont(font)
        for pitch in range(low, high + 1):
            y = m.pitch_to_y(pitch)
            rect = QRectF(0, y, w, m.row_height)
            black = pitch % 12 in BLACK_KEYS
            if self.drums:
                self._paint_drum_row(p, rect, pitch)
                continue
            if pitch == self.highlight:
                p.fillRect(rect, QColor(255, 190, 60))
            elif black:
                p.fillRect(QRectF(0, y, w * 0.62, m.row_height), QColor(35, 35, 38))
            p.setPen(QPen(QColor(190, 190, 195), 1))
            if pitch % 12 in (0, 5):  # the white-key gaps below C and F
                p.drawLine(0, int(y + m.row_height), w, int(y + m.row_height))
            if pitch % 12 == 0 or (m.row_height >= 12 and not black):
                p.setPen(QColor(40, 40, 40) if pitch % 12 == 0 else QColor(130, 130, 130))
                p.drawText(rect.adjusted(0, 0, -4, 0), Qt.AlignRight | Qt.AlignVCenter,
                           pitch_name(pitch))
        p.setPen(QPen(QColor(150, 150, 155), 1))
        p.drawLine(w - 1, 0, w - 1, self.height())
        p.end()

    def _paint_drum_row(self, p: QPainter, rect: QRectF, pitch: int) -> None:
        """A drum row: named keys white, keys no GM kit uses grey, a line between rows."""
        name = self.row_text(pitch)
        if pitch == self.highlight:
            p.fillRect(rect, QColor(255, 190, 60))
        elif name is None:
            p.fillRect(rect, QColor(225, 225, 228))
        p.setPen(QPen(QColor(210, 210, 214), 1))
        p.drawLine(rect.bottomLeft(), rect.bottomRight())
        if name and self.mapping.row_height >= 8:
            p.setPen(QColor(40, 40, 40))
            p.drawText(rect.adjusted(3, 0, -4, 0), Qt.AlignLeft | Qt.AlignVCenter,
                       p.fontMetrics().elidedText(name, Qt.ElideRight, int(rect.width()) - 7))

    def mousePressEvent(self, event) -> None:
        pitch = self.mapping.y_to_pitch(event.position().y())
        self.set_highlight(pitch)
        self.key_pressed.emit(pitch)

    def mouseReleaseEvent(self, event) -> None:
        self.set_highlight(None)

    def wheelEvent(self, event) -> None:
        self.mapping.set_scroll(y=self.mapping.scroll_y - event.angleDelta().y())
