"""Rasterise thousands of notes in one numpy pass into an indexed image.

Notes are bars inside pitch rows, so each row is a 1-D problem: a difference array
(+1 at the start column, -1 at the end) and a cumulative sum give the coverage of a
whole layer with no Python loop over notes. The result is a (rows x width) uint8
image of palette indices that QPainter scales to the row height in one drawImage.
"""

from __future__ import annotations

import numpy as np

# Palette indices, later layers win.
EMPTY, GHOST_BASE = 0, 1  # ghost tracks use GHOST_BASE .. GHOST_BASE+15
NOTE_LOW, NOTE_MID, NOTE_HIGH = 20, 21, 22  # active track, by velocity
NOTE_EDGE, SELECTED, SELECTED_EDGE = 23, 24, 25
PALETTE_SIZE = 26


class NoteArrays:
    """Column arrays of one track's notes (built once per change, reused per paint)."""

    __slots__ = ("starts", "ends", "pitches", "velocities")

    def __init__(self, notes) -> None:
        n = len(notes)
        self.starts = np.fromiter((x.start for x in notes), np.float64, n)
        self.ends = np.fromiter((x.start + x.duration for x in notes), np.float64, n)
        self.pitches = np.fromiter((x.pitch for x in notes), np.int32, n)
        self.velocities = np.fromiter((x.velocity for x in notes), np.int32, n)

    def __len__(self) -> int:
        return len(self.starts)


def _visible(arr: NoteArrays, mapping, width: int, top_pitch: int, rows: int, scale: float):
    """Pixel columns and row indices of the notes inside the window."""
    x0 = (arr.starts * mapping.px_per_tick - mapping.scroll_x) * scale
    x1 = (arr.ends * mapping.px_per_tick - mapping.scroll_x) * scale
    row = top_pitch - arr.pitches
    keep = (x1 > 0) & (x0 < width) & (row >= 0) & (row < rows)
    x0 = np.clip(np.floor(x0[keep]), 0, width - 1).astype(np.int64)
    # Every note keeps at least one pixel column, however far out the zoom.
    x1 = np.clip(np.maximum(np.floor(x1[keep]), x0 + 1), 1, width).astype(np.int64)
    return keep, x0, x1, row[keep].astype(np.int64)


def _coverage(rows: int, width: int, row: np.ndarray, x0: np.ndarray, x1: np.ndarray):
    diff = np.zeros((rows, width + 1), np.int32)
    np.add.at(diff, (row, x0), 1)
    np.add.at(diff, (row, x1), -1)
    return np.cumsum(diff[:, :width], axis=1) > 0


def rasterise(
    mapping,
    width: int,
    top_pitch: int,
    rows: int,
    active: NoteArrays | None,
    selected: np.ndarray | None,
    ghosts: list[tuple[int, NoteArrays]],
    scale: float = 1.0,
) -> np.ndarray:
    """Palette-index image of shape (rows, width); row 0 is ``top_pitch``.

    ``selected`` is a boolean mask over ``active``'s notes; ``ghosts`` pairs a palette
    slot (0..15) with the arrays of another track. ``scale`` is the device pixel ratio.
    """
    img = np.zeros((rows, width), np.uint8)
    for slot, arr in ghosts:
        if not len(arr):
            continue
        _, x0, x1, row = _visible(arr, mapping, width, top_pitch, rows, scale)
        if len(x0):
            img[_coverage(rows, width, row, x0, x1)] = GHOST_BASE + (slot % 16)
    if active is None or not len(active):
        return img
    keep, x0, x1, row = _visible(active, mapping, width, top_pitch, rows, scale)
    if not len(x0):
        return img
    vel = active.velocities[keep]
    sel = selected[keep] if selected is not None and len(selected) == len(active) else None
    for index, mask in (
        (NOTE_LOW, vel < 64),
        (NOTE_MID, (vel >= 64) & (vel < 100)),
        (NOTE_HIGH, vel >= 100),
    ):
        if sel is not None:
            mask = mask & ~sel
        if mask.any():
            img[_coverage(rows, width, row[mask], x0[mask], x1[mask])] = index
    # Dark left edges separate back-to-back notes of the same pitch.
    wide = (x1 - x0) >= 3
    plain = wide if sel is None else wide & ~sel
    img[row[plain], x0[plain]] = NOTE_EDGE
    if sel is not None and sel.any():
        img[_coverage(rows, width, row[sel], x0[sel], x1[sel])] = SELECTED
        edge = sel & wide
        img[row[edge], x0[edge]] = SELECTED_EDGE
        img[row[edge], x1[edge] - 1] = SELECTED_EDGE
    return img
