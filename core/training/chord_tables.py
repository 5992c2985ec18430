"""Per-style chord-progression tables for the composer, drawn from the training songs.

``python -m core.training.chord_tables DATA_DIR CACHE_DIR MODEL_DIR [POP_CACHE_DIR]`` writes
``chord_tables.json`` into MODEL_DIR. For each style and mode it counts the progressions
of every 2- and 4-bar window of the TRAINING songs (held-out songs are left out), as Roman
numerals in the window's key, two chords per bar (the chord sounding on beats 1 and 3):

- lieder: the OpenScore Lieder ``analysis_automatic.rntxt`` beside each song (automatic
  Roman-numeral analysis, one line per bar, with its own local keys);
- chorale: the chords of the four voices, estimated per half bar by
  ``core.metrics.form.estimate_chords`` (alto + tenor and bass; the soprano where both
  are silent), in the key Krumhansl-Schmuckler gives each window.

A window is kept only where its key does not change and every half bar has a chord.
- pop: POP909's ``chord_midi.txt`` in the keys of ``key_audio.txt``
  (core/training/pop909_data.chord_slots), given a POP909 cache folder.

Training side only: reads the corpus.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from core.errors import SongloomError
from core.model.chords import Chord, parse_roman
from core.model.pianoroll import BAR_STEPS, estimate_key
from core.model.theory import parse_key

TABLES_FILE = "chord_tables.json"
SLOTS_PER_BAR = 2
WINDOW_BARS = (2, 4)
MIN_COUNT = 2  # a progression met once is one song's, not the style's
MAX_ROWS = 400  # per style, mode and window length: the most frequent
Slot = tuple[int, str, Chord] | None  # (key, mode, chord) of a half bar, None if unknown


def parse_rntxt(text: str) -> tuple[list[tuple[int, float, int, str, Chord | None]], int]:
    """An .rntxt analysis -> ([(measure, beat, key, mode, chord)] in order, the bar's
    beats from its last time signature). Numerals that
    are not chords of a key (augmented sixths, Neapolitan, cadential 6/4 labels, "nan")
    give chord None: the window they fall in is not used."""
    out = []
    key, mode = 0, "major"
    numerator = 4
    for raw in text.splitlines():
        line = raw.strip()
        ts = re.match(r"^Time Signature:\s*(\d+)/(\d+)", line)
        if ts:
            numerator = int(ts.group(1))
            continue
        m = re.match(r"^m(\d+)\S*\s+(.*)$", line)
        if not m:
            continue
        measure, beat = int(m.group(1)), 1.0
        for tok in m.group(2).split():
            if tok.endswith(":"):
                name = tok[:-1].replace("-", "b")
                try:
                    key = parse_key(name)
                except SongloomError:
                    continue
                mode = "minor" if name[0].islower() else "major"
                continue
            b = re.match(r"^b(\d+(?:\.\d+)?)$", tok)
            if b:
                beat = float(b.group(1))
                continue
            if tok.startswith("b") and tok[1:2].isdigit() or tok == "bnan":
                continue
            try:
                chord = parse_roman(tok.replace("-", "b"), key, mode)
            except SongloomError:
                chord = None
            out.append((measure, beat, key, mode, chord))
    return out, numerator


def rntxt_slots(text: str) -> list[Slot]:
    """Half-bar slots of a 4-quarter-bar analysis: the chord sounding at the start of
    each half (beats 1 and 3 in 4/4, 1 and 2 in 2/2)."""
    events, numerator = parse_rntxt(text)
    if not events:
        return []
    half = 1 + numerator / 2
    first, last = events[0][0], events[-1][0]
    slots: list[Slot] = []
    i, current = 0, None
    for measure in range(first, last + 1):
        for beat in (1.0, half):
            while i < len(events) and (events[i][0], events[i][1]) <= (measure, beat + 1e-6):
                current = events[i]
                i += 1
            slots.append(None if current is None or current[4] is None
                         else (current[2], current[3], current[4]))
    return slots


def chorale_slots(song) -> list[Slot]:
    """Half-bar slots of a parsed chorale (core.training.music_data.ParsedSong): chords
    estimated from the voices, keys per 4-bar window by Krumhansl-Schmuckler."""
    from core.metrics.form import estimate_chords
    from core.training.music_data import song_roll

    roll = song_roll(song.notes, int(song.length) + BAR_STEPS).transpose(1, 2, 0, 3)
    slots: list[Slot] = []
    starts = [int(b) for b in song.bar_starts]
    for j, b in enumerate(starts):
        window = roll[:, 0, b - (j % 4) * BAR_STEPS: b + (4 - j % 4) * BAR_STEPS]
        key, mode = estimate_key(window.sum(axis=(0, 1)).astype(float))
        for c in estimate_chords(roll[:, :, b:b + BAR_STEPS]):
            slots.append(None if c is None else (key, mode, c))
    return slots


def triad(chord: Chord) -> Chord:
    """The chord as a root-position triad (a dominant seventh kept): the tables count
    progressions, and with every inversion and seventh apart nearly each 4-bar window of
    the Lieder was unique (1,583 kinds in 1,780 windows)."""
    quality = {"7": "7", "maj7": "", "6": "", "m7": "m", "m6": "m", "mmaj7": "m",
               "m7b5": "dim", "dim7": "dim", "sus2": "", "sus4": ""}.get(chord.quality,
                                                                       chord.quality)
    return Chord(chord.root, quality)


def count_windows(slot_songs: list[list[Slot]]) -> tuple[dict, dict]:
    """({(mode, bars): Counter(numeral tuple)} over every window of every song that starts
    on a bar line, {mode: Counter((numeral, next numeral))} over neighbouring half bars)."""
    windows: dict = {}
    moves: dict = {}
    for slots in slot_songs:
        for a, b in zip(slots, slots[1:], strict=False):
            if a is not None and b is not None and (a[0], a[1]) == (b[0], b[1]):
                pair = (triad(a[2]).roman(a[0], a[1]), triad(b[2]).roman(a[0], a[1]))
                moves.setdefault(a[1], Counter())[pair] += 1
        for bars in WINDOW_BARS:
            n = bars * SLOTS_PER_BAR
            for lo in range(0, len(slots) - n + 1, SLOTS_PER_BAR):
                w = slots[lo:lo + n]
                if any(s is None for s in w) or len({(s[0], s[1]) for s in w}) != 1:
                    continue
                key, mode = w[0][0], w[0][1]
                numerals = tuple(triad(s[2]).roman(key, mode) for s in w)
                windows.setdefault((mode, bars), Counter())[numerals] += 1
    return windows, moves


def build_tables(by_style: dict[str, list[list[Slot]]]) -> dict:
    """The JSON object of chord_tables.json from each style's slot sequences: per mode the
    windows of 2 and 4 bars met at least MIN_COUNT times, with their counts, and how often
    each numeral follows each other one (to join two windows into a phrase)."""
    styles = {}
    for style, songs in by_style.items():
        windows, moves = count_windows(songs)
        table: dict[str, dict] = {}
        for (mode, bars), counter in sorted(windows.items()):
            rows = [[list(k), v] for k, v in counter.most_common(MAX_ROWS) if v >= MIN_COUNT]
            table.setdefault(mode, {"windows": {}, "moves": {}})["windows"][str(bars)] = rows
        for mode, counter in moves.items():
            follow: dict[str, dict[str, int]] = {}
            for (a, b), v in sorted(counter.items()):
                follow.setdefault(a, {})[b] = v
            table.setdefault(mode, {"windows": {}, "moves": {}})["moves"] = follow
        styles[style] = {"songs": len(songs), "table": table}
    return {"format_version": 1, "slots_per_bar": SLOTS_PER_BAR, "styles": styles}


def save_tables(tables: dict, model_dir: Path) -> None:
    from core.io.atomic_write import atomic_write_text

    atomic_write_text(Path(model_dir) / TABLES_FILE,
                      json.dumps(tables, separators=(",", ":"), ensure_ascii=False),
                      mode=0o644)  # shipped: readable by every user of an install


def pop_slots(pop_cache: Path) -> list[list[Slot]]:
    """Slot sequences of the POP909 training songs cached in ``pop_cache``."""
    from core.training.music_data import load_cached_songs

    return song_slots(load_cached_songs(pop_cache), Path(pop_cache), ("pop",))["pop"]


def training_slots(data_dir: Path, cache_dir: Path,
                   pop_cache: Path | None = None) -> dict[str, list[list[Slot]]]:
    """Slot sequences of the training songs of each style (held-out songs left out)."""
    from core.training.music_data import load_cached_songs

    out = song_slots(load_cached_songs(cache_dir), data_dir, ("lieder", "chorale"))
    if pop_cache is not None:
        out["pop"] = pop_slots(pop_cache)
    return out


def song_slots(songs, data_dir: Path, styles: tuple[str, ...]) -> dict[str, list[list[Slot]]]:
    """Slot sequences of the parsed training ``songs`` of each of ``styles`` (held-out songs
    left out): chorales from their voices, Lieder from the analysis beside the score, pop
    from POP909's chord_midi.txt beside the song."""
    out: dict[str, list[list[Slot]]] = {s: [] for s in styles}
    for song in songs:
        if song.heldout or song.style not in out:
            continue
        if song.style == "chorale":
            out["chorale"].append(chorale_slots(song))
            continue
        if song.style == "pop":
            from core.training.pop909_data import chord_slots

            if Path(song.name).exists():
                out["pop"].append(chord_slots(Path(song.name).parent, song.keys,
                                              song.bar_starts))
            continue
        analysis = Path(song.name).parent / "analysis_automatic.rntxt"
        if not analysis.exists() and "openscore-lieder" in analysis.parts:
            # The cache names the score as the parse was given it: find it under DATA_DIR.
            i = analysis.parts.index("openscore-lieder")
            analysis = Path(data_dir).joinpath(*analysis.parts[i:])
        if analysis.exists():
            out[song.style].append(rntxt_slots(analysis.read_text(encoding="utf-8")))
    return out


