"""Originality: how much of a melody is copied from the training songs.

The index (``originality_index.npz``, built at training time, shipped beside the weights)
holds every training song's melody as a sequence of intervals in semitones between
consecutive notes (rests and rhythm ignored, so a copied tune is found in any key and any
rhythm). Two numbers, shown by ``songloom-cli score music``:

- ``longest_shared_run``: the longest run of consecutive melody intervals of the song that
  also occurs, in the same order, in some training melody. For scale: any melody shares
  runs of 3-5 intervals with a corpus this size (scales and arpeggios); a run of 12 or
  more is a recognisable quotation.
- ``near_copy_phrase_rate``: the fraction of the song's 4-bar phrases (with at least
  ``MIN_PHRASE_INTERVALS`` intervals) whose melody shares a run with the training set
  covering at least ``NEAR_COPY_COVERAGE`` of its intervals.

Pure numpy: longest common runs come from rolling hashes of n-grams, by binary search on n.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import ModelError
from core.model.pianoroll import BAR_STEPS, PHRASE_BARS, TICKS_PER_STEP, track_for_role
from core.model.song import Song

INDEX_FILE = "originality_index.npz"
MAX_INDEX_BYTES = 64 * 2**20  # the shipped index is ~100 kB
NEAR_COPY_COVERAGE = 0.8
MIN_PHRASE_INTERVALS = 6
_SEP = 127  # separates songs; never a real interval in the index
_BASE = np.uint64(1_000_003)


@dataclass
class OriginalityIndex:
    intervals: np.ndarray  # int8, all training melodies joined by _SEP
    songs: int

    def save(self, folder: Path) -> Path:
        from core.io.atomic_write import atomic_write_npz

        folder.mkdir(parents=True, exist_ok=True)
        return atomic_write_npz(folder / INDEX_FILE, compressed=True,
                                intervals=self.intervals, songs=np.asarray([self.songs]))

    @classmethod
    def load(cls, folder: Path) -> OriginalityIndex:
        from core.io.safe_weights import read_npz

        path = Path(folder) / INDEX_FILE
        # No pickles, declared sizes checked before anything is inflated, every zip/numpy
        # failure (a corrupt or keyless file) one ModelError.
        arrays = read_npz(path, {"intervals": ("i", "u"), "songs": ("i", "u")},
                          error_cls=ModelError, max_bytes=MAX_INDEX_BYTES,
                          max_array_bytes=MAX_INDEX_BYTES)
        intervals, songs = arrays["intervals"], arrays["songs"]
        if intervals.ndim != 1 or songs.shape != (1,) or not 0 <= int(songs[0]) < 2**31:
            raise ModelError("not a valid originality index (arrays of the wrong shape)", path)
        return cls(intervals.astype(np.int8), int(songs[0]))


def melody_intervals(pitches: list[int] | np.ndarray) -> np.ndarray:
    """Semitone steps between consecutive notes, clipped to +-2 octaves."""
    p = np.asarray(pitches, np.int16)
    return np.clip(np.diff(p), -24, 24).astype(np.int8) if len(p) > 1 else np.zeros(0, np.int8)


def build_index(melodies: list[np.ndarray]) -> OriginalityIndex:
    """From each training song's melody pitches in onset order (highest pitch per onset)."""
    parts = []
    for pitches in melodies:
        parts.append(melody_intervals(pitches))
        parts.append(np.asarray([_SEP], np.int8))
    joined = np.concatenate(parts) if parts else np.zeros(0, np.int8)
    return OriginalityIndex(joined, len(melodies))


def _ngram_hashes(seq: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hashes of every length-n window (uint64 arithmetic wraps, on purpose)."""
    if len(seq) < n:
        return np.zeros(0, np.uint64)
    v = (seq.astype(np.int64) + 64).astype(np.uint64)
    h = np.zeros(len(seq) - n + 1, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _BASE + v[k:len(seq) - n + 1 + k]
    return h


def _has_shared(query: np.ndarray, index: OriginalityIndex, n: int) -> np.ndarray:
    """For each length-n window of query: does it occur in the index (not across songs)?"""
    q = _ngram_hashes(query, n)
    if not len(q):
        return np.zeros(0, bool)
    ref = _ngram_hashes(index.intervals, n)
    if n > 1:  # drop windows spanning a song separator
        seps = np.flatnonzero(index.intervals == _SEP)
        bad = np.zeros(len(ref) + n, np.int64)
        np.add.at(bad, np.maximum(seps - n + 1, 0), 1)
        np.add.at(bad, seps + 1, -1)
        ref = ref[np.cumsum(bad)[: len(ref)] == 0]
    return np.isin(q, ref)


def longest_shared_run(query: np.ndarray, index: OriginalityIndex) -> int:
    """The largest n such that some n consecutive intervals of ``query`` are in the index."""
    lo, hi = 0, len(query)
    while lo < hi:  # sharing a run of n implies sharing every shorter run: binary search
        mid = (lo + hi + 1) // 2
        if _has_shared(query, index, mid).any():
            lo = mid
        else:
            hi = mid - 1
    return lo


def song_melody_pitches(song: Song, start_tick: int = 0, end_tick: int | None = None) -> list[int]:
    track = track_for_role(song, "melody")
    if track is None:
        return []
    by_onset: dict[int, int] = {}
    for n in track.notes:
        if n.start >= start_tick and (end_tick is None or n.start < end_tick):
            by_onset[n.start] = max(by_onset.get(n.start, 0), n.pitch)
    return [by_onset[t] for t in sorted(by_onset)]


def originality(song: Song, index: OriginalityIndex) -> dict[str, float]:
    """{longest_shared_run, near_copy_phrase_rate, phrases_checked} for a song's melody."""
    whole = melody_intervals(song_melody_pitches(song))
    phrase_ticks = PHRASE_BARS * BAR_STEPS * TICKS_PER_STEP
    checked = copies = 0
    for start in range(0, max(song.end_tick(), 1), phrase_ticks):
        iv = melody_intervals(song_melody_pitches(song, start, start + phrase_ticks))
        if len(iv) < MIN_PHRASE_INTERVALS:
            continue
        checked += 1
        if longest_shared_run(iv, index) >= NEAR_COPY_COVERAGE * len(iv):
            copies += 1
    return {
        "longest_shared_run": float(longest_shared_run(whole, index)),
        "near_copy_phrase_rate": copies / checked if checked else float("nan"),
        "phrases_checked": float(checked),
    }
