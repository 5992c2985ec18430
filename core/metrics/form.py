"""Metrics of a song's shape and harmony over piano rolls (pure numpy).

Rolls are (tracks, 2, steps, 84) as in core/model/pianoroll.py (16 steps per 4/4 bar).
The same functions score the training songs (cross-validation folds) and generated songs,
so both sides are measured alike; where a metric needs chords, they are estimated from
the accompaniment by ``estimate_chords`` on both sides (a MIDI file carries no chords).

- bar repetition per track: the share of a track's sounding bars that repeat an earlier
  bar of the same window exactly, transposed, or in rhythm only (each looser kind includes
  the stricter ones: an exact repeat is also a rhythm repeat);
- chord-tone share on strong beats: melody onsets on beats 1 and 3 whose pitch class is
  in the chord sounding there;
- phrase-final chord tones: melody notes followed by a rest of at least a beat (or the
  end), whose pitch class is in the chord sounding at their onset;
- final tonic: whether the melody's last note is the tonic.
"""

from __future__ import annotations

import numpy as np

from core.metrics.music import rolls_metrics
from core.model.chords import QUALITIES, Chord
from core.model.pianoroll import BAR_STEPS, LOWEST_PITCH, N_PITCHES, TRACK_ROLES, roll_notes

SLOT_STEPS = 8  # chords are estimated per half bar (two per 4/4 bar)
STRONG_STEPS = (0, 8)  # beats 1 and 3 of a 4/4 bar
BREATH_STEPS = 4  # a rest of a beat after a melody note ends its phrase
REPEAT_WINDOW_BARS = 32  # repetition is counted within windows of this many bars
_PC = (np.arange(N_PITCHES) + LOWEST_PITCH) % 12
_TEMPLATES = [(root, q) for root in range(12) for q in ("", "m", "dim", "7")]
_TEMPLATE_PCS = np.zeros((len(_TEMPLATES), 12))
for _i, (_root, _q) in enumerate(_TEMPLATES):
    _TEMPLATE_PCS[_i, [(_root + k) % 12 for k in QUALITIES[_q]]] = 1.0
_ROOTS = np.array([r for r, _ in _TEMPLATES])
# A seventh chord must earn its fourth tone: without the penalty every triad with a passing
# tone a minor seventh above its root read as a dominant seventh.
_SEVENTH_PENALTY = np.array([0.15 if q == "7" else 0.0 for _, q in _TEMPLATES])


def estimate_chords(roll: np.ndarray, slot_steps: int = SLOT_STEPS) -> list[Chord | None]:
    """One chord per slot (half bar) from the harmony and bass (the melody where both are
    silent): the triad or dominant seventh whose tones cover most of the sounding
    duration, with the bass's lowest note as a bonus for the root. None where nothing
    sounds."""
    steps = roll.shape[2]
    out: list[Chord | None] = []
    for lo in range(0, steps - steps % slot_steps or steps, slot_steps):
        acc = roll[1:, 0, lo:lo + slot_steps].astype(np.float64)  # (2, slot, 84)
        w = np.zeros(12)
        np.add.at(w, _PC, acc[0].sum(axis=0) + 2.0 * acc[1].sum(axis=0))
        if w.sum() == 0:
            np.add.at(w, _PC, roll[0, 0, lo:lo + slot_steps].sum(axis=0).astype(np.float64))
        if w.sum() == 0:
            out.append(None)
            continue
        w = w / w.sum()
        score = _TEMPLATE_PCS @ w - 0.5 * ((1 - _TEMPLATE_PCS) @ w) - _SEVENTH_PENALTY
        bass = np.flatnonzero(acc[1].any(axis=0))
        if len(bass):
            score = score + 0.2 * (_ROOTS == _PC[bass[0]])
        root, q = _TEMPLATES[int(np.argmax(score))]
        out.append(Chord(root, q))
    return out


def _slot_pcs(chords: list[Chord | None]) -> list[frozenset]:
    return [frozenset(c.pitch_classes) if c is not None else frozenset() for c in chords]


def melody_notes(roll: np.ndarray) -> list[tuple[int, int, int]]:
    """The melody's notes (start, end, MIDI pitch), the top note where two start together."""
    notes = roll_notes(roll[0, 0], roll[0, 1])
    top: dict[int, tuple[int, int, int]] = {}
    for s, e, p in notes:
        if s not in top or p + LOWEST_PITCH > top[s][2]:
            top[s] = (s, e, p + LOWEST_PITCH)
    return [top[k] for k in sorted(top)]


