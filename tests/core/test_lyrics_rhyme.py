"""Rhyme judgement: CMU dictionary first, spelling for unknown words, schemes and pairs."""

from __future__ import annotations

import pytest

from core.errors import SongloomError
from core.lyrics.rhyme import parse_scheme, required_pairs, rhyme_suggestions, rhymes


def test_rhymes_by_sound_not_spelling():
    assert rhymes("I saw the light", "in the night")
    assert rhymes("my love", "the stars above")  # different spelling, same sound
    assert not rhymes("through", "though")  # same spelling, different sound
    assert not rhymes("the day", "the day")  # repetition is not rhyme
    assert not rhymes("hill", "sea")


def test_unknown_words_fall_back_to_spelling():
    assert rhymes("the glimmerfright", "a zorblight")
    assert not rhymes("the glimmerfroth", "a zorblight")


def test_required_pairs_per_scheme():
    assert required_pairs("AABB", 4) == [(0, 1), (2, 3)]
    assert required_pairs("abab", 8) == [(0, 2), (1, 3), (4, 6), (5, 7)]
    assert required_pairs("ABCB", 4) == [(1, 3)]
    assert required_pairs("free", 6) == []


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(SongloomError, match="XYZ.*unknown rhyme scheme"):
        parse_scheme("XYZ")


def test_suggestions_rhyme_and_prefer_common_words():
    vocab = {"light": 50, "bright": 40, "kite": 2, "sea": 30}
    got = rhyme_suggestions("night", vocab)
    assert got == ["light", "bright", "kite"]
    assert all(rhymes("night", w) for w in rhyme_suggestions("night"))


def test_one_last_word_for_rhymes_writer_and_editor():
    from core.lyrics.rhyme import last_word, last_word_span

    # Curly apostrophes, trailing punctuation, accented letters, case: one answer everywhere.
    assert last_word("Don’t you know I can’t!") == "can't"
    assert last_word("the café,") == "café"
    assert last_word("  … ") == ""
    line = "Shall I compare thee to a summer's Day!"
    start, end = last_word_span(line)
    assert line[start:end] == "Day"  # as written: the editor replaces exactly this
    assert last_word_span("!!") is None
