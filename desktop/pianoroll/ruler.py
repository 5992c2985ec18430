"""The time ruler above the grid: bar numbers; click to move the playhead, drag to loop."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from core.model.song import TICKS_PER_BEAT, Song
from desktop.i18n import translate
from desktop.pianoroll.mapping import RollMapping


class RulerWidget(QWidget):
    seek_requested = Signal(int)  # tick
    loop_requested = Signal(int, int)  # start, end ticks (a drag on the ruler)

    def __init__(self, mapping: RollMapping, parent=None):
        super().__init__(parent)
        self.mapping = mapping
        self.song = Song()
        self.snap = TICKS_PER_BEAT
        self.playhead_tick: float | None = None
        self.loop: tuple[int, int] | None = None
        self._press_tick: int | None = None
        self.setFixedHeight(26)
        self.setToolTip(translate("Roll", "Click: move the playhead. Drag: set the loop."))
        mapping.changed.connect(self.update)

    def _tick_at(self, x: float) -> int:
        tick = self.mapping.x_to_tick(x)
        step = self.snap or 1
        return max(0, int(round(tick / step)) * step)

    def paintEvent(self, event) -> None:
        m = self.mapping
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), self.palette().window())
        if self.loop:
            x0, x1 = m.tick_to_x(self.loop[0]), m.tick_to_x(self.loop[1])
            p.fillRect(QRectF(x0, 0, x1 - x0, h), QColor(60, 140, 240, 90))
        bar = self.song.ticks_per_bar() or TICKS_PER_BEAT * 4
        beat = TICKS_PER_BEAT * 4 // max(1, self.song.time_signature.denominator)
        every = 1
        while bar * every * m.px_per_tick < 34:  # room for the label "128"
            every *= 2
        t0, t1 = m.visible_ticks()
        text = self.palette().windowText().color()
        p.setPen(QPen(text, 1))
        first_bar = max(0, int(t0 // bar))
        for index in range(first_bar, int(t1 // bar) + 2):
            x = m.tick_to_x(index * bar)
            if index % every == 0:
                p.drawLine(QLineF(x, h * 0.35, x, h))
                p.drawText(QRectF(x + 3, 0, 60, h * 0.7), Qt.AlignLeft | Qt.AlignVCenter,
                           str(index + 1))
            if beat * m.px_per_tick >= 6:
                for k in range(1, bar // beat):
                    bx = m.tick_to_x(index * bar + k * beat)
                    p.drawLine(QLineF(bx, h * 0.75, bx, h))
        p.drawLine(0, h - 1, w, h - 1)
        if self.playhead_tick is not None:
            x = m.tick_to_x(self.playhead_tick)
            p.setPen(QPen(QColor(220, 40, 30), 2))
            p.drawLine(QLineF(x, 0, x, h))
        p.end()

    def mousePressEvent(self, event) -> None:
        self._press_tick = self._tick_at(event.position().x())

    def mouseMoveEvent(self, event) -> None:
        if self._press_tick is None:
            return
        tick = self._tick_at(event.position().x())
        if tick != self._press_tick:
            self.loop = (min(tick, self._press_tick), max(tick, self._press_tick))
            self.update()

    def mouseReleaseEvent(self, event) -> None:
        if self._press_tick is None:
            return
        tick = self._tick_at(event.position().x())
        start, self._press_tick = self._press_tick, None
        if tick == start:
            self.seek_requested.emit(start)
        else:
            self.loop_requested.emit(min(tick, start), max(tick, start))
