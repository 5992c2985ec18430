"""The drummer: a drum track that follows the song's form, played from the style's groove
(core/music/grooves.py). Pure Python and numpy, no I/O beyond the groove library.

What it plays, bar by bar, as a drummer would:
- the intro's groove in an intro, the lighter groove in verses (and bridges, pre-choruses),
  the fuller one in choruses (and B sections and outros);
- a crash with the kick on every section's first downbeat;
- a 2-beat fill in a section's last bar, leading into the next one (from an intro: the
  pickup), a 1-beat fill at the end of every 8 bars inside a section, and the variation
  bar at the end of every other 4-bar phrase;
- the ending hit on the song's last bar, with a 1-beat fill leading into it.
A song without sections is played in 8-bar phrases (a crash at each, fills between).
Humanize (on by default) moves each hit by a few milliseconds and its velocity by a few
steps, drawn from the seed, so the same seed always plays the same take.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import SongloomError
from core.model.song import TICKS_PER_BEAT, Note, Song, Track
from core.music.grooves import BAR, INSTRUMENTS, STEPS_PER_BEAT, Groove, Pattern, load_library

TICKS_PER_STEP = TICKS_PER_BEAT // STEPS_PER_BEAT
FULL_SECTIONS = ("chorus", "B", "outro")  # the fuller groove; everything else the lighter
PHRASE_BARS = 8  # a song without sections: crash and fill every 8 bars
HUMANIZE_MS = 8.0  # the most a hit moves; its spread is a third of that
HUMANIZE_VELOCITY = 8
# A hit never leaves its 16th by more than this (DP's tolerance is 20 ticks, a 96th of a bar).
MAX_SHIFT_TICKS = 16
_HANDS = {INSTRUMENTS[n] for n in ("hat", "open", "ride", "pedal", "bell")}
_CYMBALS = {INSTRUMENTS[n] for n in ("crash", "crash2", "splash", "china")}
DRUM_CHANNEL = 9


@dataclass
class BarPlan:
    bar: int
    groove: str  # "intro", "verse" or "chorus"
    variation: bool = False
    fill: str | None = None  # "fill1", "fill2" or "pickup": replaces the bar's last beats
    crash: bool = False  # a section's first downbeat
    ending: bool = False


def song_form(song: Song) -> list[tuple[str, int, int]]:
    """[(kind, start bar, bars)] covering the song: its sections, gaps and bars after the
    last one as verse; a song without sections as 8-bar phrases (kind "phrase")."""
    tpb = song.ticks_per_bar()
    total = song.bar_count()
    if total <= 0:
        return []
    if not song.sections:
        return [("phrase", b, min(PHRASE_BARS, total - b)) for b in range(0, total, PHRASE_BARS)]
    out, bar = [], 0
    for s in sorted(song.sections, key=lambda s: s.start):
        lo, n = round(s.start / tpb), max(1, round(s.duration / tpb))
        if lo >= total:
            break
        if lo > bar:
            out.append(("verse", bar, lo - bar))
        lo = max(lo, bar)
        n = min(n, total - lo)
        if n > 0:
            out.append((s.name, lo, n))
            bar = lo + n
    if bar < total:
        out.append(("verse", bar, total - bar))
    return out


def plan_drums(form: list[tuple[str, int, int]]) -> list[BarPlan]:
    """What the drummer plays in each bar of ``form`` (see the module docstring)."""
    plans: list[BarPlan] = []
    for i, (kind, start, bars) in enumerate(form):
        groove = ("intro" if kind == "intro" else "chorus" if kind in FULL_SECTIONS
                  else "verse")
        nxt = form[i + 1][0] if i + 1 < len(form) else None
        for j in range(bars):
            p = BarPlan(start + j, groove, crash=j == 0)
            if j == bars - 1 and nxt is not None:
                p.fill = "pickup" if kind == "intro" and nxt != "intro" else "fill2"
            elif (j + 1) % 8 == 0:
                p.fill = "fill1"
            elif (j + 1) % 4 == 0:
                p.variation = True
            plans.append(p)
    if plans:
        plans[-1].ending, plans[-1].fill, plans[-1].variation = True, None, False
        if len(plans) > 1 and not plans[-1].crash:  # lead into the final hit
            plans[-2].fill = plans[-2].fill or "fill1"
    return plans


def bar_hits(plan: BarPlan, groove: Groove, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(step, key, velocity) of one planned bar."""
    if plan.ending:
        hits = list(groove.one("ending").hits)
    else:
        name = plan.groove
        if plan.variation:
            name = "chorus-variation" if plan.groove == "chorus" else "variation"
        hits = list(groove.one(name).hits)
        if plan.fill:
            fill = _pick(groove.choices(plan.fill), rng)
            cut = BAR - fill.steps
            hits = [h for h in hits if h[0] < cut] + [(s + cut, k, v) for s, k, v in fill.hits]
    if plan.crash:
        down = groove.one("downbeat")
        if any(k in _CYMBALS for s, k, _v in down.hits if s == 0):  # the right hand moves
            hits = [h for h in hits if not (h[0] == 0 and h[1] in _HANDS)]
        hits += list(down.hits)
    best: dict[tuple[int, int], int] = {}
    for s, k, v in hits:
        best[(s, k)] = max(v, best.get((s, k), 0))
    return sorted((s, k, v) for (s, k), v in best.items())


