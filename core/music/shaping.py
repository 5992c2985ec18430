"""Rules that turn the network's phrases into a song a songwriter can use (numpy, note lists).

The GAN writes 4 bars at a time and knows nothing of cadences or of the chords the
composer planned. After its notes are drawn (already leaning to the chord tones, see
compose.chord_bonus), these rules make what a listener must hear certain:

- no note is held longer than a bar: a longer one is struck again at each bar line (the
  complaint: a chorale melody holding C#5 for two bars);
- harmony notes where a chord begins are chord tones, and the bass plays the chord's
  bass there (a note that would clash with a new chord is moved to the nearest chord
  tone, in the same register); the melody leans to chord tones through the network's
  pitch choice (compose.chord_bonus), keeping some non-chord tones on strong beats as
  the songs do;
- every bar where the style's songs play has notes in that part: an empty bar takes the
  rhythm of its nearest sounding bar in the same part, re-pitched to its chord (the
  complaint: a bass with one note in four bars);
- each phrase ends on a cadence: the melody lands on the downbeat of the phrase's last
  bar on a tone of its chord (V for a half cadence, I for an authentic one, the tonic
  itself at the song's end), holds it and breathes before the next phrase; the bass
  plays the chord's root there; the last bar holds tonic, root and chord to its end.

Notes are [start_step, end_step, row] lists per track (row 0 = MIDI 24), 16 steps a bar.
"""

from __future__ import annotations

import numpy as np

from core.model.chords import Chord
from core.model.pianoroll import BAR_STEPS, LOWEST_PITCH, N_PITCHES, roll_notes

STEPS_PER_BEAT = 4
MELODY, HARMONY, BASS = 0, 1, 2
_ROW_PC = (np.arange(N_PITCHES) + LOWEST_PITCH) % 12


def roll_to_notes(roll: np.ndarray) -> list[list[list[int]]]:
    return [[[s, e, p] for s, e, p in roll_notes(roll[t, 0], roll[t, 1])]
            for t in range(roll.shape[0])]


def notes_to_roll(tracks: list[list[list[int]]], steps: int) -> np.ndarray:
    roll = np.zeros((len(tracks), 2, steps, N_PITCHES), np.uint8)
    for t, notes in enumerate(tracks):
        for s, e, p in notes:
            if 0 <= p < N_PITCHES and s < steps and e > s:
                roll[t, 0, s:min(e, steps), p] = 1
                roll[t, 1, s, p] = 1
    return roll


def nearest_row(row: int, pcs, allowed: np.ndarray | None = None) -> int:
    """The row nearest ``row`` whose pitch class is in ``pcs`` (ties: the lower one)."""
    wanted = np.zeros(12, bool)
    wanted[list(pcs)] = True
    ok = wanted[_ROW_PC]
    if allowed is not None and (ok & allowed).any():
        ok &= allowed
    rows = np.flatnonzero(ok)
    if not len(rows):
        return row
    return int(rows[np.argmin(np.abs(rows - row) * 2 + (rows > row))])


