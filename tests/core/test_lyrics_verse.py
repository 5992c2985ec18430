"""The songwriter's workflow on the bundled model: a verse that keeps its promises (real
modern words, syllables, rhyme, theme), locked lines, continuing, rewriting one line,
rhyme suggestions, and what the writer says when something could not be done."""

from __future__ import annotations

import pytest

from core.lyrics.lexicon import load_lexicon
from core.lyrics.model_store import bundled_model_dir, load_lyrics_model
from core.lyrics.rhyme import last_word, required_pairs, rhymes
from core.lyrics.syllables import count_syllables, words
from core.lyrics.theme import expand_theme
from core.lyrics.verse import LockedLinesError, LyricRequest, rewrite_line, rhyme_words, write_verse


@pytest.fixture(scope="module")
def lm():
    if not (bundled_model_dir() / "model.safetensors").exists():
        pytest.fail("the bundled lyrics model is missing")
    return load_lyrics_model()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_a_verse_keeps_every_promise(lm, lexicon):
    req = LyricRequest(theme="ocean storm", lines=8, syllables=8, rhyme="ABAB", seed=101)
    verse = write_verse(lm, req)
    assert len(verse.lines) == 8 and all(verse.lines) and len(set(verse.lines)) == 8
    for line in verse.lines:
        for w in words(line):
            assert lexicon.is_word(w), (w, line)  # real, modern, not blocked
        bases = [lexicon.base(w) for w in words(line) if lexicon.is_content(w)]
        assert len(bases) == len(set(bases)), line  # no content word twice
        assert abs(count_syllables(line) - 8) <= 1, line
    assert all(rhymes(verse.lines[a], verse.lines[b]) for a, b in required_pairs("ABAB", 8))
    theme = expand_theme("ocean storm", lexicon)
    assert sum(bool(theme.hits(x, lexicon)) for x in verse.lines) >= 5, verse.lines
    assert verse.syllables == [count_syllables(x) for x in verse.lines]
    assert write_verse(lm, req).lines == verse.lines  # same seed, same verse


def test_locked_lines_stay_and_the_rest_rhymes_with_them(lm):
    locked = {0: "The road is white with snow tonight", 3: "I hold the wheel with frozen hands"}
    streamed = []
    req = LyricRequest(theme="winter drive", lines=4, syllables=8, rhyme="ABAB", seed=5)
    verse = write_verse(lm, req, locked=locked, on_line=lambda i, t: streamed.append(i))
    assert streamed == [0, 1, 2, 3]  # locked lines stream in their place
    assert verse.lines[0] == locked[0] and verse.lines[3] == locked[3]
    assert verse.locked == [0, 3]
    assert rhymes(verse.lines[2], locked[0]) and rhymes(verse.lines[1], locked[3])


def test_continue_from_my_first_lines(lm):
    first = ["I found your letter in the rain", "The ink had run along the fold"]
    verse = write_verse(lm, LyricRequest(theme="a letter never sent", lines=6, syllables=8,
                                         rhyme="ABAB", seed=2), locked=dict(enumerate(first)))
    assert verse.lines[:2] == first
    assert rhymes(verse.lines[2], first[0]) and rhymes(verse.lines[3], first[1])


def test_locked_lines_that_cannot_rhyme_are_one_clear_error(lm):
    req = LyricRequest(lines=4, syllables=8, rhyme="ABAB")
    with pytest.raises(LockedLinesError) as err:
        write_verse(lm, req, locked={0: "I walk along the road at night", 2: "and sing about the day"})
    msg = str(err.value)
    assert "lines 1 and 3" in msg and "'night'" in msg and "'day'" in msg and "\n" not in msg
    with pytest.raises(LockedLinesError, match="nothing|no common word rhymes with it"):
        write_verse(lm, req, locked={1: "I ate a golden orange"})


def test_a_line_off_its_target_is_reported(lm):
    verse = write_verse(lm, LyricRequest(lines=2, syllables=8, rhyme="AABB", seed=1),
                        locked={0: "I wander lonely through the city streets tonight"})
    assert 0 in verse.misses
    assert verse.miss_messages()[0] == f"line 1 has {count_syllables(verse.lines[0])} syllables (target 8)"


def test_a_german_theme_is_said_not_silently_ignored(lm):
    verse = write_verse(lm, LyricRequest(theme="Winterstraße", lines=2, syllables=6, seed=1))
    assert any("German" in n and "English" in n for n in verse.notes)
    assert all(verse.lines)


def test_rewrite_a_line_gives_five_choices_that_fit(lm):
    lines = ["The train is leaving from the station", "I watch the windows pass me by",
             "The platform empties in the rain", "And all the lights begin to die"]
    req = LyricRequest(theme="train station", lines=4, syllables=8, rhyme="ABCB", seed=4)
    choices = rewrite_line(lm, req, lines, 3)
    assert len(choices) == 5 and len({c.lower() for c in choices}) == 5
    for c in choices:
        assert c != lines[3] and abs(count_syllables(c) - 8) <= 1, c
        assert rhymes(c, lines[1]), c  # line 4 rhymes with line 2 in ABCB
    assert len({last_word(c) for c in choices}) >= 3  # different end words, real choices
    assert rewrite_line(lm, req, lines, 3) == choices


def test_rhyme_suggestions_are_common_words_theme_first(lexicon):
    plain = rhyme_words("night", n=20, lexicon=lexicon)
    assert plain[:5] and all(rhymes(w, "night") for w in plain)
    assert not {"beit", "feit", "fite"} & set(plain)
    assert plain != sorted(plain)  # ranked by use, not alphabetical
    themed = rhyme_words("night", "city lights", n=20, lexicon=lexicon)
    assert themed[0] == "light" and set(themed) == set(plain)


def test_lines_are_tidied_for_reading():
    from core.lyrics.line_writer import tidy

    assert tidy(" no! she's a life, you Woo,") == "No! she's a life, you woo,"
    assert tidy(" a Vision of the throuGh road") == "A vision of the through road"
    # A sentence's first word keeps the case the model gave it.
    assert tidy(" i think i'm in june.  and then") == "I think I'm in June. and then"
    assert tidy(" the night. And the day") == "The night. And the day"
