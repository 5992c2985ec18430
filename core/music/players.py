"""How a style's band plays the harmony and the bass from the song's chords and the
network's notes (the ways are named in core/model/styles.py: HARMONY_PLAYS, BASS_PLAYS).

The chords say *what* to play (song.chords), the style's pattern *when*, and the network's
own notes *where*: each chord is voiced near the pitches the network gave the part at
that point (and close to the voicing before it, so the voices move little). A chord that
changes between two hits of the pattern is struck where it changes. Choruses are played
fuller and a little louder than verses. Pure functions over notes, no I/O.
"""

from __future__ import annotations

import bisect

from core.model.chords import Chord, ChordEvent
from core.model.song import TICKS_PER_BEAT, Note

STEP = TICKS_PER_BEAT // 4
# (step, length in steps, velocity) per bar; "light" in verses, "full" in choruses. Each
# way has two figures; a song (a take, a regenerated part) plays one, picked by its seed.
HARMONY_RHYTHMS = {
    "comp": [{"light": [(0, 6, 78), (6, 6, 70), (12, 4, 74)],
              "full": [(s, 2, 92 if s % 4 == 0 else 80) for s in range(0, 16, 2)]},
             {"light": [(0, 4, 76), (4, 4, 66), (8, 4, 74), (12, 4, 66)],
              "full": [(0, 3, 92), (3, 3, 82), (6, 4, 86), (10, 2, 78), (12, 4, 88)]}],
    "power-eighths": [
        {"light": [(s, 1, 88 if s % 4 == 0 else 74) for s in range(0, 16, 2)],
         "full": [(s, 2, 104 if s % 4 == 0 else 92) for s in range(0, 16, 2)]},
        {"light": [(0, 5, 88), (6, 2, 78), (8, 5, 86), (14, 2, 78)],
         "full": [(0, 3, 104), (3, 3, 96), (6, 2, 96), (8, 3, 104), (11, 3, 96), (14, 2, 96)]}],
    "pad": [{"light": [(0, 16, 70)], "full": [(0, 16, 82)]},
            {"light": [(0, 8, 70), (8, 8, 64)],
             "full": [(0, 6, 82), (6, 6, 76), (12, 4, 80)]}],
    "strum": [{"light": [(0, 4, 80), (4, 2, 72), (6, 4, 60), (10, 2, 60), (12, 2, 74),
                         (14, 2, 60)],
               "full": [(0, 4, 92), (4, 2, 84), (6, 4, 70), (10, 2, 70), (12, 2, 86),
                        (14, 2, 70)]},
              {"light": [(0, 4, 80), (4, 4, 70), (8, 4, 78), (12, 4, 70)],
               "full": [(s, 2, (92 if s % 8 == 0 else 86) if s % 4 == 0 else 64)
                        for s in range(0, 16, 2)]}],
    # The arpeggio's figure: indexes into root, fifth, octave and tenth, one an eighth.
    "arpeggio": [(0, 1, 2, 3, 2, 1, 2, 3), (0, 2, 1, 2, 3, 2, 1, 2)],
}
STRUM_GAP = 10  # ticks between two strings of a strum; an off-beat strum goes up
BASS_RHYTHMS = {
    # (step, length, velocity, which: 0 root, 1 fifth, 2 octave)
    "pop": [[(0, 5, 96, 0), (6, 2, 80, 0), (8, 5, 90, 0), (14, 2, 80, 2)],
            [(0, 3, 96, 0), (3, 3, 84, 0), (6, 2, 84, 0), (8, 3, 92, 0), (11, 3, 84, 0),
             (14, 2, 80, 2)]],
    "eighth-pump": [[(s, 2, 100 if s % 4 == 0 else 86, 0) for s in range(0, 16, 2)],
                    [(0, 4, 100, 0), (4, 2, 88, 0), (6, 2, 86, 0), (8, 4, 98, 0),
                     (12, 2, 88, 0), (14, 2, 86, 0)]],
    "offbeat-pump": [[(2, 2, 96, 0), (6, 2, 96, 0), (10, 2, 96, 0), (14, 2, 96, 2)],
                     [(2, 2, 96, 0), (6, 2, 96, 2), (10, 2, 96, 0), (14, 2, 96, 2)]],
    "root-long": [[(0, 8, 88, 0), (8, 8, 80, 1)], [(0, 12, 88, 0), (12, 4, 78, 1)]],
    "root-fifth": [[(0, 4, 92, 0), (8, 4, 84, 1)],
                   [(0, 4, 92, 0), (4, 4, 80, 1), (8, 4, 88, 0), (12, 4, 80, 1)]],
}
# The song's last bar: every part strikes its chord on the downbeat and lets it ring, as
# the drummer's ending hit does (core/music/drummer.py); a bass pattern running on to a
# short hit sounded cut off. The arpeggio plays up its four tones once and holds them.
ENDING_HARMONY = [(0, 16, 92)]
ENDING_BASS = [(0, 16, 100, 0)]
ENDING_ARPEGGIO = (0, 1, 2, 3)
VARIANTS = 2
REGISTERS = {  # (lowest, highest, centre) of a part's voicing
    "comp": (52, 79, 64), "power-eighths": (40, 64, 50), "pad": (53, 79, 65),
    "strum": (40, 67, 52), "arpeggio": (43, 79, 55), "bass": (28, 50, 38),
}


