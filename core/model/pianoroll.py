"""Song <-> multitrack piano-roll arrays: the music GAN's representation.

A roll is ``uint8`` of shape ``(tracks, 2, steps, pitches)``: map 0 says a pitch is
sounding at a step, map 1 says a note starts there (so a repeated note is two notes, not
one long one, unlike a plain binary roll). Tracks are melody, harmony, bass; the grid is
4 steps per beat (16 per 4/4 bar), pitches MIDI 24..107 (C1..B7, 7 octaves).

Pure numpy, no torch: used by sampling, metrics, originality and the training data.
"""

from __future__ import annotations

import numpy as np

from core.model.song import TICKS_PER_BEAT, Note, Song, TempoChange, TimeSignature, Track
from core.model.styles import DEFAULT_STYLE, STYLE_PROGRAMS

TRACK_ROLES = ("melody", "harmony", "bass")
N_TRACKS = len(TRACK_ROLES)
STEPS_PER_BEAT = 4
BAR_STEPS = 4 * STEPS_PER_BEAT
PHRASE_BARS = 4
LOWEST_PITCH = 24
N_PITCHES = 84
TICKS_PER_STEP = TICKS_PER_BEAT // STEPS_PER_BEAT

# General MIDI programs per style and role (melody, harmony, bass).
TRACK_NAMES = ("Melody", "Harmony", "Bass")

# Krumhansl & Kessler (1982) key profiles, as used by the Krumhansl-Schmuckler algorithm.
_MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def estimate_key(pitch_weights: np.ndarray) -> tuple[int, str]:
    """Krumhansl-Schmuckler key estimate from per-pitch weights (any length >= 12).

    ``pitch_weights[i]`` is the duration of pitch ``LOWEST_PITCH + i`` (or of pitch class
    ``i`` when 12 long). Returns (tonic 0..11, "major"|"minor"); C major for silence.
    """
    w = np.asarray(pitch_weights, float)
    if len(w) != 12:
        pcs = (np.arange(len(w)) + LOWEST_PITCH) % 12
        w = np.bincount(pcs, weights=w, minlength=12)
    if w.sum() <= 0:
        return 0, "major"
    best, best_r = (0, "major"), -2.0
    for mode, profile in (("major", _MAJOR_PROFILE), ("minor", _MINOR_PROFILE)):
        for tonic in range(12):
            r = np.corrcoef(w, np.roll(profile, tonic))[0, 1]
            if r > best_r:
                best, best_r = (tonic, mode), r
    return best


def track_for_role(song: Song, role: str) -> Track | None:
    track = song.track_by_role(role)
    if track is not None:
        return track
    # Foreign MIDI files rarely carry roles: take non-drum tracks in order, by mean pitch.
    plain = [t for t in song.tracks if not t.is_drum and t.notes]
    if not plain:
        return None
    plain.sort(key=lambda t: -np.mean([n.pitch for n in t.notes]))
    i = TRACK_ROLES.index(role)
    if len(plain) == 1:
        return plain[0] if role == "melody" else None
    if len(plain) == 2:
        return {0: plain[0], 2: plain[1]}.get(i)
    return plain[0] if i == 0 else plain[-1] if i == 2 else plain[1]


def song_to_roll(song: Song, bars: int | None = None) -> np.ndarray:
    """The song's melody/harmony/bass as a (3, 2, steps, 84) roll; steps = bars * 16."""
    tpb = song.ticks_per_bar()
    if bars is None:
        bars = max(1, song.bar_count())
    steps = bars * tpb // TICKS_PER_STEP if tpb else bars * BAR_STEPS
    roll = np.zeros((N_TRACKS, 2, steps, N_PITCHES), np.uint8)
    for t, role in enumerate(TRACK_ROLES):
        track = track_for_role(song, role)
        if track is None:
            continue
        for n in track.notes:
            p = n.pitch - LOWEST_PITCH
            if not 0 <= p < N_PITCHES:
                continue
            s = int(round(n.start / TICKS_PER_STEP))
            e = max(s + 1, int(round(n.end / TICKS_PER_STEP)))
            if s >= steps:
                continue
            roll[t, 0, s:min(e, steps), p] = 1
            roll[t, 1, s, p] = 1
    return roll


def roll_notes(sounding: np.ndarray, onsets: np.ndarray | None = None) -> list[tuple[int, int, int]]:
    """(steps, pitches) maps -> [(start_step, end_step, pitch_index)], end exclusive.

    A note starts where a pitch begins sounding, or where the onset map marks a
    re-attack while it is already sounding.
    """
    steps, pitches = sounding.shape
    notes = []
    on = sounding.astype(bool)
    re = onsets.astype(bool) & on if onsets is not None else np.zeros_like(on)
    for p in np.flatnonzero(on.any(axis=0)):
        col, rcol = on[:, p], re[:, p]
        t = 0
        while t < steps:
            if not col[t]:
                t += 1
                continue
            u = t + 1
            while u < steps and col[u] and not rcol[u]:
                u += 1
            notes.append((t, u, int(p)))
            t = u
    notes.sort()
    return notes


def roll_to_song(roll: np.ndarray, key: int = 0, mode: str = "major", tempo: float = 96.0,
                 style: str = DEFAULT_STYLE, title: str = "Generated",
                 velocity: int = 90) -> Song:
    """A (3, 2, steps, 84) roll -> a Song with melody, harmony and bass tracks in 4/4."""
    programs = STYLE_PROGRAMS.get(style, STYLE_PROGRAMS[DEFAULT_STYLE])
    tracks = []
    for t, role in enumerate(TRACK_ROLES):
        notes = [Note(s * TICKS_PER_STEP, (e - s) * TICKS_PER_STEP, p + LOWEST_PITCH,
                      velocity - (8 if role == "harmony" else 0))
                 for s, e, p in roll_notes(roll[t, 0], roll[t, 1])]
        tracks.append(Track(name=TRACK_NAMES[t], role=role, program=programs[t], channel=t,
                            notes=notes))
    return Song(title=title, tempos=[TempoChange(0, float(tempo))],
                time_signature=TimeSignature(4, 4), key=key % 12, mode=mode, tracks=tracks)
