"""The generation plan of a whole song: sections, phrases, cadences, chords and which
section reuses which material.

What a songwriter expects of a form, and how the plan says it:
- phrases of 4 bars (2 in a 4-bar song), each ending on a cadence: a half cadence (V)
  inside a section, an authentic cadence (V -> I) at its end, the final one held; an
  intro, a pre-chorus, a bridge and a B section end open, on V, leading on;
- a repeated section reuses the material of its first occurrence: a chorus comes back
  whole ("exact"); other sections come back with the same rhythm and new pitches
  ("rhythm") or with a new ending ("ending"), chosen by the style's settings;
- a chorus repeats within itself: its later phrases begin as its first and end anew;
- every section has a progression, two chords per bar from the style's tables, or the
  user's own (chord names or Roman numerals), which must fill the section a whole number
  of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.errors import SongloomError
from core.model.chords import Chord, ChordEvent, check_in_key, parse_progression
from core.model.sections import Section, section_kind
from core.music.progressions import ChordTables

BEATS_PER_BAR = 4
OPEN_ENDED = ("intro", "pre-chorus", "bridge", "B")  # sections that lead on, ending on V
VARIATIONS = ("exact", "rhythm", "ending")


@dataclass
class Phrase:
    start_bar: int  # bar of the song
    bars: int
    cadence: str  # "half", "authentic" or "final"

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars


@dataclass
class SectionPlan:
    kind: str
    start_bar: int
    bars: int
    phrases: list[Phrase]
    source: int | None = None  # the earlier section (index) whose material this reuses
    variation: str = "new"  # "new", or one of VARIATIONS when source is set
    inner_repeat: bool = False  # later phrases begin as the first one (a chorus)

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars


@dataclass
class SongPlan:
    sections: list[SectionPlan]
    beat_chords: list[Chord] = field(default_factory=list)  # one per beat, 4 per bar

    @property
    def bars(self) -> int:
        return self.sections[-1].end_bar if self.sections else 0

    def phrases(self) -> list[Phrase]:
        return [p for s in self.sections for p in s.phrases]

    def chord_at(self, bar: int, beat: int = 0) -> Chord:
        return self.beat_chords[bar * BEATS_PER_BAR + beat]

    def chord_events(self, ticks_per_bar: int) -> list[ChordEvent]:
        """The chords as ChordEvents, a repeated chord merged into one (within a bar line
        only where the section changes: a new section always restates its chord)."""
        beat = ticks_per_bar // BEATS_PER_BAR
        starts = {s.start_bar * BEATS_PER_BAR for s in self.sections}
        out: list[ChordEvent] = []
        for i, c in enumerate(self.beat_chords):
            if out and out[-1].chord == c and i not in starts:
                out[-1].duration += beat
            else:
                out.append(ChordEvent(i * beat, beat, c))
        return out

    def song_sections(self, ticks_per_bar: int) -> list[Section]:
        return [Section(s.kind, s.start_bar * ticks_per_bar, s.bars * ticks_per_bar)
                for s in self.sections]


def split_phrases(start_bar: int, bars: int, short_song: bool = False) -> list[tuple[int, int]]:
    """A section's phrases as (start bar, bars): 4-bar phrases, a remainder of 2 or 3
    bars as a last phrase, 5 bars as 3 + 2; a 4-bar song as 2 + 2."""
    if short_song and bars == 4:
        sizes = [2, 2]
    elif bars <= 4:
        sizes = [bars]
    else:
        sizes = [4] * (bars // 4)
        rest = bars % 4
        if rest == 1:
            sizes[-1:] = [3, 2]
        elif rest:
            sizes.append(rest)
    out, b = [], start_bar
    for n in sizes:
        out.append((b, n))
        b += n
    return out


def plan_structure(form: list[tuple[str, int]], rng: np.random.Generator,
                   settings: dict) -> SongPlan:
    """Sections, phrases, cadences and reuse (no chords yet). ``settings``: the style's
    form settings (``repeat_variation``: weights of VARIATIONS for a repeated section
    other than a chorus; ``chorus_inner_repeat``: whether a chorus repeats within itself)."""
    sections: list[SectionPlan] = []
    first_of: dict[tuple[str, int], int] = {}
    bar = 0
    short = len(form) == 1
    weights = np.array([float(settings.get("repeat_variation", {}).get(v, 0.0))
                        for v in VARIATIONS])
    for i, (kind, bars) in enumerate(form):
        last = i == len(form) - 1
        spans = split_phrases(bar, bars, short)
        phrases = []
        for j, (b, n) in enumerate(spans):
            if j < len(spans) - 1:
                cadence = "half"
            elif last:
                cadence = "final"
            else:
                cadence = "half" if kind in OPEN_ENDED else "authentic"
            phrases.append(Phrase(b, n, cadence))
        plan = SectionPlan(kind, bar, bars, phrases)
        source = first_of.get((kind, bars))
        if source is not None:
            plan.source = source
            if kind == "chorus" or weights.sum() <= 0:
                plan.variation = "exact"
            else:
                plan.variation = VARIATIONS[int(rng.choice(len(VARIATIONS), p=weights / weights.sum()))]
        else:
            first_of[(kind, bars)] = i
            plan.inner_repeat = (kind == "chorus" and bool(settings.get("chorus_inner_repeat", True))
                                 and len(phrases) > 1)
        sections.append(plan)
        bar += bars
    return SongPlan(sections)


def parse_chord_spec(text: str, key: int, mode: str) -> dict[str, list[list[Chord]]]:
    """``--chords`` text -> {section kind or "*": bars of chords}. "I vi IV V" applies to
    every section; "verse=I vi IV V; chorus=IV V I I" gives sections their own."""
    out: dict[str, list[list[Chord]]] = {}
    parts = [p for p in text.split(";") if p.strip()]
    if not parts:
        raise SongloomError("empty chord progression")
    for part in parts:
        if "=" in part:
            name, prog = part.split("=", 1)
            kind = section_kind(name)
        else:
            kind, prog = "*", part
        out[kind] = parse_progression(prog, key, mode)
    return out


def assign_chords(plan: SongPlan, key: int, mode: str, style: str, rng: np.random.Generator,
                  tables: ChordTables | None, user: dict[str, list[list[Chord]]] | None = None,
                  allow_chromatic: bool = False) -> None:
    """Fill ``plan.beat_chords``: the user's progressions where given (each must fill its
    section a whole number of times), else drawn from the style's tables per phrase."""
    user = user or {}
    for bars in user.values():
        check_in_key(bars, key, mode, allow_chromatic)
    beats: list[Chord | None] = [None] * (plan.bars * BEATS_PER_BAR)
    for idx, sec in enumerate(plan.sections):
        lo, hi = sec.start_bar * BEATS_PER_BAR, sec.end_bar * BEATS_PER_BAR
        prog = user.get(sec.kind, user.get("*"))
        if prog is not None:
            if sec.bars % len(prog):
                raise SongloomError(
                    f"progression of {len(prog)} bars does not fit the {sec.bars}-bar "
                    f"{sec.kind} (use a progression whose length divides {sec.bars})")
            beats[lo:hi] = tile_progression(prog, sec.bars)
            continue
        if sec.source is not None:
            src = plan.sections[sec.source]
            beats[lo:hi] = beats[src.start_bar * BEATS_PER_BAR:src.end_bar * BEATS_PER_BAR]
            last = sec.phrases[-1]
            if src.phrases[-1].cadence == "half" and last.cadence != "half":  # now it closes
                _close(beats, last, key, mode, style, rng, tables, allow_chromatic)
            continue
        if tables is None:
            raise SongloomError("this model has no chord tables; give the chords (--chords)")
        first = sec.phrases[0]
        for j, ph in enumerate(sec.phrases):
            cad = "half" if ph.cadence == "half" else "authentic"
            if j and sec.inner_repeat and ph.bars == first.bars and ph.bars > 2:
                # The chorus's later phrase: its first's opening, a closing of its own.
                head = beats[first.start_bar * BEATS_PER_BAR:(first.end_bar - 2) * BEATS_PER_BAR]
                beats[ph.start_bar * BEATS_PER_BAR:(ph.end_bar - 2) * BEATS_PER_BAR] = head
                _close(beats, ph, key, mode, style, rng, tables, allow_chromatic)
                continue
            slots = tables.draw_phrase(style, key, mode, ph.bars, cad, rng, allow_chromatic,
                                       start_on_tonic=idx == 0 and j == 0,
                                       arrive=sec.kind == "chorus" and j == 0)
            beats[ph.start_bar * BEATS_PER_BAR:ph.end_bar * BEATS_PER_BAR] = _slots_to_beats(slots)
    plan.beat_chords = [c if c is not None else Chord(key % 12, "" if mode == "major" else "m")
                        for c in beats]


