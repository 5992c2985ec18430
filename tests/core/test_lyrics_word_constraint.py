"""Which token may come next: real words only, diction, syllables, end words, repetition.

These run on the shipped lexicon with tokens given as text, so they say what any model's
tokenizer will meet (a byte-level BPE spells words in pieces like " pove" + "ful")."""

from __future__ import annotations

import pytest

from core.lyrics.lexicon import load_lexicon
from core.lyrics.word_constraint import START, LineRules, token_pieces, vocabulary


@pytest.fixture(scope="module")
def modern():
    return vocabulary(load_lexicon(), False)


@pytest.fixture(scope="module")
def poetic():
    return vocabulary(load_lexicon(), True)


def feed(rules: LineRules, tokens: list[str]):
    """(state, ended) after the tokens, or the index of the first token refused."""
    state, ended = START, False
    for i, tok in enumerate(tokens):
        pieces = token_pieces(tok)
        step = None if pieces is None else rules.advance(state, pieces)
        if step is None:
            return i
        state, ended = step
    return state, ended


def test_token_pieces():
    assert token_pieces(" snow") == ((" ",), ("w", "snow"))
    assert token_pieces("ing,") == (("w", "ing"), ("p", ","))
    assert token_pieces("\u2019s") == (("w", "'s"),)
    assert token_pieces(".\n") == (("p", "."), ("\n",))
    for bad in ("3", "-", '"', "[", "\u00e9t\u00e9"):
        assert token_pieces(bad) is None, bad


def test_a_plain_line_goes_through_and_ends_on_target(modern):
    rules = LineRules(modern, target=8)
    state, ended = feed(rules, [" The", " snow", " is", " fall", "ing", " on", " the", " road", ",\n"])
    assert ended and state[1] == 8
    assert state[3] == ("the", "snow", "is", "falling", "on", "the", "road")


def test_an_invented_word_cannot_be_spelled(modern):
    rules = LineRules(modern, target=8)
    # "pove" is a prefix of "poverty"; "poveful" is no word, so "ful" may not follow.
    assert feed(rules, [" The", " morning", " pove", "ful"]) == 3
    assert feed(rules, [" the", " thy", "t"]) == 2  # "thyt"
    assert feed(rules, [" like", " a", "-"]) == 2  # hyphens, digits, quotes never


def test_archaic_words_only_in_poetic_diction(modern, poetic):
    # Refused as soon as no modern word can be spelled: "thee" starts none, "thou" starts
    # "thousand", so it is refused when it ends.
    assert feed(LineRules(modern, target=8), [" for", " thee", " and"]) == 1
    assert feed(LineRules(modern, target=8), [" I", " know", " thou", " art"]) == 3
    assert feed(LineRules(modern, target=8), [" I", " know", " thou", "sand"])[0][0] == "thousand"
    assert isinstance(feed(LineRules(poetic, target=8), [" for", " thee", " and"]), tuple)


def test_syllables_never_run_over_and_the_line_ends_near_its_target(modern):
    # 4 syllables: "the beautiful" fills them, so no room for another word.
    assert feed(LineRules(modern, target=4), [" the", " beautiful", " snow"]) == 2
    # A break two syllables short of 6 is refused; one short (slack 1) or on target is not.
    assert feed(LineRules(modern, target=6), [" the", " cold", " snow", " falls", "\n"]) == 4
    assert feed(LineRules(modern, target=5), [" the", " cold", " snow", " falls", "\n"])[1]
    assert feed(LineRules(modern, target=4), [" the", " cold", " snow", " falls", "\n"])[1]


def test_no_line_ends_on_a_weak_word(modern):
    assert feed(LineRules(modern, target=4), [" the", " light", " of", " the", "\n"]) == 4


def test_the_end_word_is_the_one_asked_for(modern):
    rules = LineRules(modern, target=3, end_words={"night": 1})
    assert feed(rules, [" the", " cold", " night", "\n"])[1]
    assert feed(rules, [" the", " cold", " day", "\n"]) == 2  # "day" cannot end it
    # A word that cannot leave room for the end word is refused as it starts.
    assert feed(LineRules(modern, target=3, end_words={"tomorrow": 3}), [" the"]) == 0


def test_repetition_within_a_line(modern):
    rules = LineRules(modern, target=10)
    assert feed(rules, [" snow", " and", " snow", " and"]) == 3  # a content word twice
    assert feed(rules, [" the", " the", " snow"]) == 2  # any word twice in a row
    assert feed(rules, [" I", " am", " I", " am", " here"]) == 4  # a word pair twice
    assert isinstance(feed(rules, [" the", " snow", " on", " the", " road"]), tuple)


def test_banned_words_are_refused(modern):
    rules = LineRules(modern, target=8, banned=frozenset({"snow"}))
    assert feed(rules, [" the", " snow", " is"]) == 2


def test_end_only_states_name_every_token_that_can_come(modern):
    """When only the end word fits, sampling checks just the tokens end_candidates names
    (not the model's likeliest thousands): they must include every token advance allows."""
    from transformers import AutoTokenizer

    from core.lyrics.model_store import bundled_model_dir
    from core.lyrics.word_constraint import TokenTable

    tok = AutoTokenizer.from_pretrained(str(bundled_model_dir()), local_files_only=True)
    table = TokenTable(tok, tok.eos_token_id)
    rules = LineRules(modern, target=3, end_words={"tonight": 2})
    state, _ = feed(rules, [" the", " ton"])
    assert rules.end_only(state)
    allowed = {t for t, pieces in enumerate(table.pieces)
               if pieces is not None and rules.advance(state, pieces) is not None}
    named = set(rules.end_candidates(state, table))
    assert allowed and allowed <= named
    assert set(table.by_text["ight"]) <= allowed
    assert any(table.text[t] == "I" for t in allowed)  # a capital spells the same letter
    assert not rules.end_only(feed(rules, [" the"])[0])  # other words still fit there
