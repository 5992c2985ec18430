"""Syllables: counting (CMU dictionary, spelling fallback), hyphenation, melody phrases, alignment.

A songwriter counts syllables the way a singer sings them, so the CMU Pronouncing
Dictionary (vowel phonemes carry a stress digit) is the first authority; words it does
not know are counted from their spelling. Hyphenation points come from pyphen where they
agree with that count, so "beau-ti-ful" is split the way a score prints it.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache

# Phrase detection lives with the stored phrase boundaries in core/model/phrases.py; its
# constants stay importable from here.
from core.model.phrases import (  # noqa: F401 - re-exported
    MAX_PHRASE_NOTES,
    MIN_PHRASE_NOTES,
    PHRASE_GAP_TICKS,
    fix_phrases,
)
from core.model.phrases import melody_phrases as _stored_phrases
from core.model.song import LyricLine, LyricSection, Song, Syllable

WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*")
_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")

def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@lru_cache(maxsize=1)
def _pyphen():
    import pyphen

    return pyphen.Pyphen(lang="en_US", left=1, right=2)


def load_cmu() -> None:
    """Parse the CMU dictionary now (first use otherwise parses it, about a second), in a way
    that lets other threads run between chunks (core/lyrics/cmu.py). Idempotent."""
    from core.lyrics import cmu

    cmu.load()


@lru_cache(maxsize=65536)
def _cmu_count(word: str) -> int | None:
    from core.lyrics import cmu

    # The one way the dictionary gets loaded, whichever thread asks first.
    phones = cmu.load().phones(word.lower().replace("\u2019", "'"))
    if not phones:
        return None
    return cmu.syllable_count(phones[0])


def _spelling_count(word: str) -> int:
    """Vowel groups, minus a silent final e, plus 'le' endings: the classic school rule."""
    w = word.lower().replace("'", "").replace("\u2019", "")
    if not w:
        return 0
    count = len(_VOWEL_GROUP_RE.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and count > 1:
        count -= 1  # "loved", "dreamed": the -ed is not sung as a syllable
    if w.endswith("es") and len(w) > 3 and w[-3] not in "scxzhg" and count > 1:
        count -= 1
    return max(1, count)


@lru_cache(maxsize=65536)
def word_syllables(word: str) -> int:
    """Sung syllables in one word: CMU first, then spelling; hyphenated parts add up."""
    if "-" in word:
        return sum(word_syllables(p) for p in word.split("-") if p)
    cmu = _cmu_count(word)
    if cmu is not None and cmu > 0:
        return cmu
    # Archaic or elided forms: "o'er", "lov'd", "heav'n" -- count the spelling.
    return _spelling_count(word)


def count_syllables(text: str) -> int:
    """Syllables a singer sings in ``text`` (0 for text without words)."""
    return sum(word_syllables(w) for w in words(text))


def _sung_cuts(word: str, cuts) -> list[int]:
    """The cuts (in order) that leave a vowel on both sides of each: a sung piece has one.
    pyphen's patterns with left=1 print "c-ity", "s-tranger", "com-for-t-able"; the
    mutation run of issue 19 found 649 such words among the 20,000 commonest."""
    kept: list[int] = []
    for c in sorted(set(cuts)):
        if (0 < c < len(word) and _VOWEL_GROUP_RE.search(word[kept[-1] if kept else 0:c].lower())
                and _VOWEL_GROUP_RE.search(word[c:].lower())):
            kept.append(c)
    return kept


def _split_word(word: str, n: int) -> list[str]:
    """Split ``word`` into ``n`` printable pieces: pyphen points, then vowel groups."""
    if n <= 1 or len(word) < 2:
        return [word]
    cuts = _sung_cuts(word, _pyphen().positions(word))
    if len(cuts) > n - 1:
        # Keep the cuts that give the most even pieces.
        while len(cuts) > n - 1:
            pieces = [b - a for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
            shortest = min(range(len(cuts)), key=lambda i: pieces[i] + pieces[i + 1])
            del cuts[shortest]
    if len(cuts) < n - 1:
        # Vowel-group boundaries: cut before the consonant that precedes each new group.
        extra = []
        for m in list(_VOWEL_GROUP_RE.finditer(word.lower()))[1:]:
            pos = m.start() - 1 if m.start() - 1 > 0 else m.start()
            if pos not in cuts and 0 < pos < len(word):
                extra.append(pos)
        for pos in extra:
            if len(cuts) >= n - 1:
                break
            if len(_sung_cuts(word, [*cuts, pos])) == len(cuts) + 1:
                cuts = _sung_cuts(word, [*cuts, pos])
    if len(cuts) < n - 1:
        # Rare (e.g. "fire" = 2 in CMU, one vowel group): split evenly by letters.
        step = len(word) / n
        cuts = sorted({max(1, min(len(word) - 1, round(step * i))) for i in range(1, n)})
    bounds = [0, *cuts, len(word)]
    return [word[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def syllabify(line: str) -> list[Syllable]:
    """The sung syllables of a line, with word_end False inside a word ("beau-" "ti-" "ful")."""
    out: list[Syllable] = []
    for word in words(line):
        pieces = _split_word(word, word_syllables(word))
        for i, piece in enumerate(pieces):
            out.append(Syllable(piece, None, word_end=i == len(pieces) - 1))
    return out


# -- melody phrases -------------------------------------------------------------------


def melody_phrases(song: Song) -> list[list]:
    """The melody's notes grouped into the song's phrases: its stored phrase starts, or
    (not fixed yet) phrases detected from its rests."""
    return _stored_phrases(song)


def melody_syllable_targets(song: Song) -> list[int]:
    """One syllable target per melody phrase: the number of notes in it."""
    return [len(p) for p in melody_phrases(song)]


def align_lyrics(song: Song, lines: list[str], section: str = "verse",
                 split=syllabify) -> Song:
    """A copy of ``song`` whose lyrics are ``lines``, one line per melody phrase.

    Each syllable sits on the onset of one note, in order. When a phrase has more notes
    than the line has syllables, the last syllable is held over the remaining notes (a
    melisma); when it has fewer, the extra syllables share the phrase's last note.
    Lines beyond the melody's phrases are kept unaligned (tick None). ``split`` turns a
    line into its syllables (core.lyrics.zh.align.line_syllables: Chinese lines too).
    """
    new_song = fix_phrases(copy.deepcopy(song))  # lyrics sung on them: they stay put now
    phrases = melody_phrases(new_song)
    out_lines: list[LyricLine] = []
    for index, text in enumerate(lines):
        syllables = split(text)
        if index < len(phrases):
            onsets = [n.start for n in phrases[index]]
            for i, syl in enumerate(syllables):
                syl.tick = onsets[min(i, len(onsets) - 1)]
        out_lines.append(LyricLine(text=text, syllables=syllables))
    kept = [s for s in new_song.lyrics.sections if s.name != section]
    new_song.lyrics.sections = [*kept, LyricSection(name=section, lines=out_lines)]
    return new_song
