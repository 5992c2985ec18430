"""The one pitch/tick <-> pixel mapping shared by the grid, keyboard, ruler and velocity lane.

Every piano-roll widget converts through the same object, so zooming or scrolling one of
them moves all of them together (MuseScore 3's piano roll does the same).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Signal

from core.model.song import TICKS_PER_BEAT

PITCHES = 128
# Row heights are whole pixels so that rows line up exactly with the rasterised notes.
ROW_HEIGHTS = (5, 6, 8, 10, 12, 14, 16, 20, 24)
READABLE_ROW = 8  # smallest row that fit() picks: syllables are drawn from 8 px up
MIN_PX_PER_TICK = 0.0005
MAX_PX_PER_TICK = 1.0


class RollMapping(QObject):
    """Horizontal: ticks <-> x (pixels per tick, scroll in pixels). Vertical: pitch rows."""

    changed = Signal()

    def __init__(self, px_per_tick: float = 64 / TICKS_PER_BEAT, row_height: int = 12):
        super().__init__()
        self.px_per_tick = px_per_tick
        self.row_height = row_height
        self.scroll_x = 0.0  # pixels of the song scrolled out at the left
        self.scroll_y = 0.0  # pixels of the pitch range scrolled out at the top
        self.view_width = 800
        self.view_height = 600

    # -- conversions -------------------------------------------------------------------
    def tick_to_x(self, tick: float) -> float:
        return tick * self.px_per_tick - self.scroll_x

    def x_to_tick(self, x: float) -> float:
        return (x + self.scroll_x) / self.px_per_tick

    def pitch_to_y(self, pitch: int) -> float:
        """Top edge of the row of ``pitch`` (high pitches at the top)."""
        return (PITCHES - 1 - pitch) * self.row_height - self.scroll_y

    def y_to_pitch(self, y: float) -> int:
        row = math.floor((y + self.scroll_y) / self.row_height)
        return max(0, min(PITCHES - 1, PITCHES - 1 - row))

    def ticks_to_x_array(self, ticks):
        """Vectorised tick_to_x for a numpy array (numpy itself is imported by callers)."""
        return ticks * self.px_per_tick - self.scroll_x

    def visible_ticks(self) -> tuple[float, float]:
        return self.x_to_tick(0), self.x_to_tick(self.view_width)

    def visible_pitches(self) -> tuple[int, int]:
        """(lowest, highest) pitch with any part of its row on screen."""
        return self.y_to_pitch(self.view_height - 1), self.y_to_pitch(0)

    @property
    def total_height(self) -> int:
        return PITCHES * self.row_height

    # -- changes ---------------------------------------------------------------------
    def set_view_size(self, width: int, height: int) -> None:
        if (width, height) != (self.view_width, self.view_height):
            self.view_width, self.view_height = max(1, width), max(1, height)
            self._clamp()
            self.changed.emit()

    def set_scroll(self, x: float | None = None, y: float | None = None) -> None:
        old = (self.scroll_x, self.scroll_y)
        if x is not None:
            self.scroll_x = float(x)
        if y is not None:
            self.scroll_y = float(y)
        self._clamp()
        if (self.scroll_x, self.scroll_y) != old:
            self.changed.emit()

    def zoom_x(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom time by ``factor`` keeping the tick under ``anchor_x`` in place."""
        anchor_x = self.view_width / 2 if anchor_x is None else anchor_x
        tick = self.x_to_tick(anchor_x)
        self.px_per_tick = min(MAX_PX_PER_TICK, max(MIN_PX_PER_TICK, self.px_per_tick * factor))
        self.scroll_x = tick * self.px_per_tick - anchor_x
        self._clamp()
        self.changed.emit()

    def zoom_y(self, steps: int, anchor_y: float | None = None) -> None:
        anchor_y = self.view_height / 2 if anchor_y is None else anchor_y
        rows_above = (anchor_y + self.scroll_y) / self.row_height
        i = ROW_HEIGHTS.index(min(ROW_HEIGHTS, key=lambda h: abs(h - self.row_height)))
        self.row_height = ROW_HEIGHTS[max(0, min(len(ROW_HEIGHTS) - 1, i + steps))]
        self.scroll_y = rows_above * self.row_height - anchor_y
        self._clamp()
        self.changed.emit()

    def fit(self, end_tick: int, low_pitch: int, high_pitch: int) -> None:
        """Show ticks 0..end_tick and centre the pitch range low..high vertically."""
        end_tick = max(end_tick, TICKS_PER_BEAT * 4)
        self.px_per_tick = min(
            MAX_PX_PER_TICK, max(MIN_PX_PER_TICK, (self.view_width - 8) / end_tick)
        )
        rows = max(1, high_pitch - low_pitch + 1)
        fitting = [h for h in ROW_HEIGHTS if h * (rows + 4) <= self.view_height]
        # Never below READABLE_ROW: thinner rows hide the syllables and the key names, and a
        # wide range is better scrolled than squeezed into slivers.
        self.row_height = max(READABLE_ROW, min(max(fitting or [ROW_HEIGHTS[0]]), 16))
        self.scroll_x = 0.0
        self.centre_pitches(low_pitch, high_pitch, emit=False)
        self.changed.emit()

    def centre_pitches(self, low_pitch: int, high_pitch: int, emit: bool = True) -> None:
        """Scroll vertically so the pitch range low..high sits in the middle of the view."""
        centre = (PITCHES - 1 - (low_pitch + high_pitch) / 2 + 0.5) * self.row_height
        self.scroll_y = centre - self.view_height / 2
        self._clamp()
        if emit:
            self.changed.emit()

    def ensure_tick_visible(self, tick: float) -> None:
        """Page the view so the playhead stays on screen (follow playback)."""
        x = self.tick_to_x(tick)
        if x < 0 or x > self.view_width - 16:
            self.set_scroll(x=max(0.0, tick * self.px_per_tick - 16))

    def _clamp(self) -> None:
        self.scroll_x = max(0.0, self.scroll_x)
        max_y = max(0.0, self.total_height - self.view_height)
        self.scroll_y = max(0.0, min(max_y, self.scroll_y))
