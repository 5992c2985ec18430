"""Between the sampler's piano rolls and a Song's tracks: the key's pitch rows, a track's
notes from its roll, a track for a role. Shared by the sampler (sample.py) and the
composer (compose.py), which both sit above it: neither imports the other for these."""

from __future__ import annotations

import numpy as np

from core.model.pianoroll import (
    BAR_STEPS,
    LOWEST_PITCH,
    N_PITCHES,
    N_TRACKS,
    TICKS_PER_STEP,
    roll_notes,
    roll_to_song,
    track_for_role,
)
from core.model.song import Note, Song, Track
from core.model.theory import scale_pitch_classes


def key_mask(tonic: int, mode: str) -> np.ndarray:
    """(84,) bool: which pitch rows are in the key."""
    pcs = scale_pitch_classes(tonic, mode)
    return np.array([(i + LOWEST_PITCH) % 12 in pcs for i in range(N_PITCHES)])


def roll_track_notes(track_roll: np.ndarray, offset_ticks: int) -> list[Note]:
    """A (2, steps, 84) sounding/onset roll -> notes from ``offset_ticks``."""
    return [Note(offset_ticks + s * TICKS_PER_STEP, (e - s) * TICKS_PER_STEP, p + LOWEST_PITCH, 90)
            for s, e, p in roll_notes(track_roll[0], track_roll[1])]


def ensure_track(song: Song, role: str, index: int, style: str) -> Track:
    """The song's track for ``role``, added (with the style's instrument and a free MIDI
    channel) when it has none."""
    track = track_for_role(song, role)
    if track is None:
        template = roll_to_song(np.zeros((N_TRACKS, 2, BAR_STEPS, N_PITCHES), np.uint8),
                                style=style).tracks[index]
        used = {t.channel for t in song.tracks}
        template.channel = next(c for c in range(16) if c != 9 and c not in used)
        song.tracks.append(template)
        track = template
    return track
