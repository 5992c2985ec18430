"""The spelling rules behind syllables and rhymes for words the CMU dictionary does not
know ("o'er", names, made-up words), and how a word is printed across its notes.

Written from the mutation run of issue 19 (docs/development.md, "Surviving mutants"):
these rules were only reached through dictionary words, so breaking them went unseen.
"""

from __future__ import annotations

import pytest

from core.errors import SongloomError
from core.lyrics import cmu
from core.lyrics.rhyme import parse_scheme, rhyme_suggestions, rhymes, spelling_rhyme_key
from core.lyrics.syllables import _spelling_count, _split_word, syllabify

# -- syllables by spelling --------------------------------------------------------------


@pytest.mark.parametrize("word,count", [
    ("", 0),
    ("o'er", 1), ("lov\u2019d", 1),  # elisions: the apostrophe is not a vowel
    ("hope's", 1), ("hope\u2019s", 1),  # ... nor does it hide an ending
    ("hope", 1), ("stone", 1), ("lemonade", 3),  # a silent final e
    ("table", 2), ("candle", 2),  # ... but a sung "-le"
    ("agree", 2), ("goodbye", 2),  # ... and "-ee", "-ye" are vowels
    ("axed", 1), ("glimmered", 2),  # "-ed" not sung after other consonants
    ("needed", 2), ("tasted", 2),  # ... but after t or d it is
    ("ukes", 1), ("homes", 1), ("candidates", 3),  # "-es" not sung after other consonants
    ("axes", 2), ("roses", 2),  # ... but after a sibilant it is
    ("brr", 1),  # no vowel at all: still one sung syllable
])
def test_spelling_counts_syllables_as_a_singer_sings_them(word, count):
    assert _spelling_count(word) == count


# -- a word printed across its notes ----------------------------------------------------


@pytest.mark.parametrize("word,n,pieces", [
    ("beautiful", 3, ["beau", "ti", "ful"]),  # the hyphenation points
    ("beautiful", 1, ["beautiful"]),
    ("everlasting", 2, ["ever", "lasting"]),  # more points than notes: the even pieces
    ("everlasting", 3, ["ever", "last", "ing"]),
    ("loveliness", 2, ["loveli", "ness"]),
    ("heaven", 2, ["heav", "en"]),
    ("city", 2, ["ci", "ty"]), ("stranger", 2, ["stran", "ger"]),  # pyphen said "c-ity"
    ("curiosity", 5, ["cu", "ri", "o", "si", "ty"]),
    ("about", 2, ["a", "bout"]),  # a cut right after a first vowel
    ("idea", 3, ["i", "de", "a"]),  # no points: before each new vowel group's consonant
    ("strengths", 3, ["str", "eng", "ths"]),  # too few groups: even cuts by letters
    ("fire", 2, ["fi", "re"]),
    ("ab", 2, ["a", "b"]),
    ("a", 3, ["a"]),  # one letter cannot be cut
])
def test_split_word_prints_a_word_in_as_many_pieces_as_it_has_notes(word, n, pieces):
    assert _split_word(word, n) == pieces


@pytest.mark.parametrize("word", ["beautiful", "everlasting", "dreaming", "strengths",
                                  "rhythm", "hallelujah", "o", "unbelievably"])
def test_split_word_keeps_every_letter_in_order_and_never_makes_an_empty_piece(word):
    for n in range(1, 7):
        pieces = _split_word(word, n)
        assert "".join(pieces) == word and all(pieces), (word, n, pieces)
        assert len(pieces) == min(n, len(word)), (word, n, pieces)


def test_every_sung_piece_of_the_commonest_words_has_a_vowel():
    """A singer sings a vowel on each note: "c-ity", "s-tranger" and "com-for-t-able" were
    printed under the notes for 649 of the 20,000 commonest words (mutation run, issue 19).
    Words with fewer vowel groups than syllables ("our", "fire") are split by letters."""
    from core.lyrics.lexicon import load_lexicon
    from core.lyrics.syllables import _VOWEL_GROUP_RE, word_syllables

    lex = load_lexicon()
    words = sorted((w for w in cmu.load().lookup if w.isalpha() and len(w) > 2
                    and lex.is_word(w)), key=lambda w: (-lex.frequency(w), w))[:20000]
    bad = []
    for w in words:
        n = word_syllables(w)
        if n > 1 and len(_VOWEL_GROUP_RE.findall(w)) >= n:
            pieces = _split_word(w, n)
            if len(pieces) != n or not all(_VOWEL_GROUP_RE.search(p) for p in pieces):
                bad.append((w, pieces))
    assert bad == [], bad[:10]


def test_syllabify_marks_only_each_word_s_last_piece_as_its_end():
    syl = syllabify("Beautiful day")
    assert [(s.text, s.word_end) for s in syl] == [("Beau", False), ("ti", False),
                                                   ("ful", True), ("day", True)]
    assert all(s.tick is None for s in syl)  # not yet on a note


# -- rhymes by spelling -----------------------------------------------------------------


@pytest.mark.parametrize("word,key", [
    ("night", "ight"), ("stone", "one"), ("cake", "ake"), ("ode", "ode"),  # silent e kept
    ("free", "ee"), ("agree", "ee"), ("bye", "ye"), ("me", "e"),
    ("O\u2019er", "oer"), ("rhythm", "ythm"), ("lovely", "y"), ("brrr", "brrr"),
])
def test_spelling_rhyme_key_is_the_ending_from_the_last_sung_vowel(word, key):
    assert spelling_rhyme_key(word) == key


def test_words_the_dictionary_does_not_know_rhyme_by_their_spelling():
    assert not any(cmu.load().phones(w) for w in ("qwee", "zxee", "zqa", "xqa", "zight"))
    assert rhymes("the qwee", "a zxee")  # "ee": two letters are enough
    assert not rhymes("zqa", "xqa")  # one letter is not a rhyme
    assert rhymes("by night", "a zight")  # one known word, one not: the spelling decides
    assert not rhymes("zight", "zight")  # the same word is a repetition


def test_rhyme_suggestions_with_and_without_a_vocabulary():
    plain = rhyme_suggestions("night")
    assert len(plain) == 30 and "light" in plain and "night" not in plain
    assert len(rhyme_suggestions("night", limit=5)) == 5
    vocab = {"light": 5, "night": 3, "day": 9, "bright": 7}
    assert rhyme_suggestions("tonight", vocab) == ["bright", "light", "night"]
    assert rhyme_suggestions("orange", vocab) == []  # no rhyme in it: nothing, no error
    assert rhyme_suggestions("zight", vocab) == ["bright", "light", "night"]  # by spelling


def test_a_rhyme_scheme_is_free_by_default_and_an_unknown_one_lists_the_choices():
    assert parse_scheme(None) == "" and parse_scheme(" Free ") == ""
    assert parse_scheme("abab") == "ABAB"
    with pytest.raises(SongloomError) as exc:
        parse_scheme("ABC")
    assert "use one of AABB, ABAB, ABCB, ABBA, AAAA, free" in str(exc.value)
