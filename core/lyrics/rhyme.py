"""Rhyme: judged by the CMU Pronouncing Dictionary, with a spelling fallback for unknown words.

Two words rhyme when their sounds from the last stressed vowel to the end agree
("night" / "light"). Words the dictionary does not know (archaic "o'er", names, made-up
words) are compared by spelling from their last vowel group. The same word twice is a
repetition, not a rhyme, and is never counted as one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.errors import SongloomError
from core.lyrics.syllables import WORD_RE

SCHEMES = {
    # Each pattern repeats every len(pattern) lines: lines 5-8 of ABAB pair among themselves.
    "AABB": "AABB",
    "ABAB": "ABAB",
    "ABCB": "ABCB",
    "ABBA": "ABBA",
    "AAAA": "AAAA",
    "FREE": "",
}


class RhymeSchemeError(SongloomError):
    """An unknown rhyme scheme."""


def parse_scheme(scheme: str | None) -> str:
    """The scheme's letter pattern ('' for free verse); unknown names are an error."""
    key = (scheme or "free").strip().upper()
    if key not in SCHEMES:
        names = ", ".join(s if s != "FREE" else "free" for s in SCHEMES)
        raise RhymeSchemeError(f"unknown rhyme scheme (use one of {names})", scheme)
    return SCHEMES[key]


def scheme_letters(scheme: str, n_lines: int) -> list[str | None]:
    """Per line, the rhyme group it belongs to (None: free). Groups never span blocks."""
    pattern = parse_scheme(scheme)
    if not pattern:
        return [None] * n_lines
    return [f"{pattern[i % len(pattern)]}{i // len(pattern)}" for i in range(n_lines)]


def required_pairs(scheme: str, n_lines: int) -> list[tuple[int, int]]:
    """The (earlier, later) line pairs the scheme asks to rhyme: each line with the
    previous line of its group, so AABB gives (0,1),(2,3) and ABAB gives (0,2),(1,3)."""
    last: dict[str, int] = {}
    pairs = []
    for i, letter in enumerate(scheme_letters(scheme, n_lines)):
        if letter is None:
            continue
        if letter in last:
            pairs.append((last[letter], i))
        last[letter] = i
    return pairs


def last_word_span(line: str) -> tuple[int, int] | None:
    """Where the line's last word stands (start, end), as written; None: no word."""
    spans = [m.span() for m in WORD_RE.finditer(line)]
    return spans[-1] if spans else None


def last_word(line: str) -> str:
    """The word a line rhymes on, lower case, curly apostrophes made straight: the one
    definition the rhyme checks, the writer and the lyric editor share."""
    span = last_word_span(line)
    return line[span[0]:span[1]].lower().replace("\u2019", "'") if span else ""


@lru_cache(maxsize=65536)
def _rhyming_parts(word: str) -> frozenset[str]:
    from core.lyrics import cmu

    return frozenset(cmu.rhyming_part(p) for p in cmu.load().phones(word))


_VOWELS = re.compile(r"[aeiouy]+")


def spelling_rhyme_key(word: str) -> str:
    """The spelling from the last sung vowel group to the end ('night' -> 'ight')."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if w.endswith("e") and len(w) > 2 and not w.endswith(("ee", "ye")):
        stem = w[:-1]  # a silent final e: 'stone' rhymes on 'one'
        groups = list(_VOWELS.finditer(stem))
        if groups:
            return stem[groups[-1].start() :] + "e"
    groups = list(_VOWELS.finditer(w))
    return w[groups[-1].start() :] if groups else w


def rhymes(a: str, b: str) -> bool:
    """True when the last words of ``a`` and ``b`` rhyme (identical words do not count)."""
    wa, wb = last_word(a), last_word(b)
    if not wa or not wb or wa == wb:
        return False
    pa, pb = _rhyming_parts(wa), _rhyming_parts(wb)
    if pa and pb:
        return bool(pa & pb)
    key_a, key_b = spelling_rhyme_key(wa), spelling_rhyme_key(wb)
    return len(key_a) >= 2 and key_a == key_b


def rhyme_suggestions(word: str, vocabulary: dict[str, int] | None = None, limit: int = 30) -> list[str]:
    """Words that rhyme with ``word``, most common first when a vocabulary with counts is given.

    The dictionary's list holds many names and rare words; with a vocabulary (the bundled
    model ships one, counted from its training texts) only words a songwriter would
    recognise are kept. Unknown words fall back to the spelling of their ending.
    """
    from core.lyrics import cmu

    target = last_word(word)
    if not target:
        return []
    found: set[str] = set()
    parts = _rhyming_parts(target)
    if vocabulary is not None:
        index = _vocabulary_index(vocabulary)
        for part in parts:
            found.update(index.get(part, ()))
    else:
        for part in parts:
            found.update(cmu.load().words_rhyming_on(part))
    if not found and vocabulary:
        key = spelling_rhyme_key(target)
        found = {w for w in vocabulary if spelling_rhyme_key(w) == key}
    found = {w for w in found if w.isalpha() and w != target}
    if vocabulary is not None:
        ranked = sorted((w for w in found if w in vocabulary), key=lambda w: (-vocabulary[w], w))
    else:
        ranked = sorted(found, key=lambda w: (len(w), w))
    return ranked[:limit]


_vocab_indexes: dict[int, dict[str, list[str]]] = {}


def _vocabulary_index(vocabulary: dict[str, int]) -> dict[str, list[str]]:
    """Rhyming part -> words, for one vocabulary (built once: scanning the whole CMU
    dictionary per request would cost most of a second)."""
    key = id(vocabulary)
    if key not in _vocab_indexes:
        index: dict[str, list[str]] = {}
        for w in vocabulary:
            for part in _rhyming_parts(w):
                index.setdefault(part, []).append(w)
        _vocab_indexes[key] = index
    return _vocab_indexes[key]


def warm_up() -> None:
    """Load the pronouncing dictionary now (about a second) rather than in the first request."""
    _rhyming_parts("song")