class ChordTrack:
    """The chord at any tick, from the song's chord events."""

    def __init__(self, chords: list[ChordEvent]):
        self.events = sorted(chords, key=lambda c: c.start)
        self.starts = [c.start for c in self.events]

    def at(self, tick: int) -> ChordEvent | None:
        i = bisect.bisect_right(self.starts, tick) - 1
        if i < 0:
            return None
        ev = self.events[i]
        return ev if tick < ev.end else None

    def changes(self, lo: int, hi: int) -> list[int]:
        return [s for s in self.starts if lo <= s < hi]


def _sounding(notes: list[Note], lo: int, hi: int) -> list[int]:
    return [n.pitch for n in notes if n.start < hi and n.end > lo]


def close_voicings(chord: Chord, lo: int, hi: int, size: int = 3) -> list[list[int]]:
    """Every close-position voicing of the chord's first ``size`` tones within lo..hi."""
    pcs = list(chord.pitch_classes[:max(size, 3)])
    out = []
    for inv in range(len(pcs)):
        order = pcs[inv:] + pcs[:inv]
        for base in range(lo, hi + 1):
            if base % 12 != order[0]:
                continue
            v, p = [base], base
            for pc in order[1:]:
                p += (pc - p) % 12 or 12
                v.append(p)
            if v[-1] <= hi:
                out.append(v)
    return out


def pick_voicing(chord: Chord, target: float, prev: list[int] | None, lo: int, hi: int,
                 size: int = 3) -> list[int]:
    """The close voicing nearest ``target`` (the network's pitches there) that moves least
    from ``prev``."""
    cands = close_voicings(chord, lo, hi, size) or close_voicings(chord, lo - 12, hi + 12, size)

    def cost(v: list[int]) -> float:
        c = abs(sum(v) / len(v) - target)
        if prev:
            c += 0.5 * sum(min(abs(p - q) for q in prev) for p in v) / len(v)
        return c

    return min(cands, key=cost)


def _bass_pitch(pc: int, target: float, lo: int, hi: int) -> int:
    """The pitch of class ``pc`` from ``lo`` to ``hi`` nearest ``target``; the span is at
    least an octave, so every class has one (the bass's roots span 28-38: an Eb bass,
    39, had none and a song in Eb or with an Eb chord stopped with a traceback)."""
    options = [p for p in range(lo, max(hi, lo + 11) + 1) if p % 12 == pc]
    return min(options, key=lambda p: abs(p - target))


