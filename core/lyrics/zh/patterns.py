"""Tune patterns (词牌) and line plans: how many characters each line has, which lines rhyme.

The patterns ship as ``patterns.json`` beside the Chinese model (derived from the ci by
``core.training.lyrics_zh_patterns``). A plan can also come from a melody: one character
per note of each phrase, the even lines rhyming (the usual Chinese song and shi practice),
or from an explicit scheme.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.errors import SongloomError


@dataclass(frozen=True)
class LinePlan:
    length: int
    rhyme: str = "-"        # a rhyme-set letter, or "-" for a line that need not rhyme
    tones: str | None = None  # per character P (平), Z (仄) or * (either); None: unchecked

    @property
    def rhymes(self) -> bool:
        return self.rhyme != "-"


@dataclass(frozen=True)
class Pattern:
    name: str
    plans: tuple[LinePlan, ...]
    poems: int = 0
    support: int = 0


class PatternBook:
    def __init__(self, data: dict, path: Path | None = None):
        self.path = path
        self.data = data
        self.patterns: dict = data.get("patterns", {})
        self.group_weights: dict[str, float] = data.get("rhyme_group_weights", {})

    @classmethod
    def load(cls, path: Path) -> PatternBook:
        return _load(str(path))

    @property
    def names(self) -> list[str]:
        return list(self.patterns)

    @property
    def longest_line(self) -> int:
        return max((max(p["lines"]) for p in self.patterns.values()), default=0)

    def close_names(self, name: str, n: int = 6) -> list[str]:
        names = self.names
        close = difflib.get_close_matches(name, names, n=n, cutoff=0.5)
        # share a character: 溪沙 -> 浣溪沙; difflib alone misses short partial names
        extra = [x for x in names if x not in close and set(name) & set(x)
                 and difflib.SequenceMatcher(None, name, x).ratio() >= 0.4]
        extra.sort(key=lambda x: -self.patterns[x]["poems"])
        return (close + extra)[:n]

    def get(self, name: str) -> Pattern:
        key = name.strip()
        if key not in self.patterns:
            close = self.close_names(key)
            hint = ("close names: " + ", ".join(close)) if close else (
                "common ones: " + ", ".join(self.most_common(8)))
            raise SongloomError(f"unknown tune pattern {key!r} ({hint})", None)
        p = self.patterns[key]
        plans = tuple(LinePlan(n, mark, tones)
                      for n, mark, tones in zip(p["lines"], p["rhyme"], p["tones"], strict=True))
        return Pattern(key, plans, p.get("poems", 0), p.get("support", 0))

    def most_common(self, n: int) -> list[str]:
        return sorted(self.patterns, key=lambda x: -self.patterns[x]["poems"])[:n]


@lru_cache(maxsize=4)
def _load(path: str) -> PatternBook:
    from core.errors import ModelError
    from core.io.safe_json import load_json_file

    # regular file, size, UTF-8, depth, digits, NaN: one ModelError naming the file
    data = load_json_file(path, error_cls=ModelError, what="tune patterns")
    if data.get("format") != "songloom-zh-patterns-v1":
        raise ModelError("not a Songloom tune patterns file (format)", path)
    why = _patterns_problem(data)
    if why:
        raise ModelError(f"not a valid tune patterns file: {why}", path)
    return PatternBook(data, Path(path))


MAX_LINE = 64  # characters in one line of a tune; the shipped patterns reach 8
MAX_LINES = 200


def _is_int(v, lo: int, hi: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _patterns_problem(data: dict) -> str | None:
    """Why the parsed file cannot drive the writer (it indexes and zips these fields
    wherever a pattern is used), or None."""
    weights = data.get("rhyme_group_weights", {})
    if not isinstance(weights, dict) or not all(
            isinstance(w, int | float) and not isinstance(w, bool) and 0 <= w <= 1e6
            for w in weights.values()):
        return "rhyme_group_weights must map groups to numbers from 0 to 1e6"
    patterns = data.get("patterns", {})
    if not isinstance(patterns, dict):
        return "'patterns' must be an object"
    for name, p in patterns.items():
        if not isinstance(p, dict):
            return f"pattern {name!r} is not an object"
        lines, rhyme, tones = p.get("lines"), p.get("rhyme"), p.get("tones")
        if (not isinstance(lines, list) or not 1 <= len(lines) <= MAX_LINES
                or not all(_is_int(n, 1, MAX_LINE) for n in lines)):
            return f"pattern {name!r}: 'lines' must be 1-{MAX_LINES} lengths of 1-{MAX_LINE}"
        if not isinstance(rhyme, str | list) or len(rhyme) != len(lines) or not all(
                isinstance(m, str) and len(m) == 1 for m in rhyme):
            return f"pattern {name!r}: 'rhyme' needs one mark per line"
        if not isinstance(tones, list) or len(tones) != len(lines) or not all(
                t is None or (isinstance(t, str) and len(t) == n and set(t) <= set("PZ*"))
                for t, n in zip(tones, lines, strict=True)):
            return f"pattern {name!r}: 'tones' needs P/Z/* per character of each line"
        for key in ("poems", "support"):
            if not _is_int(p.get(key, 0), 0, 10**9):
                return f"pattern {name!r}: {key!r} must be a count"
    return None


def parse_scheme(scheme: str | None, count: int) -> list[str]:
    """Rhyme marks per line from a scheme like ``AABA``, ``ABCB`` or ``free``; the default
    (None or "even") rhymes the even lines and the first, as in a quatrain."""
    if scheme is None or scheme == "even":
        return ["A" if (i % 2 == 1 or i == 0) and count > 1 else "-" for i in range(count)]
    if scheme == "free":
        return ["-"] * count
    if not scheme.isascii() or not scheme.replace("-", "").isalpha():
        raise SongloomError(f"rhyme scheme {scheme!r}: use letters like AABA, '-' for a free "
                            "line, or 'free'", None)
    marks = [c.upper() for c in scheme]
    marks = (marks * (count // len(marks) + 1))[:count]
    # a letter used once rhymes with nothing: treat it as free
    return [m if m != "-" and marks.count(m) > 1 else "-" for m in marks]


MAX_LINE = 20  # the longest line the model was trained to write ([L20])


def melody_plan(lengths: list[int], book: PatternBook, scheme: str | None = None,
                source: str | None = None, notes: list[str] | None = None
                ) -> tuple[LinePlan, ...]:
    """One line per melody phrase, one character per note.

    A phrase longer than any tune pattern's line (pop melodies often have 10-16 notes to a
    phrase) is still written, as one long line, with a note in ``notes`` saying so; a
    phrase longer than the model's longest line is an error naming the phrase."""
    if not lengths:
        raise SongloomError("the melody has no phrases to write lines for", source)
    longest = book.longest_line
    for i, n in enumerate(lengths, 1):
        if n > MAX_LINE:
            raise SongloomError(
                f"melody phrase {i} has {n} notes, more than the {MAX_LINE} characters a line "
                "can have: split the phrase with a rest, or give line lengths instead", source)
    long = [(i, n) for i, n in enumerate(lengths, 1) if n > longest]
    if long and notes is not None:
        which = ", ".join(f"{i} ({n} notes)" for i, n in long[:6])
        more = f" and {len(long) - 6} more" if len(long) > 6 else ""
        notes.append(f"melody phrases {which}{more} are longer than any tune pattern's line "
                     f"({longest} characters): each is written as one long line; a rest "
                     "inside such a phrase gives two lines that read more naturally")
    return tuple(LinePlan(n, mark) for n, mark in zip(lengths, parse_scheme(scheme, len(lengths)),
                                                       strict=True))


def lengths_plan(lengths: list[int], scheme: str | None = None) -> tuple[LinePlan, ...]:
    if not lengths or any(n < 1 or n > 20 for n in lengths):
        raise SongloomError(f"line lengths {lengths}: each must be 1 to 20 characters", None)
    return tuple(LinePlan(n, mark) for n, mark in zip(lengths, parse_scheme(scheme, len(lengths)),
                                                       strict=True))
