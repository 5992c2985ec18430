"""Objective music metrics over piano rolls (pure numpy; ``nan`` where undefined).

Rolls are (tracks, 2, steps, pitches) uint8 as in core/model/pianoroll.py: map 0 sounding,
map 1 onsets, 16 steps per 4/4 bar, pitch index 0 = MIDI 24. Each metric pools over all
the rolls it is given (ratios of summed counts, not means of per-phrase ratios), so 200
four-bar phrases and one 800-bar song give comparable numbers.

Warning kept from DESIGN.md: pypianoroll's and MuseGAN's ``empty_bar_rate`` return the
*non-empty* fraction; ``empty_bar_rate`` here returns the empty fraction, as its name says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from core.model.pianoroll import (
    BAR_STEPS,
    LOWEST_PITCH,
    TICKS_PER_STEP,
    TRACK_ROLES,
    roll_notes,
    song_to_roll,
)
from core.model.song import TICKS_PER_BEAT, Song
from core.model.theory import scale_pitch_classes

# A note shorter than an eighth (2 sixteenth steps) is not "qualified". MuseGAN counts
# notes shorter than 3 of its 96 steps per bar (a 32nd) as fragments; on our 16th grid
# every note is at least a 16th, so that rule would always give 1.0. Half a beat is the
# shortest value a singer or a bass line usually holds outside ornaments and runs.
QN_MIN_STEPS = 2
TRACK_PAIRS = (("melody", "harmony"), ("melody", "bass"), ("harmony", "bass"))

# Harte, Sandler & Gasser (2006) tonal centroid: fifths, minor thirds, major thirds circles.
_R = (1.0, 1.0, 0.5)
_TONAL = np.array([
    [_R[k // 2] * (math.sin if k % 2 == 0 else math.cos)(pc * ang) for pc in range(12)]
    for k, ang in enumerate((7 * math.pi / 6, 7 * math.pi / 6, 3 * math.pi / 2,
                             3 * math.pi / 2, 2 * math.pi / 3, 2 * math.pi / 3))
])


def _ratio(num: float, den: float) -> float:
    return float(num) / den if den else float("nan")


def _bars(sounding: np.ndarray) -> np.ndarray:
    steps = sounding.shape[0] // BAR_STEPS * BAR_STEPS
    return sounding[:steps].reshape(-1, BAR_STEPS, sounding.shape[1])


@lru_cache(maxsize=8)
def _fold(pitches: int) -> np.ndarray:
    """(pitches, 12): row i is pitch row i's pitch class, so ``x @ _fold(n)`` folds the
    pitch axis onto pitch classes in one product (a loop over 84 rows cost most of
    rolls_metrics' time; sums of counts are exact in float64)."""
    fold = np.eye(12)[(np.arange(pitches) + LOWEST_PITCH) % 12]
    fold.flags.writeable = False  # shared by every caller
    return fold


def empty_bar_rate(tracks: Iterable[np.ndarray]) -> float:
    """EB, empty-bar rate (Dong et al., "MuseGAN", AAAI 2018): the fraction of bars in
    which the track plays nothing. 1.0 = all bars empty. Input: (steps, pitches) maps."""
    empty = total = 0
    for s in tracks:
        bars = _bars(s)
        empty += int((~bars.any(axis=(1, 2))).sum())
        total += len(bars)
    return _ratio(empty, total)


def used_pitch_classes(tracks: Iterable[np.ndarray]) -> float:
    """UPC (Dong et al., "MuseGAN", AAAI 2018): the number of distinct pitch classes used
    per bar, 0..12, averaged over the bars that are not empty (so it is not a second EB)."""
    used = bars_n = 0
    for s in tracks:
        bars = _bars(s)
        nonempty = bars.any(axis=(1, 2))
        pitch_used = bars[nonempty].any(axis=1)  # (bars, pitches)
        pcs = (pitch_used @ _fold(pitch_used.shape[1])) > 0
        used += int(pcs.sum())
        bars_n += len(pitch_used)
    return _ratio(used, bars_n)


def qualified_note_rate(tracks: Iterable[tuple[np.ndarray, np.ndarray]],
                        min_steps: int = QN_MIN_STEPS) -> float:
    """QN, qualified-note rate (Dong et al., "MuseGAN", AAAI 2018): the fraction of notes
    lasting at least ``min_steps`` steps (default an eighth note; see QN_MIN_STEPS)."""
    good = total = 0
    for sounding, onsets in tracks:
        lengths = [e - s for s, e, _ in roll_notes(sounding, onsets)]
        good += sum(n >= min_steps for n in lengths)
        total += len(lengths)
    return _ratio(good, total)


def tonal_distance(pairs: Iterable[tuple[np.ndarray, np.ndarray]]) -> float:
    """TD, tonal distance (Dong et al., "MuseGAN", AAAI 2018, after Harte et al. 2006):
    per bar, the Euclidean distance between the two tracks' 6-D tonal centroids
    (duration-weighted chroma projected on the circles of fifths and thirds), averaged over
    bars where both tracks sound. Smaller = more harmonically related."""
    dists = []
    for a, b in pairs:
        ca, cb = _bar_chroma(a), _bar_chroma(b)
        both = (ca.sum(1) > 0) & (cb.sum(1) > 0)
        if not both.any():
            continue
        ta = (ca[both] / ca[both].sum(1, keepdims=True)) @ _TONAL.T
        tb = (cb[both] / cb[both].sum(1, keepdims=True)) @ _TONAL.T
        dists.extend(np.linalg.norm(ta - tb, axis=1).tolist())
    return float(np.mean(dists)) if dists else float("nan")


def _bar_chroma(sounding: np.ndarray) -> np.ndarray:
    bars = _bars(sounding).sum(axis=1).astype(float)  # (bars, pitches)
    return bars @ _fold(bars.shape[1])


def in_scale_rate(tracks: Iterable[np.ndarray], tonic: int, mode: str) -> float:
    """In-scale rate (muspy: Dong et al., ISMIR LBD 2020, "MusPy"): the fraction of sounding
    note-steps whose pitch class is in the key (minor = natural minor + raised 7th)."""
    mask = _scale_mask(tonic, mode)
    inside = total = 0
    for s in tracks:
        inside += int(s[:, mask[: s.shape[1]]].sum())
        total += int(s.sum())
    return _ratio(inside, total)


@lru_cache(maxsize=64)
def _scale_mask(tonic: int, mode: str) -> np.ndarray:
    pcs = scale_pitch_classes(tonic, mode)
    mask = np.array([(i + LOWEST_PITCH) % 12 in pcs for i in range(84)])
    mask.flags.writeable = False
    return mask


def pitch_class_entropy(tracks: Iterable[np.ndarray]) -> float:
    """Pitch-class entropy in bits (muspy, Dong et al. 2020, after Wu & Yang 2020): the
    Shannon entropy of the duration-weighted pitch-class histogram, 0..log2(12)=3.585."""
    hist = np.zeros(12)
    for s in tracks:
        per_pitch = s.sum(axis=0).astype(float)
        hist += per_pitch @ _fold(len(per_pitch))
    if hist.sum() == 0:
        return float("nan")
    p = hist[hist > 0] / hist.sum()
    return float(-(p * np.log2(p)).sum())


def polyphony_rate(tracks: Iterable[np.ndarray]) -> float:
    """Polyphony rate (after muspy, Dong et al. 2020): among the steps where the track
    sounds, the fraction with two or more pitches at once. (muspy divides by all steps;
    we divide by sounding steps so that rests do not dilute it.)"""
    poly = sounding = 0
    for s in tracks:
        n = s.sum(axis=1)
        poly += int((n >= 2).sum())
        sounding += int((n >= 1).sum())
    return _ratio(poly, sounding)


def pitch_range(tracks: Iterable[np.ndarray], window_bars: int = 4) -> float:
    """Pitch range (muspy, Dong et al. 2020): highest minus lowest sounding pitch of each
    4-bar phrase, in semitones, averaged over the phrases that sound (so one stray note
    five octaves away shows, as a listener hears it). Per phrase, so that a whole song
    compares with the 4-bar phrases of the training data."""
    spans = []
    window = window_bars * BAR_STEPS
    for s in tracks:
        for lo in range(0, max(len(s), 1), window):
            rows = np.flatnonzero(s[lo:lo + window].any(axis=0))
            if len(rows):
                spans.append(float(rows[-1] - rows[0]))
    return float(np.mean(spans)) if spans else float("nan")


def mean_pitch(tracks: Iterable[np.ndarray]) -> float:
    """Duration-weighted mean MIDI pitch of the sounding cells (the part's register)."""
    total = weight = 0.0
    for s in tracks:
        per_pitch = s.sum(axis=0).astype(float)
        total += float((per_pitch * (np.arange(len(per_pitch)) + LOWEST_PITCH)).sum())
        weight += float(per_pitch.sum())
    return _ratio(total, weight)


def pitch_interval(onsets: Iterable[tuple[np.ndarray, np.ndarray]]) -> float:
    """PI, average pitch interval (Yang & Lerch, "On the evaluation of generative models in
    music", Neural Computing and Applications 2020): the mean absolute interval in
    semitones between consecutive notes of the part's top line (the highest pitch struck
    at each onset), pooled over the rolls."""
    total = count = 0
    for sounding, onset in onsets:
        struck = (onset > 0) & (sounding > 0)
        steps = np.flatnonzero(struck.any(axis=1))
        if len(steps) < 2:
            continue
        top = np.array([np.flatnonzero(struck[i])[-1] for i in steps])
        total += int(np.abs(np.diff(top)).sum())
        count += len(top) - 1
    return _ratio(total, count)


def drum_pattern_rate(song: Song, tolerance_ticks: int = TICKS_PER_BEAT // 24) -> float:
    """DP, drum-pattern rate (Dong et al., "MuseGAN", AAAI 2018): the fraction of drum
    onsets that fall on an 8- or 16-beat grid (sixteenth-note lines, within a 96th of a bar).
    Measured on the song's ticks, since on our 16th grid every onset is on the grid.
    ``nan`` without drum notes."""
    notes = [n for t in song.tracks if t.is_drum for n in t.notes]
    if not notes:
        return float("nan")
    on_grid = sum(min(n.start % TICKS_PER_STEP, TICKS_PER_STEP - n.start % TICKS_PER_STEP)
                  <= tolerance_ticks for n in notes)
    return on_grid / len(notes)


def _nanmean(values: list[float]) -> float:
    v = [x for x in values if not math.isnan(x)]
    return float(np.mean(v)) if v else float("nan")


def rolls_metrics(rolls: list[np.ndarray], tonic_modes: list[tuple[int, str]] | None = None
                  ) -> dict[str, dict[str, float]]:
    """Metrics pooled over rolls (each (3, 2, steps, 84)): {role: {...}, "pairs": {TD...}}."""
    out: dict[str, dict[str, float]] = {}
    for t, role in enumerate(TRACK_ROLES):
        s = [r[t, 0].astype(bool) for r in rolls]
        m = {
            "EB": empty_bar_rate(s),
            "UPC": used_pitch_classes(s),
            "QN": qualified_note_rate([(r[t, 0], r[t, 1]) for r in rolls]),
            # Per roll, then averaged: pooled over phrases in many keys it would near 3.58.
            "pitch_class_entropy": _nanmean([pitch_class_entropy([x]) for x in s]),
            "polyphony_rate": polyphony_rate(s),
            "pitch_range": pitch_range(s),
            "mean_pitch": mean_pitch(s),
            "PI": pitch_interval([(r[t, 0], r[t, 1]) for r in rolls]),
        }
        if tonic_modes is not None:
            inside = [in_scale_rate([x], k, md) for x, (k, md) in zip(s, tonic_modes, strict=True)]
            weights = [int(x.sum()) for x in s]
            m["in_scale"] = _ratio(sum(v * w for v, w in zip(inside, weights, strict=True)
                                       if w), sum(weights))
        out[role] = m
    out["pairs"] = {
        f"TD {a}-{b}": tonal_distance((r[TRACK_ROLES.index(a), 0], r[TRACK_ROLES.index(b), 0])
                                      for r in rolls)
        for a, b in TRACK_PAIRS
    }
    return out


def song_metrics(song: Song) -> dict[str, dict[str, float]]:
    """Per-track metrics of a Song (melody/harmony/bass) plus pair TD and, with drums, DP."""
    roll = song_to_roll(song)
    out = rolls_metrics([roll], [(song.key, song.mode)])
    dp = drum_pattern_rate(song)
    if not math.isnan(dp):
        out["drums"] = {"DP": dp}
    return out