def fill_missing(tables: dict, fallback: dict) -> list[str]:
    """Give each style and mode of ``fallback`` that ``tables`` has no 2-bar window for
    (a style with few training songs) the fallback's table, so that a freshly trained
    model composes in every key. Returns what was filled ("chorale minor", ...)."""
    filled = []
    for style, st in tables["styles"].items():
        theirs = fallback.get("styles", {}).get(style, {}).get("table", {})
        for mode, tab in theirs.items():
            if not st["table"].get(mode, {}).get("windows", {}).get("2"):
                st["table"][mode] = tab
                filled.append(f"{style} {mode}")
    return filled


def summary(tables: dict) -> str:
    lines = []
    for style, st in tables["styles"].items():
        for mode, tab in st["table"].items():
            for bars, rows in tab["windows"].items():
                top = ", ".join(" ".join(r[0]) + f" ({r[1]})" for r in rows[:3])
                lines.append(f"{style} {mode} {bars} bars: {len(rows)} progressions; {top}")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m core.training.chord_tables DATA CACHE MODEL_DIR
    import sys

    t = build_tables(training_slots(Path(sys.argv[1]), Path(sys.argv[2]),
                                    Path(sys.argv[4]) if len(sys.argv) > 4 else None))
    save_tables(t, Path(sys.argv[3]))
    print(summary(t))
    print("songs:", {k: v["songs"] for k, v in t["styles"].items()})