def _hits(rhythm, bar_tick: int, bar_ticks: int, chords: ChordTrack):
    """The pattern's hits in one bar, plus a hit where the chord changes under a held one
    (an off-beat figure leaves the change to its next hit); each hit's length is cut at
    the next chord change."""
    hits = [(bar_tick + s * STEP, n * STEP, v, *rest) for s, n, v, *rest in rhythm]
    for c in chords.changes(bar_tick, bar_tick + bar_ticks):
        held = [h for h in hits if h[0] < c < h[0] + h[1]]
        if held and not any(h[0] == c for h in hits):
            prev = max(held, key=lambda h: h[0])
            hits.append((c, max(STEP, min(bar_tick + bar_ticks, _next(hits, c)) - c), *prev[2:]))
    out = []
    for h in sorted(hits):
        nxt_change = min([c for c in chords.changes(h[0] + 1, h[0] + h[1])] or [h[0] + h[1]])
        out.append((h[0], nxt_change - h[0], *h[2:]))
    return out


def _next(hits, tick: int) -> int:
    return min([h[0] for h in hits if h[0] > tick] or [tick + 4 * TICKS_PER_BEAT])


def play_harmony(how: str, written: list[Note], chords: list[ChordEvent], bars: int,
                 bar_ticks: int, full_bars: set[int], variant: int = 0) -> list[Note]:
    """The harmony part played ``how`` (a key of HARMONY_PLAYS other than as-written), in
    its figure number ``variant``."""
    track = ChordTrack(chords)
    lo, hi, centre = REGISTERS[how]
    out: list[Note] = []
    prev: list[int] | None = None
    voiced: dict[int, list[int]] = {}  # chord event start -> its voicing, kept for all hits
    for bar in range(bars):
        t0 = bar * bar_ticks
        ending = bar == bars - 1
        if how == "arpeggio":
            order = ENDING_ARPEGGIO if ending else HARMONY_RHYTHMS["arpeggio"][variant % VARIANTS]
            prev = _arpeggio_bar(out, written, track, t0, bar_ticks, bar in full_bars, prev,
                                 order, len(order) if ending else None)
            continue
        rhythm = (ENDING_HARMONY if ending else
                  HARMONY_RHYTHMS[how][variant % VARIANTS]["full" if bar in full_bars else "light"])
        for start, length, vel in _hits(rhythm, t0, bar_ticks, track):
            ev = track.at(start)
            if ev is None:
                continue
            if how != "strum" and ev.start in voiced:  # one voicing for the whole chord
                out += _strike(voiced[ev.start], start, length, vel, how, (start - t0) // STEP)
                continue
            near = _sounding(written, ev.start, ev.end)
            target = sum(near) / len(near) if near else (sum(prev) / len(prev) if prev else centre)
            target = min(max(target, lo + 4), hi - 4)
            if how == "power-eighths":  # root, fifth, octave: the guitarist's power chord
                root = _bass_pitch(ev.chord.root, target - 7, lo, hi - 12)
                pcs = ev.chord.pitch_classes
                fifth = (pcs[2] - pcs[0]) % 12 if len(pcs) > 2 else 7
                voicing = [root, root + fifth, root + 12]
            elif how == "strum":
                voicing = _guitar_voicing(ev.chord, lo)
            else:
                voicing = pick_voicing(ev.chord, target, prev, lo, hi,
                                       4 if how == "pad" and len(ev.chord.pitch_classes) > 3 else 3)
            prev = voiced[ev.start] = voicing
            out += _strike(voicing, start, length, vel, how, (start - t0) // STEP)
    return sorted(out, key=lambda n: (n.start, n.pitch))


def _strike(voicing: list[int], start: int, length: int, vel: int, how: str, step: int
            ) -> list[Note]:
    if how != "strum":
        return [Note(start, max(1, length), p, vel) for p in voicing]
    up = step % 4 == 2  # the hand comes back up on the off-beat
    strings = sorted(voicing, reverse=up)[:4] if up else sorted(voicing)
    return [Note(start + i * STRUM_GAP, max(STEP // 2, length - i * STRUM_GAP), p,
                 max(1, vel - (6 if up else 0) - i))
            for i, p in enumerate(strings)]


def _guitar_voicing(chord: Chord, lo: int) -> list[int]:
    """An open-position-like guitar chord: the bass note from E2 up, then root, fifth,
    octave, third and fifth stacked as a strummed guitar spreads them."""
    root = _bass_pitch(chord.bass_pc, lo + 5, lo, lo + 11)
    pcs = chord.pitch_classes
    third = pcs[1] if len(pcs) > 1 else chord.root
    fifth = pcs[2] if len(pcs) > 2 else (chord.root + 7) % 12
    out, p = [root], root
    for pc in (fifth, chord.root, third, fifth):
        p += (pc - p) % 12 or 12
        out.append(p)
    return out


def _arpeggio_bar(out, written, track, t0, bar_ticks, full, prev, order, count=None):
    """Eighths over root, fifth, octave and tenth, each held (the pedal down) to the end of
    its chord, at most a bar; from each chord change the figure starts again. ``count``:
    only the first so many eighths (the ending's one pass up the chord)."""
    eighth = 2 * STEP
    changes = set(track.changes(t0, t0 + bar_ticks))
    k = 0
    for i in range(bar_ticks // eighth if count is None else count):
        start = t0 + i * eighth
        ev = track.at(start)
        if ev is None:
            continue
        if start in changes or i == 0:
            k = 0
            near = _sounding(written, start, ev.end)
            target = min(near) if near else (prev[0] if prev else 48)
            root = _bass_pitch(ev.chord.bass_pc, target, 43, 55)
            pcs = ev.chord.pitch_classes
            fifth = (pcs[2] - pcs[0]) % 12 if len(pcs) > 2 else 7
            third = (pcs[1] - root) % 12 if len(pcs) > 1 else 12
            tones = [root, root + fifth, root + 12, root + 12 + (third or 12)]
            prev = tones
        end = min(ev.end, t0 + bar_ticks)  # the pedal comes up at the chord or the bar
        vel = (84 if full else 70) + (8 if k == 0 else 0)
        out.append(Note(start, max(STEP, end - start), prev[order[k % len(order)]], vel))
        k += 1
    return prev


def play_bass(how: str, written: list[Note], chords: list[ChordEvent], bars: int,
              bar_ticks: int, full_bars: set[int], variant: int = 0) -> list[Note]:
    """The bass part played ``how`` (a key of BASS_PLAYS other than as-written): the chord's
    bass note (a slash chord's bass) in the octave nearest the network's bass there."""
    track = ChordTrack(chords)
    lo, hi, centre = REGISTERS["bass"]
    out: list[Note] = []
    last = centre
    for bar in range(bars):
        t0 = bar * bar_ticks
        rhythm = ENDING_BASS if bar == bars - 1 else BASS_RHYTHMS[how][variant % VARIANTS]
        for start, length, vel, which in _hits(rhythm, t0, bar_ticks, track):
            ev = track.at(start)
            if ev is None:
                continue
            near = _sounding(written, start, start + length)
            target = min(near) if near else last
            root = _bass_pitch(ev.chord.bass_pc, target, lo, hi - 12)
            if which == 1 and ev.start == start:
                which = 0  # the chord changes here: its root first
            pcs = ev.chord.pitch_classes
            fifth = (pcs[2] - pcs[0]) % 12 if len(pcs) > 2 else 7
            pitch = root + (0, fifth, 12)[which] if ev.chord.bass is None or which != 1 else root
            last = root
            out.append(Note(start, max(1, length - STEP // 4), pitch,
                            min(127, vel + (6 if bar in full_bars else 0))))
    return sorted(out, key=lambda n: (n.start, n.pitch))
