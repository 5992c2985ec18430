"""Chord progressions drawn from a style's own songs (``chord_tables.json`` in the model
folder, written by core/training/chord_tables.py).

A phrase's progression is two chords per bar. It is joined from 2-bar windows of the
style's training songs: an opening window drawn by how often the songs play it, then a
closing window that ends the way the phrase must (a half cadence on V, or an authentic
cadence V -> I), drawn by its count times how often the songs move from the opening's
last chord to its first. Counts, not a hand-written list, so a new style (pop) brings its
progressions with its data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import ModelError, SongloomError
from core.model.chords import Chord, parse_roman

TABLES_FILE = "chord_tables.json"
CADENCES = ("half", "authentic", "open")


class ChordTables:
    def __init__(self, raw: dict, path: Path | None = None):
        self.path = path
        self.slots_per_bar = int(raw.get("slots_per_bar", 2))
        self.styles: dict[str, dict] = {}
        for style, st in raw["styles"].items():
            modes = {}
            for mode, tab in st["table"].items():
                windows = [(tuple(row[0]), int(row[1])) for row in tab["windows"].get("2", [])]
                if any(len(w) != 2 * self.slots_per_bar for w, _ in windows):
                    raise ValueError(f"{style} {mode}: a 2-bar window of the wrong length")
                modes[mode] = {"windows": windows, "moves": tab.get("moves", {})}
            self.styles[style] = modes

    @classmethod
    def load(cls, model_dir: Path) -> ChordTables | None:
        """The model folder's tables, or None where it has none (an older model)."""
        from core.io.safe_json import load_json_file

        file = Path(model_dir) / TABLES_FILE
        if not (file.exists() or file.is_symlink()):
            return None
        # A regular, bounded, plain-JSON file (a FIFO, /dev/zero or deep nesting would hang
        # or raise); what it holds is checked as the tables are built.
        raw = load_json_file(file, error_cls=ModelError, what="chord tables", max_bytes=64 * 2**20)
        try:
            return cls(raw, file)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise ModelError(f"missing or invalid chord tables ({exc})", file) from exc

    # -- drawing -------------------------------------------------------------------------
    def _windows(self, style: str, mode: str, allow_chromatic: bool):
        """The style's 2-bar windows as chords in C (or A minor: tonic 0), those the key
        can play; parsed once per style and mode, transposed only when drawn."""
        tab = self.styles.get(style, {}).get(mode)
        if tab is None:
            raise SongloomError(f"the model has no chord table for {style} in {mode}")
        if "parsed" not in tab:
            parsed = []
            for numerals, count in tab["windows"]:
                try:
                    chords = tuple(_roman_in_c(n, mode) for n in numerals)
                except SongloomError:
                    continue
                parsed.append((numerals, chords, count, all(c.in_key(0, mode) for c in chords)))
            tab["parsed"] = parsed
        out = [(n, c, k) for n, c, k, diatonic in tab["parsed"] if allow_chromatic or diatonic]
        if not out:
            raise SongloomError(f"the model's chord table for {style} in {mode} is empty")
        return out, tab["moves"]

    def draw_phrase(self, style: str, key: int, mode: str, bars: int, cadence: str,
                    rng: np.random.Generator, allow_chromatic: bool = False,
                    start_on_tonic: bool = False, arrive: bool = False) -> list[Chord]:
        """Chords for a phrase of ``bars`` bars, two per bar, ending with ``cadence``
        ("half": the last bar on V; "authentic": V then I on the last bar; "open": as the
        songs go). ``start_on_tonic``: the first chord is I (a song's first phrase);
        ``arrive``: the first chord is I, IV or vi (i, iv or VI in minor), as a chorus
        arrives, not on the V or ii that lead into it."""
        if cadence not in CADENCES:
            raise SongloomError(f"unknown cadence {cadence!r}")
        windows, moves = self._windows(style, mode, allow_chromatic)
        tonic = _tonic(0, mode)
        starts = {tonic} if start_on_tonic else _arrivals(mode) if arrive else None
        close = [w for w in windows if _ends(w[1], cadence, 0, mode)] or windows
        if bars <= 2:
            pool = [w for w in close if starts is None or w[1][0] in starts] or close
            chords = list(_pick(pool, rng)[1])[-2 * bars:]
        else:
            chords = []
            last = None
            while len(chords) < 2 * (bars - 2):
                pool = windows
                if not chords and starts is not None:
                    pool = [w for w in windows if w[1][0] in starts] or windows
                w = _pick(pool, rng, moves, last)
                chords += list(w[1])
                last = w[0][-1]
            chords = chords[:2 * (bars - 2)]
            chords += list(_pick(close, rng, moves, last)[1])
        return [_transpose(c, key) for c in _force_cadence(chords, cadence, 0, mode)]


@lru_cache(maxsize=4096)
def _roman_in_c(numeral: str, mode: str) -> Chord:
    return parse_roman(numeral, 0, mode)


def _transpose(c: Chord, key: int) -> Chord:
    return Chord((c.root + key) % 12, c.quality, None if c.bass is None else (c.bass + key) % 12)


def _pick(pool, rng: np.random.Generator, moves: dict | None = None, last: str | None = None):
    weights = np.array([count for _, _, count in pool], np.float64)
    if moves and last is not None:
        follow = moves.get(last, {})
        weights = weights * np.array([follow.get(num[0], 0) + 0.5 for num, _, _ in pool])
    return pool[int(rng.choice(len(pool), p=weights / weights.sum()))]


def _arrivals(mode: str) -> set[Chord]:
    """The chords a chorus arrives on, in C (A minor: tonic 0): I, IV, vi / i, iv, VI."""
    if mode == "major":
        return {Chord(0, ""), Chord(5, ""), Chord(9, "m")}
    return {Chord(0, "m"), Chord(5, "m"), Chord(8, "")}


def _tonic(key: int, mode: str) -> Chord:
    return Chord(key % 12, "" if mode == "major" else "m")


def _is_dominant(c: Chord, key: int) -> bool:
    """V, V7 or vii° of the key (the chords that lead to I)."""
    off = (c.root - key) % 12
    return (off == 7 and c.quality in ("", "7")) or (off == 11 and c.quality in ("dim", "dim7",
                                                                                 "m7b5"))


def _ends(chords: tuple[Chord, ...], cadence: str, key: int, mode: str) -> bool:
    if cadence == "open":
        return True
    if len(chords) < 3:  # a one-bar phrase: V I, or V held
        a, b, c = chords[-2], chords[-1], chords[-1]
        if cadence == "authentic":
            return c == _tonic(key, mode) and _is_dominant(a, key)
    else:
        a, b, c = chords[-3], chords[-2], chords[-1]
    if cadence == "authentic":
        return b == c == _tonic(key, mode) and _is_dominant(a, key)
    return b == c and (b.root - key) % 12 == 7 and b.quality in ("", "7")


def _force_cadence(chords: list[Chord], cadence: str, key: int, mode: str) -> list[Chord]:
    """Where no window of the table ends as asked, end it so: V (I) over the last bars."""
    if cadence == "open" or _ends(tuple(chords), cadence, key, mode):
        return chords
    dominant = Chord((key + 7) % 12, "")
    if cadence == "half":
        return chords[:-2] + [dominant, dominant]
    if len(chords) < 4:
        return chords[:-2] + [dominant, _tonic(key, mode)]
    return chords[:-3] + [dominant, _tonic(key, mode), _tonic(key, mode)]
