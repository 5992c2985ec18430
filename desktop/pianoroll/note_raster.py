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


def _coverages(layers: int, rows: int, width: int, layer, row, x0, x1) -> np.ndarray:
    """Boolean coverage (layers, rows, width) of every layer in ONE bincount + cumsum."""
    stride = width + 1
    size = layers * rows * stride
    base = (layer * rows + row) * stride
    diff = np.bincount(base + x0, minlength=size) - np.bincount(base + x1, minlength=size)
    return np.cumsum(diff.reshape(layers, rows, stride)[:, :, :width], axis=2) > 0


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
    Layers are painted in order (ghosts, soft, medium, loud, selected): later ones win.
    """
    img = np.zeros((rows, width), np.uint8)
    parts, colours = [], []  # per layer: (row, x0, x1) and its palette index
    for slot, arr in ghosts:
        if len(arr):
            _, x0, x1, row = _visible(arr, mapping, width, top_pitch, rows, scale)
            if len(x0):
                parts.append((row, x0, x1))
                colours.append(GHOST_BASE + (slot % 16))
    edges = None
    if active is not None and len(active):
        keep, x0, x1, row = _visible(active, mapping, width, top_pitch, rows, scale)
        if len(x0):
            vel = active.velocities[keep]
            sel = selected[keep] if selected is not None and len(selected) == len(active) \
                else np.zeros(len(x0), bool)
            for index, mask in (
                (NOTE_LOW, vel < 64),
                (NOTE_MID, (vel >= 64) & (vel < 100)),
                (NOTE_HIGH, vel >= 100),
                (SELECTED, sel),
            ):
                mask = mask & ~sel if index != SELECTED else mask
                if mask.any():
                    parts.append((row[mask], x0[mask], x1[mask]))
                    colours.append(index)
            edges = (row, x0, x1, sel)
    if not parts:
        return img
    layer = np.concatenate([np.full(len(p[0]), i, np.int64) for i, p in enumerate(parts)])
    cover = _coverages(
        len(parts), rows, width, layer,
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )
    for i, colour in enumerate(colours):
        img[cover[i]] = colour
    if edges is not None:
        row, x0, x1, sel = edges
        # Dark left edges separate back-to-back notes of the same pitch.
        wide = (x1 - x0) >= 3
        img[row[wide & ~sel], x0[wide & ~sel]] = NOTE_EDGE
        both = wide & sel
        img[row[both], x0[both]] = SELECTED_EDGE
        img[row[both], x1[both] - 1] = SELECTED_EDGE
    return img