def _pick(choices: list[Pattern], rng: np.random.Generator) -> Pattern:
    return choices[int(rng.integers(len(choices)))]


def play_drums(plans: list[BarPlan], groove: Groove, seed: int, ticks_per_bar: int
               ) -> list[Note]:
    """The planned bars as notes (a 16th each; the ending's hits ring for the bar)."""
    notes = []
    for p in plans:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 15, p.bar]))
        length = ticks_per_bar if p.ending else TICKS_PER_STEP
        for s, k, v in bar_hits(p, groove, rng):
            notes.append(Note(p.bar * ticks_per_bar + s * TICKS_PER_STEP, length, k, v))
    return notes


def humanize(notes: list[Note], song: Song, seed: int, max_ms: float = HUMANIZE_MS,
             velocity: int = HUMANIZE_VELOCITY) -> list[Note]:
    """Each hit a few ms early or late (at most ``max_ms``, spread a third of it) and a few
    velocity steps louder or softer, drawn from ``seed``; its end stays (the song keeps its
    length) and no hit moves before the song starts."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 15, 1]))
    n = len(notes)
    shift_ms = np.clip(rng.normal(0.0, max_ms / 3, n), -max_ms, max_ms)
    dv = np.clip(np.rint(rng.normal(0.0, velocity / 2, n)), -velocity, velocity).astype(int)
    out = []
    for note, ms, d in zip(notes, shift_ms.tolist(), dv.tolist(), strict=True):
        ticks_per_ms = song.tempo_at(note.start) * TICKS_PER_BEAT / 60000.0
        shift = int(round(max(-MAX_SHIFT_TICKS, min(MAX_SHIFT_TICKS, ms * ticks_per_ms))))
        start = max(0, note.start + shift)  # the end stays: the song keeps its length
        out.append(Note(start, max(1, note.end - start), note.pitch,
                        max(1, min(127, note.velocity + d))))
    return out


def check_meter(song: Song) -> None:
    ts = song.time_signature
    if ts.numerator * 4 != 4 * ts.denominator:
        raise SongloomError(f"the drummer plays 4/4 bars; this song is in "
                            f"{ts.numerator}/{ts.denominator}")


def drum_track(song: Song, style: str, seed: int = 0, humanized: bool = True,
               library=None) -> Track:
    """A new drum track (GM drums, MIDI channel 10) for ``song`` in ``style``."""
    check_meter(song)
    groove = (library or load_library()).groove(style)
    plans = plan_drums(song_form(song))
    notes = play_drums(plans, groove, seed, song.ticks_per_bar())
    if humanized:
        notes = humanize(notes, song, seed)
    return Track(name="Drums", role="drums", program=groove.kit, is_drum=True,
                 channel=DRUM_CHANNEL, volume=100, notes=sorted(notes, key=lambda n: (n.start, n.pitch)))


def set_drums(song: Song, track: Track) -> None:
    """Put ``track`` in place of the song's drum track (keeping the old one's kit, mix and
    place in the list, as a regenerated track keeps its instrument), or add it at the end."""
    old = next((t for t in song.tracks if t.is_drum or t.role == "drums"), None)
    if old is None:
        song.tracks.append(track)
        return
    track.name, track.volume, track.pan, track.color = old.name, old.volume, old.pan, old.color
    track.mute, track.solo, track.program = old.mute, old.solo, old.program
    song.tracks[song.tracks.index(old)] = track


_NAMES = {v: k for k, v in reversed(INSTRUMENTS.items())}


def drum_grid(track: Track, ticks_per_bar: int, bars: range | None = None) -> str:
    """The track as a drummer's grid, bar by bar: one row per drum, a character per 16th
    (X accent, x hit, o soft, g ghost, . rest), hits snapped to their nearest 16th."""
    steps = ticks_per_bar // TICKS_PER_STEP
    last = max((n.start for n in track.notes), default=-1) // ticks_per_bar
    out = []
    for bar in bars if bars is not None else range(last + 1):
        rows: dict[int, list[str]] = {}
        for n in track.notes:
            s = int(round(n.start / TICKS_PER_STEP)) - bar * steps
            if 0 <= s < steps:
                row = rows.setdefault(n.pitch, ["."] * steps)
                v = n.velocity
                row[s] = "X" if v >= 108 else "x" if v >= 84 else "o" if v >= 56 else "g"
        out.append(f"bar {bar + 1}")
        # As a drum chart reads: cymbals on top, then toms, snare, the kick at the bottom.
        for key in sorted(rows, key=_chart_order):
            cells = "|".join("".join(rows[key][i:i + 4]) for i in range(0, steps, 4))
            out.append(f"  {_NAMES.get(key, str(key)):<10} {cells}")
    return "\n".join(out)


def _chart_order(key: int) -> tuple[int, int]:
    if key in _CYMBALS:
        return (0, key)
    if key in _HANDS:
        return (1, key)
    if key in (35, 36):
        return (5, key)
    if key in (37, 38, 39, 40):
        return (4, key)
    if key in (41, 43, 45, 47, 48, 50):
        return (3, -key)
    return (2, key)
