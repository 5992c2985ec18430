"""The velocity lane under the grid: one stem per note; drag across stems to set them.

A drag paints velocities like a pencil (FL Studio's event editor); the whole drag is
one undoable command. With a selection, only the selected notes are changed.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop.i18n import translate
from desktop.pianoroll.commands import ReplaceNotesCommand
from desktop.theme import track_color


class VelocityLane(QWidget):
    def __init__(self, view, doc, parent=None):
        super().__init__(parent)
        self.view = view
        self.doc = doc
        self.mapping = view.mapping
        self._original: list | None = None
        self.setFixedHeight(72)
        self.setToolTip(translate(
            "Roll", "Velocity: drag across the stems to set how hard notes are played"))
        self.mapping.changed.connect(self.update)

    def _y_to_velocity(self, y: float) -> int:
        h = self.height() - 6
        return max(1, min(127, round(127 * (1 - (y - 3) / h))))

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), self.view.colors.background)
        p.setPen(QPen(self.view.colors.beat_line, 1))
        p.drawLine(0, 0, w, 0)
        song = self.view.song
        if song.tracks and song.tracks[self.view.active_track].notes:
            import numpy as np

            arr = self.view.arrays(self.view.active_track)
            xs = self.mapping.ticks_to_x_array(arr.starts)
            keep = (xs >= -2) & (xs <= w + 2)
            if keep.any():
                ys = 3 + (h - 6) * (1 - arr.velocities[keep] / 127.0)
                colour = QColor(track_color(song.tracks[self.view.active_track],
                                            self.view.active_track))
                sel = self.view.selection_mask()
                sel = sel[keep] if sel is not None else np.zeros(int(keep.sum()), bool)
                for mask, c in ((~sel, colour), (sel, self.view.colors.selected)):
                    p.setPen(QPen(c, 2))
                    p.drawLines([QLineF(x, h, x, y) for x, y in
                                 zip(xs[keep][mask].tolist(), ys[mask].tolist(), strict=True)])
                    if mask.sum() < 2000:  # heads only while they can be told apart
                        p.setBrush(c)
                        for x, y in zip(xs[keep][mask].tolist(), ys[mask].tolist(),
                                        strict=True):
                            p.drawEllipse(QRectF(x - 2.5, y - 2.5, 5, 5))
        p.end()

    def _apply(self, x0: float, x1: float, y: float) -> None:
        track = self.view.song.tracks[self.view.active_track]
        velocity = self._y_to_velocity(y)
        lo, hi = sorted((x0, x1))
        sel = self.view.selection
        changed = False
        notes = list(track.notes)
        for i, n in enumerate(notes):
            x = self.mapping.tick_to_x(n.start)
            if lo - 3 <= x <= hi + 3 and (not sel or id(n) in sel) and n.velocity != velocity:
                notes[i] = replace(n, velocity=velocity)
                if id(n) in sel:
                    sel.discard(id(n))
                    sel.add(id(notes[i]))
                changed = True
        if changed:
            track.notes = notes
            self.view.update()
            self.update()

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton or not self.view.song.tracks:
            return
        self._original = self.view.song.tracks[self.view.active_track].notes
        self._last_x = event.position().x()
        self._apply(self._last_x, self._last_x, event.position().y())

    def mouseMoveEvent(self, event) -> None:
        if self._original is None:
            return
        x = event.position().x()
        self._apply(self._last_x, x, event.position().y())
        self._last_x = x

    def mouseReleaseEvent(self, event) -> None:
        if self._original is None:
            return
        track = self.view.song.tracks[self.view.active_track]
        new, original = track.notes, self._original
        self._original = None
        track.notes = original
        if new is not original:
            self.doc.push(ReplaceNotesCommand(self.doc, self.view.active_track, new,
                                              translate("Roll", "Change velocity")))