def strong_beat_chord_tones(roll: np.ndarray, chords: list[Chord | None] | None = None
                            ) -> tuple[int, int]:
    """(hits, onsets): melody onsets on beats 1 and 3 that are chord tones."""
    chords = estimate_chords(roll) if chords is None else chords
    pcs = _slot_pcs(chords)
    hit = total = 0
    for s, _, p in melody_notes(roll):
        if s % BAR_STEPS in STRONG_STEPS and s // SLOT_STEPS < len(pcs) and pcs[s // SLOT_STEPS]:
            total += 1
            hit += p % 12 in pcs[s // SLOT_STEPS]
    return hit, total


def phrase_final_chord_tones(roll: np.ndarray, chords: list[Chord | None] | None = None
                             ) -> tuple[int, int]:
    """(hits, phrase ends): melody notes followed by a rest of a beat or more (or the end)
    whose pitch class is in the chord at their onset."""
    chords = estimate_chords(roll) if chords is None else chords
    pcs = _slot_pcs(chords)
    notes = melody_notes(roll)
    hit = total = 0
    for i, (s, e, p) in enumerate(notes):
        nxt = notes[i + 1][0] if i + 1 < len(notes) else None
        if (nxt is None or nxt - e >= BREATH_STEPS) and s // SLOT_STEPS < len(pcs) \
                and pcs[s // SLOT_STEPS]:
            total += 1
            hit += p % 12 in pcs[s // SLOT_STEPS]
    return hit, total


def final_note_is_tonic(roll: np.ndarray, tonic: int) -> bool | None:
    """Whether the melody's last note is the tonic; None without melody notes."""
    notes = melody_notes(roll)
    return None if not notes else notes[-1][2] % 12 == tonic % 12


def _bar_patterns(track: np.ndarray):
    """Per bar: (exact key, transposition-free key, rhythm key), or None when silent."""
    sounding, onsets = track
    out = []
    for lo in range(0, sounding.shape[0] - sounding.shape[0] % BAR_STEPS, BAR_STEPS):
        notes = roll_notes(sounding[lo:lo + BAR_STEPS], onsets[lo:lo + BAR_STEPS])
        if not notes:
            out.append(None)
            continue
        exact = tuple(sorted(notes))
        low = min(p for _, _, p in notes)
        shifted = tuple(sorted((s, e, p - low) for s, e, p in notes))
        rhythm = tuple(sorted({(s, e) for s, e, _ in notes}))
        out.append((exact, shifted, rhythm))
    return out


def repetition_counts(roll: np.ndarray, window_bars: int = REPEAT_WINDOW_BARS) -> np.ndarray:
    """(tracks, 4): per track, sounding bars that repeat an earlier bar of their window
    exactly, transposed (exact included), in rhythm (both included), and sounding bars."""
    out = np.zeros((roll.shape[0], 4), np.int64)
    for t in range(roll.shape[0]):
        bars = _bar_patterns(roll[t])
        for w0 in range(0, len(bars), window_bars):
            seen: list[set] = [set(), set(), set()]
            for pattern in bars[w0:w0 + window_bars]:
                if pattern is None:
                    continue
                out[t, 3] += 1
                for k in range(3):  # an exact repeat's looser keys were seen too
                    out[t, k] += pattern[k] in seen[k]
                    seen[k].add(pattern[k])
    return out


# -- the cross-validation rows (core/training/music_cv.py, bench music, score music) --
TRACK_METRICS = ("EB", "UPC", "QN", "PI", "pitch_range", "repeat_exact", "repeat_transposed",
                 "repeat_rhythm")
MELODY_ROWS = ("phrase_final_chord_tone", "final_tonic", "strong_beat_chord_tone")
PAIRS = ("TD melody-harmony", "TD melody-bass", "TD harmony-bass")


def row_names() -> list[str]:
    return ([f"{t} {m}" for t in TRACK_ROLES for m in TRACK_METRICS]
            + [f"pairs {p}" for p in PAIRS] + [f"melody {m}" for m in MELODY_ROWS])


def cv_values(rolls: list[np.ndarray], keys: list[tuple[int, str]]) -> dict[str, float]:
    """Every row's value pooled over the songs (rolls) given, each in its key."""
    m = rolls_metrics(rolls, keys)
    out = {f"{t} {k}": float(m[t][k]) for t in TRACK_ROLES for k in ("EB", "UPC", "QN", "PI",
                                                                      "pitch_range")}
    out.update({f"pairs {p}": float(m["pairs"][p]) for p in PAIRS})
    reps = sum(repetition_counts(r) for r in rolls)
    for t, role in enumerate(TRACK_ROLES):
        for k, name in enumerate(("repeat_exact", "repeat_transposed", "repeat_rhythm")):
            out[f"{role} {name}"] = float(reps[t, k] / reps[t, 3]) if reps[t, 3] else float("nan")
    hits = np.zeros((2, 2))
    finals = []
    for r, (tonic, _) in zip(rolls, keys, strict=True):
        hits[0] += phrase_final_chord_tones(r)
        hits[1] += strong_beat_chord_tones(r)
        f = final_note_is_tonic(r, tonic)
        if f is not None:
            finals.append(f)
    out["melody phrase_final_chord_tone"] = float(hits[0, 0] / hits[0, 1]) if hits[0, 1] else float("nan")
    out["melody strong_beat_chord_tone"] = float(hits[1, 0] / hits[1, 1]) if hits[1, 1] else float("nan")
    out["melody final_tonic"] = float(np.mean(finals)) if finals else float("nan")
    return out