def _close(beats, ph: Phrase, key, mode, style, rng, tables, allow_chromatic) -> None:
    """Give the phrase's last 2 bars a closing for its cadence (from the tables; without
    them V -> I)."""
    cad = "half" if ph.cadence == "half" else "authentic"
    n = min(2, ph.bars)
    if tables is not None:
        slots = tables.draw_phrase(style, key, mode, n, cad, rng, allow_chromatic)
    else:
        tonic = Chord(key % 12, "" if mode == "major" else "m")
        dom = Chord((key + 7) % 12, "")
        slots = ([dom] * 2 * n) if cad == "half" else ([dom] * (2 * n - 1) + [tonic])
    beats[(ph.end_bar - n) * BEATS_PER_BAR:ph.end_bar * BEATS_PER_BAR] = _slots_to_beats(slots)


def _slots_to_beats(slots: list[Chord]) -> list[Chord]:
    """Half-bar slots (the tables' two chords per bar) -> one chord per beat."""
    return [c for c in slots for _ in range(BEATS_PER_BAR // 2)]


def tile_progression(prog: list[list[Chord]], bars: int) -> list[Chord]:
    out = []
    for b in range(bars):
        bar = prog[b % len(prog)]
        out += [c for c in bar for _ in range(BEATS_PER_BAR // len(bar))]
    return out


def plan_from_song(song, short_song: bool | None = None) -> SongPlan:
    """The plan of an existing song (its sections and chords; no reuse), for regenerating
    one track over them. A song without sections is one verse; without chords, None
    chords are left for the caller (beat_chords empty)."""
    tpb = song.ticks_per_bar()
    bars = song.bar_count()
    form = [(s.name, max(1, round(s.duration / tpb))) for s in song.sections]
    covered = sum(n for _, n in form)
    if covered < bars:  # notes after the last section (or a song without sections)
        form.append(("verse", bars - covered))
    plan = plan_structure(form, np.random.default_rng(0), {"repeat_variation": {}})
    for s in plan.sections:
        s.source, s.variation, s.inner_repeat = None, "new", False
    if song.chords:
        beat = tpb // BEATS_PER_BAR
        out = []
        for i in range(plan.bars * BEATS_PER_BAR):
            tick = i * beat
            ev = next((e for e in song.chords if e.start <= tick < e.end), None)
            out.append(ev.chord if ev else (out[-1] if out else Chord(song.key, "")))
        plan.beat_chords = out
    return plan