def split_long_notes(notes: list[list[int]], max_steps: int = BAR_STEPS) -> list[list[int]]:
    """A note longer than ``max_steps`` is struck again at each bar line it crosses."""
    out = []
    for s, e, p in notes:
        if e - s <= max_steps:
            out.append([s, e, p])
            continue
        cut = s
        while cut < e:
            nxt = min(e, (cut // BAR_STEPS + 1) * BAR_STEPS)
            out.append([cut, nxt, p])
            cut = nxt
    return sorted(out)


def split_at_chord_changes(notes, beat_chords: list[Chord], steps: int) -> list[list[int]]:
    """Harmony and bass: a note sounding into a new chord that does not belong to it is
    struck again there (and then moved to a chord tone by conform)."""
    out = []
    changes = [b * STEPS_PER_BEAT for b in range(1, len(beat_chords))
               if beat_chords[b] != beat_chords[b - 1]]
    for s, e, p in notes:
        cut = s
        for c in changes:
            if cut < c < e and _ROW_PC[p] not in beat_chords[c // STEPS_PER_BEAT].pitch_classes:
                out.append([cut, c, p])
                cut = c
        out.append([cut, e, p])
    return sorted(out)


def conform(tracks, beat_chords: list[Chord], allowed: np.ndarray | None,
            section_starts: tuple[int, ...] = ()) -> None:
    """Chord tones where a listener hears the chord change: the harmony's and the bass's
    notes that start where a chord begins (the bass's lowest note there on the chord's
    bass note); after that both may move through other notes of the key, as the songs'
    accompaniments do (the network already leans to the chord: compose.chord_bonus).
    The melody is left as the network sang it, leaning to chord tones on strong beats by
    the same bonus: the songs keep non-chord tones there (appoggiaturas, suspensions),
    and snapping them all made 93 % of strong-beat notes chord tones against the
    Lieder's 73-76 %."""
    def chord(step: int) -> Chord:
        return beat_chords[min(step // STEPS_PER_BEAT, len(beat_chords) - 1)]

    starts = {0, *section_starts} | {b * STEPS_PER_BEAT for b in range(1, len(beat_chords))
                                     if beat_chords[b] != beat_chords[b - 1]}
    for n in tracks[HARMONY]:
        if n[0] in starts and _ROW_PC[n[2]] not in chord(n[0]).pitch_classes:
            n[2] = nearest_row(n[2], chord(n[0]).pitch_classes, allowed)
    low: dict[int, int] = {}
    for n in tracks[BASS]:
        if n[0] in starts:
            low[n[0]] = min(low.get(n[0], n[2]), n[2])
    for n in tracks[BASS]:
        c = chord(n[0])
        if n[0] in starts and n[2] == low[n[0]]:  # the lowest note where a chord begins
            n[2] = nearest_row(n[2], {c.bass_pc}, allowed)
        elif n[0] in starts and _ROW_PC[n[2]] not in c.pitch_classes:
            n[2] = nearest_row(n[2], c.pitch_classes, allowed)
    for t in (HARMONY, BASS):  # two notes moved onto one pitch: keep one
        tracks[t] = _dedupe(tracks[t])


def _dedupe(notes):
    seen, out = set(), []
    for n in sorted(notes, key=lambda x: (x[0], x[2], -x[1])):
        if (n[0], n[2]) not in seen:
            seen.add((n[0], n[2]))
            out.append(n)
    # a re-struck pitch ends the one still holding it
    by_pitch: dict[int, list] = {}
    for n in out:
        prev = by_pitch.get(n[2])
        if prev is not None and prev[1] > n[0]:
            prev[1] = n[0]
        by_pitch[n[2]] = n
    return [n for n in sorted(out) if n[1] > n[0]]


def cut_at(notes, boundaries: list[int]) -> list[list[int]]:
    """Notes end at each boundary step (a section's start): a section is self-contained,
    so a repeated section sounds the same whatever came before it."""
    out = []
    for s, e, p in notes:
        cut = next((b for b in boundaries if s < b < e), None)
        out.append([s, cut if cut is not None else e, p])
    return out


def fill_empty_bars(notes, bars: list[int], beat_chords: list[Chord], allowed,
                    register: int, whole_chord: bool = False,
                    donors_first: set[int] | None = None, min_steps: int = 1
                    ) -> list[list[int]]:
    """Give each bar in ``bars`` that has no onset and nothing sounding the rhythm of the
    nearest bar of the same part that has onsets (among ``donors_first`` where it has
    some: the bar's own section), re-pitched to its own chord; where the part has none,
    the chord (``whole_chord``) or its bass note on beats 1 and 3. A bar sounding in
    fewer than ``min_steps`` of its 16 steps (one quarter note, say) is thin, not a rest
    the part takes: it gets a donor's figure too, from the bars that sound that long."""
    steps_on: dict[int, set] = {}
    for s, e, _ in notes:
        for t in range(s, e):
            steps_on.setdefault(t // BAR_STEPS, set()).add(t)
    full = {b for b, st in steps_on.items() if len(st) >= min_steps}
    by_bar: dict[int, list] = {}
    for n in notes:
        if n[0] // BAR_STEPS in full:
            by_bar.setdefault(n[0] // BAR_STEPS, []).append(n)
    out = [list(n) for n in notes]
    for bar in bars:
        if bar in full:
            continue
        lo = bar * BAR_STEPS
        if bar in steps_on:  # a thin bar: its notes give way to the figure
            out = [n for n in out if not lo <= n[0] < lo + BAR_STEPS]
            for n in out:
                if n[0] < lo < n[1]:
                    n[1] = lo
        donors = sorted(by_bar, key=lambda b: (donors_first is not None and b not in donors_first,
                                               abs(b - bar), b > bar))
        chord = beat_chords[min(bar * 4, len(beat_chords) - 1)]
        if donors:
            for s, e, p in by_bar[donors[0]]:
                s2 = lo + s % BAR_STEPS
                e2 = min(s2 + (e - s), lo + BAR_STEPS)
                c = beat_chords[min(s2 // 4, len(beat_chords) - 1)]
                out.append([s2, e2, nearest_row(p, c.pitch_classes, allowed)])
            continue
        if whole_chord:
            rows = {nearest_row(register + k, {pc}, allowed) for k, pc in
                    zip((0, 4, 7), chord.pitch_classes, strict=False)}
            out += [[lo, lo + BAR_STEPS, r] for r in sorted(rows)]
        else:
            r = nearest_row(register, {chord.bass_pc}, allowed)
            out += [[lo, lo + 8, r], [lo + 8, lo + BAR_STEPS, r]]
    return sorted(n for n in out if n[1] > n[0])


def keep_figure(notes, phrase_bars: list[int], beat_chords: list[Chord], allowed,
                rng: np.random.Generator, share: float) -> list[list[int]]:
    """An accompaniment keeps its figure: each later bar of a phrase (not its cadence bar)
    takes, with probability ``share``, the rhythm of the phrase's first bar, each note
    moved to the nearest tone of its own chord (the songs' piano parts repeat a bar's
    rhythm in over half their bars, its exact notes in under a fifth)."""
    if share <= 0 or len(phrase_bars) < 2:
        return notes
    first = phrase_bars[0]
    src = [n for n in notes if first * BAR_STEPS <= n[0] < (first + 1) * BAR_STEPS]
    if not src:
        return notes
    out = [list(n) for n in notes]
    for bar in phrase_bars[1:]:
        if rng.random() >= share:
            continue
        lo = bar * BAR_STEPS
        out = [n for n in out if not lo <= n[0] < lo + BAR_STEPS]
        for n in out:  # nothing held into the re-figured bar
            if n[0] < lo < n[1]:
                n[1] = lo
        for s, e, p in src:
            s2 = lo + s % BAR_STEPS
            c = beat_chords[min(s2 // STEPS_PER_BEAT, len(beat_chords) - 1)]
            out.append([s2, min(s2 + e - s, lo + BAR_STEPS), nearest_row(p, c.pitch_classes, allowed)])
    return _dedupe([n for n in out if n[1] > n[0]])


def diminish(notes, bars: list[int], beat_chords: list[Chord], allowed,
             rng: np.random.Generator, share: float) -> list[list[int]]:
    """More syllables to a bar: each melody note of a quarter or longer that starts in one
    of ``bars`` is sung as two notes, with probability ``share`` for each of its beats (a
    held half note mid-phrase is split more often than a quarter): its first half on its
    own pitch; the second a step of the key towards the next note where that is a third
    or more away (a passing tone), else another tone of the chord there (the melody
    arpeggiates rather than anticipating the next note); with no next note near, a
    neighbour, up or down as drawn. A second half on beat 1 or 3 is a chord tone. A pop
    melody sings 5.6 notes in a sung bar and 77 % of them an eighth or shorter (POP909),
    the lieder network about 3.5, mostly quarters and halves. A note whose split would
    repeat its pitch stays whole. The draws are made for every candidate note, so the same
    notes are divided alike (a repeated section, a chorus's restated opening)."""
    if share <= 0:
        return notes
    where = set(bars)
    ordered = sorted(list(n) for n in notes)
    out = []
    for i, (s, e, p) in enumerate(ordered):
        if s // BAR_STEPS not in where or e - s < STEPS_PER_BEAT:
            out.append([s, e, p])
            continue
        beats = (e - s) // STEPS_PER_BEAT
        split, up = rng.random() >= (1.0 - share) ** beats, rng.random() < 0.5
        nxt = ordered[i + 1][2] if i + 1 < len(ordered) and ordered[i + 1][0] - e <= 4 else None
        if not split:
            out.append([s, e, p])
            continue
        mid = s + (e - s) // 2 // 2 * 2  # on the eighths' grid: 4 -> 2 + 2, 12 -> 6 + 6
        c = beat_chords[min(mid // STEPS_PER_BEAT, len(beat_chords) - 1)]
        if nxt is not None and abs(nxt - p) <= 2:  # a step or the same note next: arpeggiate
            way = 1 if (nxt < p or (nxt == p and up)) else -1
            q = _chord_tone_from(p, way, c, allowed)
        else:
            way = (1 if nxt > p else -1) if nxt is not None and abs(nxt - p) <= 7 else (
                1 if up else -1)
            q = p + way
            while 0 <= q < N_PITCHES and allowed is not None and not allowed[q] and abs(q - p) < 3:
                q += way
            if mid % (2 * STEPS_PER_BEAT) == 0:  # (the nearest could be the note itself)
                q = _chord_tone_from(p, way, c, allowed)
        if not 0 <= q < N_PITCHES or q == p or (allowed is not None and not allowed[q]):
            out.append([s, e, p])
            continue
        out += [[s, mid, p], [mid, e, q]]
    return out


def _chord_tone_from(row: int, way: int, chord: Chord, allowed) -> int:
    """The first tone of ``chord`` beyond ``row`` going ``way`` (within a sixth), else the
    first the other way; ``row`` itself where there is none."""
    for w in (way, -way):
        for r in range(row + w, row + 10 * w, w):
            if 0 <= r < N_PITCHES and _ROW_PC[r] in chord.pitch_classes and (
                    allowed is None or allowed[r]):
                return r
    return row


def smooth_bass(notes, max_leap: int, allowed) -> list[list[int]]:
    """A bass note more than ``max_leap`` semitones from the bass's previous lowest note
    moves by octaves towards it (the same pitch class: the harmony is kept); 0 = off."""
    if max_leap <= 0:
        return notes
    out = sorted([list(n) for n in notes])
    prev = None
    by_onset: dict[int, list[list[int]]] = {}
    for n in out:
        by_onset.setdefault(n[0], []).append(n)
    for s in sorted(by_onset):
        group = by_onset[s]
        low = min(n[2] for n in group)
        if prev is not None and abs(low - prev) > max_leap:
            shift = 12 * round((prev - low) / 12)
            if shift and all(0 <= n[2] + shift < N_PITCHES and (allowed is None or allowed[n[2] + shift])
                             for n in group):
                for n in group:
                    n[2] += shift
                low += shift
        prev = low
    return _dedupe(out)


def cadence(tracks, bar: int, kind: str, chord: Chord, tonic: int, allowed,
            rng: np.random.Generator, settings: dict, next_start: int | None,
            melody_on_tonic: bool = False) -> None:
    """End a phrase in ``bar``: the melody lands on the downbeat on a tone of ``chord``
    (the tonic itself for "final", mostly the tonic for "authentic") and holds it, then
    breathes before ``next_start``; the bass plays the chord's root on the downbeat; at
    "final" the harmony holds its chord and everything sounds to the end of the bar."""
    lo, hi = bar * BAR_STEPS, (bar + 1) * BAR_STEPS
    mel = tracks[MELODY]
    before = [n for n in mel if n[0] < lo]
    prev_row = before[-1][2] if before else None
    draw = rng.random()  # drawn always, so the choices after it do not depend on the kind
    if kind == "final" or melody_on_tonic:
        pcs = {tonic}
    elif kind == "authentic" and draw < float(settings.get("authentic_tonic_share", 1.0)):
        pcs = {tonic}
    elif kind == "authentic":  # another tone of the tonic chord: its third or fifth
        pcs = set(chord.pitch_classes) - {tonic} or {tonic}
    else:
        pcs = set(chord.pitch_classes)
    sung = [n[2] for n in mel if lo - 2 * BAR_STEPS <= n[0] < hi]
    ref = prev_row if prev_row is not None else (int(np.median(sung)) if sung else 48)
    target = nearest_row(ref, pcs, allowed)
    if kind != "half" and target > ref:
        # A closing melody falls to its tonic (5-4-3-2-1, 3-2-1): from G5 it sinks to C5
        # rather than leap up to C6, unless that is more than a fifth down.
        below = nearest_row(ref - 6, pcs, allowed)
        if below <= ref and ref - below <= 7:
            target = below
    if kind == "final":
        end = hi
    else:
        holds = settings.get("cadence_hold_steps", [BAR_STEPS])
        end = lo + int(holds[int(rng.integers(len(holds)))])
        breath = int(settings.get("breath_steps", 0))
        limit = (next_start if next_start is not None else hi) - breath
        end = max(lo + 2, min(end, limit, hi))
    for n in mel:  # a note held into the cadence bar stops at its bar line
        if n[0] < lo < n[1]:
            n[1] = lo
    tracks[MELODY] = [n for n in mel if not lo <= n[0] < hi and n[1] > n[0]]
    tracks[MELODY].append([lo, end, target])
    tracks[MELODY].sort()
    # The bass: the chord's root on the downbeat, held through the bar at the end of the song.
    bass = tracks[BASS]
    low = [n[2] for n in bass if lo - 2 * BAR_STEPS <= n[0] < hi]
    b_ref = low[-1] if low else 24
    root = nearest_row(b_ref, {chord.root}, allowed)
    for n in bass:
        if n[0] < lo < n[1]:
            n[1] = lo
    keep_from = hi if kind == "final" else lo + 8
    tracks[BASS] = [n for n in bass if not lo <= n[0] < keep_from and n[1] > n[0]]
    tracks[BASS].append([lo, keep_from, root])
    tracks[BASS].sort()
    if kind == "final":
        _hold_chord(tracks, lo, hi, chord, allowed)


def _hold_chord(tracks, lo: int, hi: int, chord: Chord, allowed) -> None:
    """The harmony's notes sounding at the downbeat (moved to the chord) held to ``hi``;
    the chord voiced near the harmony's register where it is silent there."""
    harm = tracks[HARMONY]
    at = sorted({n[2] for n in harm if n[0] <= lo < n[1] or n[0] == lo})
    if not at:
        near = [n[2] for n in harm if n[0] < lo][-3:] or [40]
        centre = int(np.mean(near))
        at = [centre - 3, centre, centre + 4]
    rows = sorted({nearest_row(r, chord.pitch_classes, allowed) for r in at})
    for n in harm:
        if n[0] < lo < n[1]:
            n[1] = lo
    tracks[HARMONY] = [n for n in harm if n[0] < lo and n[1] > n[0]]
    tracks[HARMONY] += [[lo, hi, r] for r in rows]
    tracks[HARMONY].sort()


def resolve_dissonances(notes, beat_chords: list[Chord], allowed) -> list[list[int]]:
    """A melody note held a quarter or longer from a beat, outside the chord there, stays
    only where it resolves: the next note follows at once a step away, on a chord tone
    (an appoggiatura, a suspension). Otherwise it moves to the nearest chord tone: a
    tritone over IV held for a beat and left by a leap is what a listener hears as a
    wrong note. Notes on no beat, shorter notes and chord tones are left as they are."""
    out = [list(n) for n in sorted(notes)]
    for i, n in enumerate(out):
        s, e, p = n
        if s % STEPS_PER_BEAT or e - s < STEPS_PER_BEAT:
            continue
        c = beat_chords[min(s // STEPS_PER_BEAT, len(beat_chords) - 1)]
        if _ROW_PC[p] in c.pitch_classes:
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        if nxt is not None and nxt[0] == e and 0 < abs(nxt[2] - p) <= 2:
            after = beat_chords[min(nxt[0] // STEPS_PER_BEAT, len(beat_chords) - 1)]
            if _ROW_PC[nxt[2]] in after.pitch_classes:
                continue
        n[2] = nearest_row(p, c.pitch_classes, allowed)
    return out


def melody_monophonic(notes) -> list[list[int]]:
    """One voice: at a shared onset the higher note stays; a note ends where the next
    one begins."""
    top: dict[int, list[int]] = {}
    for n in notes:
        if n[0] not in top or n[2] > top[n[0]][2]:
            top[n[0]] = list(n)
    out = [top[k] for k in sorted(top)]
    for a, b in zip(out, out[1:], strict=False):
        a[1] = min(a[1], b[0])
    return [n for n in out if n[1] > n[0]]
