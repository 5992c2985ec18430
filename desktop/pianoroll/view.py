"""The note grid: rows, bar lines, ghost notes, the active track's notes, a previewed
take, loop and playhead, all drawn in one paint pass (notes through note_raster, no
Python object per note), so a 10,000-note song repaints within a frame. The syllables
have a lane of their own under the grid (lyric_lane.py).

numpy is imported only once there are notes to draw: an empty window opens without it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.model.song import TICKS_PER_BEAT, Song
from core.model.theory import scale_pitch_classes
from desktop.pianoroll.mapping import RollMapping
from desktop.theme import RollColors, track_color

BLACK_KEYS = {1, 3, 6, 8, 10}
SNAP_CHOICES = (  # label, ticks (0 = off)
    ("1/4", TICKS_PER_BEAT),
    ("1/8", TICKS_PER_BEAT // 2),
    ("1/16", TICKS_PER_BEAT // 4),
    (QT_TRANSLATE_NOOP("Roll", "1/8 triplet"), TICKS_PER_BEAT // 3),
    (QT_TRANSLATE_NOOP("Roll", "1/16 triplet"), TICKS_PER_BEAT // 6),
    (QT_TRANSLATE_NOOP("Roll", "Off"), 0),
)


class NoteGridView(QWidget):
    """Paints the song for one active track; mouse input goes to the current tool."""

    cursor_pitch = Signal(int)  # the row under the mouse, for the keyboard highlight

    def __init__(self, mapping: RollMapping, parent=None):
        super().__init__(parent)
        self.mapping = mapping
        self.song: Song = Song()
        self.active_track = 0
        self.show_ghosts = True
        self.snap = TICKS_PER_BEAT // 4
        self.playhead_tick: float | None = None
        self.loop: tuple[int, int] | None = None
        self.selection: set[int] = set()  # id() of selected Note objects of the active track
        self.rubber_band: QRectF | None = None
        self.tool = None  # set by the editor (desktop.pianoroll.tools.NoteTool)
        self.preview_song: Song | None = None  # a take drawn over the song (set_preview)
        self.colors = RollColors.from_palette(self.palette())
        self._arrays: dict[int, tuple] = {}  # track index -> (len, list, NoteArrays)
        self._sel_mask_cache: tuple | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(200, 120)
        mapping.changed.connect(self.update)

    # -- model -------------------------------------------------------------------------
    def set_song(self, song: Song) -> None:
        self.song = song
        if self.active_track >= len(song.tracks):
            self.active_track = 0
        self.update()

    def notes(self) -> list:
        tracks = self.song.tracks
        return tracks[self.active_track].notes if 0 <= self.active_track < len(tracks) else []

    def arrays(self, index: int):
        """Column arrays of a track, rebuilt only when its note list object changed."""
        from desktop.pianoroll import note_raster as nr

        notes = self.song.tracks[index].notes
        cached = self._arrays.get(index)
        if cached is None or cached[1] is not notes or cached[0] != len(notes):
            cached = (len(notes), notes, nr.NoteArrays(notes))
            self._arrays[index] = cached
        return cached[2]

    def selected_notes(self) -> list:
        return [n for n in self.notes() if id(n) in self.selection]

    def selection_mask(self):
        """Boolean numpy mask over the active track's notes (None: nothing selected)."""
        notes = self.notes()
        if not self.selection:
            return None
        key = (id(notes), len(notes), frozenset(self.selection))
        if self._sel_mask_cache is None or self._sel_mask_cache[0] != key:
            import numpy as np

            sel = self.selection
            mask = np.fromiter((id(n) in sel for n in notes), bool, len(notes))
            self._sel_mask_cache = (key, mask)
        return self._sel_mask_cache[1]

    def snap_tick(self, tick: float, mode: str = "round") -> int:
        if self.snap <= 0:
            return max(0, int(round(tick)))
        f = math.floor if mode == "floor" else round
        return max(0, int(f(tick / self.snap)) * self.snap)

    # -- painting ------------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # Settings changed the theme
            self.colors = RollColors.from_palette(self.palette())
            self.update()

    def resizeEvent(self, event) -> None:
        self.mapping.set_view_size(self.width(), self.height())
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        self.paint_all(p, self.width(), self.height())
        p.end()

    def paint_all(self, p: QPainter, w: int, h: int) -> None:
        m, c = self.mapping, self.colors
        low, high = m.visible_pitches()
        self._paint_rows(p, w, low, high)
        self._paint_time_lines(p, w, h)
        self._paint_notes(p, w, low, high)
        # Row separators drawn over the notes keep neighbouring pitches apart.
        if m.row_height >= 6:
            ys = [m.pitch_to_y(pitch) for pitch in range(low, high + 1)]
            p.setPen(QPen(c.row_line, 1))
            p.drawLines([QLineF(0, y, w, y) for y in ys])
        self._paint_preview(p, low, high)
        self._paint_overlays(p, w, h)

    def _paint_rows(self, p: QPainter, w: int, low: int, high: int) -> None:
        m, c = self.mapping, self.colors
        in_scale = scale_pitch_classes(self.song.key, self.song.mode)
        p.fillRect(QRectF(0, 0, w, self.height() or m.view_height), c.background)
        for pitch in range(low, high + 1):
            pc = pitch % 12
            if pc in in_scale:
                colour = c.scale_row if pc not in BLACK_KEYS else c.scale_row_black
            elif pc in BLACK_KEYS:
                colour = c.black_row
            else:
                continue
            p.fillRect(QRectF(0, m.pitch_to_y(pitch), w, m.row_height), colour)
        # A stronger line under every C marks the octaves.
        p.setPen(QPen(c.octave_line, 1))
        p.drawLines(
            [QLineF(0, m.pitch_to_y(pitch) + m.row_height, w, m.pitch_to_y(pitch) + m.row_height)
             for pitch in range(low, high + 1) if pitch % 12 == 0]
        )

    def _paint_time_lines(self, p: QPainter, w: int, h: int) -> None:
        m, c = self.mapping, self.colors
        t0, t1 = m.visible_ticks()
        bar = self.song.ticks_per_bar() or TICKS_PER_BEAT * 4
        while bar * m.px_per_tick < 8:  # zoomed far out: every 2nd, 4th ... bar line
            bar *= 2
        beat = TICKS_PER_BEAT * 4 // max(1, self.song.time_signature.denominator)
        for step, colour, min_px in (
            (self.snap, c.snap_line, 7),
            (beat, c.beat_line, 5),
            (bar, c.bar_line, 0),
        ):
            if step <= 0 or step * m.px_per_tick < min_px:
                continue
            first = int(t0 // step) * step
            xs = [t * m.px_per_tick - m.scroll_x for t in range(first, int(t1) + step, step)]
            p.setPen(QPen(colour, 1))
            p.drawLines([QLineF(x, 0, x, h) for x in xs])

    def _paint_notes(self, p: QPainter, w: int, low: int, high: int) -> None:
        m = self.mapping
        if not any(t.notes for t in self.song.tracks):
            return
        import numpy as np

        from desktop.pianoroll import note_raster as nr

        rows = high - low + 1
        dpr = max(1.0, self.devicePixelRatioF())
        width_px = int(w * dpr)
        ghosts = []
        if self.show_ghosts:
            ghosts = [
                (i, self.arrays(i)) for i in range(len(self.song.tracks)) if i != self.active_track
            ]
        active = self.arrays(self.active_track) if self.active_track < len(self.song.tracks) else None
        img = nr.rasterise(m, width_px, high, rows, active, self.selection_mask(), ghosts, dpr)
        # Premultiplied ARGB rows repeated to the row height: Qt blits it unscaled, the
        # fastest path it has (an indexed or scaled image costs several times more).
        argb = np.repeat(self._palette_argb()[img], m.row_height, axis=0)
        if dpr != 1.0:
            qimg = QImage(argb.data, width_px, argb.shape[0], width_px * 4,
                          QImage.Format_ARGB32_Premultiplied)
            p.drawImage(QRectF(0, m.pitch_to_y(high), w, rows * m.row_height), qimg)
        else:
            qimg = QImage(argb.data, width_px, argb.shape[0], width_px * 4,
                          QImage.Format_ARGB32_Premultiplied)
            p.drawImage(QPointF(0, m.pitch_to_y(high)), qimg)

    def _palette_argb(self):
        """The palette as premultiplied ARGB32 words (what QImage expects)."""
        import numpy as np

        lut = np.array(self._palette_rgba(), np.uint64)
        a = (lut >> 24) & 255
        rgb = [(lut >> s) & 255 for s in (16, 8, 0)]
        r, g, b = ((c * a + 127) // 255 for c in rgb)
        return ((a << 24) | (r << 16) | (g << 8) | b).astype(np.uint32)

    def _palette_rgba(self) -> list[int]:
        from desktop.pianoroll import note_raster as nr

        c = self.colors
        table = [0] * nr.PALETTE_SIZE
        for i, track in enumerate(self.song.tracks[:16]):
            ghost = QColor(track_color(track, i))
            ghost.setAlpha(c.ghost_alpha)
            # Indexed images are not premultiplied: plain ARGB.
            table[nr.GHOST_BASE + i] = ghost.rgba()
        base = QColor(track_color(self.song.tracks[self.active_track], self.active_track)) \
            if self.song.tracks else QColor("#4a90d9")
        table[nr.NOTE_LOW] = base.lighter(135).rgba()
        table[nr.NOTE_MID] = base.rgba()
        table[nr.NOTE_HIGH] = base.darker(125).rgba()
        table[nr.NOTE_EDGE] = base.darker(220).rgba()
        table[nr.SELECTED] = c.selected.rgba()
        table[nr.SELECTED_EDGE] = c.selected.darker(200).rgba()
        return table

    def set_preview(self, song: Song | None) -> None:
        """Another version of the song (a take) to draw over this one, outlined."""
        self.preview_song = song
        self.update()

    def _paint_preview(self, p: QPainter, low: int, high: int) -> None:
        """The previewed take's notes as outlines over the song: its melody strong, the
        other tracks faint, so two takes can be compared without a sound card."""
        song = self.preview_song
        if song is None:
            return
        m = self.mapping
        t0, t1 = m.visible_ticks()
        melody = song.melody_track()
        p.setBrush(Qt.NoBrush)
        for track in song.tracks:
            colour = QColor(self.colors.selected)
            colour.setAlpha(255 if track is melody else 110)
            p.setPen(QPen(colour, 2 if track is melody else 1))
            rects = [QRectF(m.tick_to_x(n.start), m.pitch_to_y(n.pitch),
                            max(2.0, n.duration * m.px_per_tick), m.row_height)
                     for n in track.notes
                     if low <= n.pitch <= high and n.end >= t0 and n.start <= t1]
            if rects:
                p.drawRects(rects)

    def _paint_overlays(self, p: QPainter, w: int, h: int) -> None:
        m, c = self.mapping, self.colors
        if self.loop:
            x0, x1 = m.tick_to_x(self.loop[0]), m.tick_to_x(self.loop[1])
            p.fillRect(QRectF(x0, 0, x1 - x0, h), c.loop_fill)
        if self.rubber_band is not None:
            p.setPen(QPen(c.selected, 1, Qt.DashLine))
            p.setBrush(c.rubber_fill)
            p.drawRect(self.rubber_band)
            p.setBrush(Qt.NoBrush)
        if self.playhead_tick is not None:
            x = m.tick_to_x(self.playhead_tick)
            if 0 <= x <= w:
                p.setPen(QPen(c.playhead, 2))
                p.drawLine(QLineF(x, 0, x, h))

    # -- hit testing ----------------------------------------------------------------------
    def note_at(self, pos: QPointF) -> tuple[int, str] | None:
        """(index, part) of the active-track note under ``pos``; part is start/end/body."""
        m = self.mapping
        pitch = m.y_to_pitch(pos.y())
        tick = m.x_to_tick(pos.x())
        notes = self.notes()
        if not notes:
            return None
        import numpy as np

        arr = self.arrays(self.active_track)
        # Vectorised: hit-testing runs on every mouse move (for the cursor shape).
        min_len = 1 / m.px_per_tick
        hits = np.flatnonzero((arr.pitches == pitch) & (arr.starts <= tick)
                              & (tick < np.maximum(arr.ends, arr.starts + min_len)))
        if not len(hits):
            return None
        i = int(hits[np.argmax(arr.starts[hits])])  # the latest-starting (top-most) note
        n = notes[i]
        x0, x1 = m.tick_to_x(n.start), m.tick_to_x(n.end)
        grip = min(6.0, (x1 - x0) / 4)
        if pos.x() - x0 <= grip:
            return i, "start"
        if x1 - pos.x() <= grip:
            return i, "end"
        return i, "body"

    # -- input: forwarded to the tool ---------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if self.tool:
            self.tool.press(event)

    def mouseMoveEvent(self, event) -> None:
        self.cursor_pitch.emit(self.mapping.y_to_pitch(event.position().y()))
        if self.tool:
            self.tool.move(event)
            if not event.buttons():
                self._update_cursor(event.position())

    def _update_cursor(self, pos: QPointF) -> None:
        """Show what a press would do: resize at a note's ends, move on its body."""
        hit = self.note_at(pos)
        if hit is None:
            shape = Qt.CrossCursor if getattr(self.tool, "mode", "") == "draw" else Qt.ArrowCursor
        else:
            shape = Qt.SizeHorCursor if hit[1] in ("start", "end") else Qt.SizeAllCursor
        if self.cursor().shape() != shape:
            self.setCursor(shape)

    def mouseReleaseEvent(self, event) -> None:
        if self.tool:
            self.tool.release(event)

    def mouseDoubleClickEvent(self, event) -> None:
        if self.tool:
            self.tool.double_click(event)

    def wheelEvent(self, event) -> None:
        m = self.mapping
        delta = event.angleDelta()
        if event.modifiers() & Qt.ControlModifier:
            steps = delta.y() / 120
            if event.modifiers() & Qt.ShiftModifier:
                m.zoom_y(1 if steps > 0 else -1, event.position().y())
            else:
                m.zoom_x(1.25 ** steps, event.position().x())
        elif event.modifiers() & Qt.ShiftModifier or delta.x():
            m.set_scroll(x=m.scroll_x - (delta.x() or delta.y()))
        else:
            m.set_scroll(y=m.scroll_y - delta.y())
        event.accept()
