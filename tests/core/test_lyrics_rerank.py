"""Choosing a lyric line among its candidates: the grammar check, the model's own re-score,
the decode settings in the model folder, and the writer keeping the best-scoring line."""

from __future__ import annotations

import gzip
import json

import pytest

from core.lyrics import verse as verse_mod
from core.lyrics.grammar import Checker, GrammarError, load_pos, problems
from core.lyrics.model_store import bundled_model_dir, load_lyrics_model
from core.lyrics.rerank import DecodeSettings, DecodeSettingsError, Judgement, judge
from core.lyrics.token_loop import prime

# Lines the tiny model wrote (issue 13's blind sheet), each with the mistake to be named.
BAD = [
    ("For I was a cursed in the field,", "'a' then 'in'"),
    ("And when the road were coldly showed.", "'the road were'"),
    ("I was the winter in my showed.", "'my showed'"),
    ("I'll turn the lovingly my breast,", "'the' then another determiner"),
    ("Which all my heart so I am prove;", "'am prove'"),
    ("If I should have, nor I had woo.", "'had woo'"),
    ("And she made her heart would leaving.", "'would leaving'"),
    ("She seemed to her when she going.", "'she going'"),
    ("I see what the rose and she lee,", "'she lee'"),
    ("And see the song for the arrive", "'the arrive'"),
    ("I would not say my friends at she.", "'at she'"),
    ("But the sea is a long I blow;", "'a' then 'i'"),
    ("It was a woman's art's exalt,", "'a exalt'"),
    ("I was a woman's for my mind;", "'a' then 'for'"),
    ("I have I heard that in my leaves", "'i have i'"),
    ("I could not that I saw the eaves,", "'could that'"),
    ("I have haven't see, you believes", "'have haven't'"),
    ("And I was a sleep of, and me;", "'of,'"),
    ("I come away to and asleep,", "'to and'"),
    ("I shall not to tell me in all,", "'shall to'"),
    ("I have going on the home", "'have going'"),
    ("I'll tell me to make a word you.", "'i'll ... me'"),
    ("I never be still away,", "'i ... be'"),
    ("And didn't be the sun and noon.", "'didn't be'"),
    ("But let it is done for the dead,", "'let it is'"),
    ("I won't to go", "'won't to'"),
    ("There is a little birds have said,", "'a ... birds'"),
    ("And I'd in the sun is dead", "'i'd in'"),
    ("You not think that's done to say said:", "'you not'"),
    ("I'd how to be true, when I said?", "'i'd how'"),
    ("You leave you, or come; you, to you,", "'you' three times"),
    ("I was a wind was dead at there,", "'was ... was'"),
    ("There was to the wind is a night,", "'was ... is'"),
    ("He come to the door", "'he come'"),
    ("They goes away", "'they goes'"),
    ("You was the one", "'you was'"),
    ("I is alone", "'i is'"),
    ("Me was alone", "'me was'"),
    ("Came an storm upon the hill", "'an storm'"),
    ("Came a apple from the tree", "'a apple'"),
    ("The the road is long", "'the the'"),
    ("I walked along the road with the", "ends on 'the'"),
]

# Ordinary lines, song-like and not: none may be called wrong.
GOOD = [
    "The road is white with snow tonight",
    "I hold the wheel with frozen hands",
    "If I were you I would go home",
    "We were young and the night was long",
    "She said that she would come back home",
    "I have come to see you again",
    "I'd gone away before the dawn",
    "Amazing grace, how sweet the sound",
    "With all my might I held you near",
    "An hour ago the city slept",
    "A little city, black and light.",
    "They had come a long way from home",
    "I'm going to see him again.",
    "You and I were on our own",
    "Come on, my love, the night is young",
    "I could not go, I will not stay",
    "The children are asleep upstairs",
    "He is the one who came",
    "Let it be, let it be",
    "I want you to love me",
    "I know that you love me",
    "I have had enough of rain",
    "Did you have a good time",
    "I'll never be the same",
    "I can't go, I don't know why",
    "If I could be with you",
    "A few days ago, a thousand years",
    "A glass of wine and a piece of news",
    "The night is long and the road is cold",
    "I know what it is, I was there",
    "It is the man who was my friend",
    "I know not why the night is long",
]


@pytest.mark.parametrize("line, named", BAD)
def test_the_grammar_check_names_each_mistake(line, named):
    assert named in problems(line), problems(line)


@pytest.mark.parametrize("line", GOOD)
def test_the_grammar_check_leaves_ordinary_lines_alone(line):
    assert problems(line) == []


def test_a_line_with_no_verb_is_a_fragment():
    checker = Checker()
    assert checker.fragment("The red and the sea of the moon")
    assert checker.fragment("With a kiss at a heavy flight;")
    assert not checker.fragment("The road is white with snow tonight")
    assert not checker.fragment("I hold the wheel with frozen hands")


def test_the_part_of_speech_table_knows_its_words():
    pos = load_pos()
    assert len(pos) > 15000
    assert pos["road"] == "n" and pos["arrive"] == "vb" and pos["showed"] == "vd"
    assert "g" in pos["going"] and "z" in pos["eyes"] and "r" in pos["lovingly"]


def test_a_damaged_part_of_speech_table_is_one_clear_error(tmp_path):
    bad = tmp_path / "english-pos.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(GrammarError, match="damaged") as err:
        load_pos(str(bad))
    assert str(bad) in str(err.value)
    with gzip.open(bad, "wt") as fh:
        json.dump({"format": "other", "words": {}}, fh)
    with pytest.raises(GrammarError, match="not a Songloom part-of-speech table"):
        load_pos(str(bad))


@pytest.fixture(scope="module")
def lm():
    if not (bundled_model_dir() / "model.safetensors").exists():
        pytest.fail("the bundled lyrics model is missing")
    return load_lyrics_model()


def test_the_bundled_model_states_its_decode_settings(lm):
    # A change to K or a weight changes every lyric: it must be a deliberate one (and the
    # blind reading and the bench redone), so this test names the values.
    on_disk = json.loads((bundled_model_dir() / "songloom.json").read_text())["decode"]
    assert on_disk == {"rows_first": 8, "rows": 10, "rescore": 6, "fluency_weight": 1.0,
                       "end_word_weight": 0.15, "forced_margin": 2.5, "forced_weight": 0.5,
                       "grammar_weight": 1.5, "fragment_weight": 0.4}
    assert DecodeSettings.from_info(lm.info) == DecodeSettings(**on_disk)
    assert verse_mod._Writer(lm, verse_mod.LyricRequest()).rows(True) == 8


@pytest.mark.parametrize("section, needle", [
    ([], "must be an object"),
    ({"rows": 0}, "rows and rescore must be 1 to 64"),
    ({"rescore": 65}, "rows and rescore must be 1 to 64"),
    ({"rows": 2.5}, "'rows' must be a number"),
    ({"grammar_weight": "high"}, "'grammar_weight' must be a number"),
    ({"grammar_weight": True}, "'grammar_weight'"),
    ({"grammar_weight": -1}, "'grammar_weight'"),
    ({"beam": 4}, "unknown decode setting 'beam'"),
])
def test_bad_decode_settings_are_one_clear_error(section, needle):
    with pytest.raises(DecodeSettingsError, match=needle):
        DecodeSettings.from_info({"decode": section})


def test_a_folder_without_decode_settings_gets_the_defaults():
    assert DecodeSettings.from_info({"format": "x"}) == DecodeSettings()
    assert DecodeSettings.from_info(None) == DecodeSettings()


def test_the_score_weighs_each_part():
    s = DecodeSettings(fluency_weight=2.0, end_word_weight=0.5, forced_weight=3.0,
                       grammar_weight=1.5, fragment_weight=0.25)
    j = Judgement(fluency=-2.0, end_word=-4.0, forced=0.5, problems=["x", "y"], fragment=True)
    assert j.score(s) == pytest.approx(2 * -2 + 0.5 * -4 - 3 * 0.5 - 1.5 * 2 - 0.25)


def test_the_model_prefers_the_fluent_line(lm):
    """Two lines on the same end word after the same lines: the model's own re-score puts
    the sensible one first, and calls the word salad forced."""
    tok = lm.tokenizer
    prompt = "<|endoftext|>title: winter road\n[8 snow] The road is white with falling snow\n[8"
    prefix = prime(lm, tok(prompt, add_special_tokens=False)["input_ids"], 40)
    tag = tok(" night]", add_special_tokens=False)["input_ids"]
    good, salad = judge(lm, prefix, ["And I will walk it through the night",
                                     "Brig cursed exalt the arrive of night"],
                        [tag, tag], DecodeSettings())
    assert good.fluency > salad.fluency + 1.0
    assert salad.forced > good.forced
    assert good.end_word == salad.end_word < 0  # the same tag, its own log-probability
    assert good.problems == [] and salad.problems
    assert good.score(DecodeSettings()) > salad.score(DecodeSettings())


def test_the_writer_keeps_the_best_scoring_candidate(lm, monkeypatch):
    """Every line of the verse is the top-scoring candidate the re-score saw, and its score
    includes the re-score (a grammar problem costs the line)."""
    seen: dict[int, list] = {}
    original = verse_mod._Writer.candidates

    def spy(self, lines, index, *args, **kwargs):
        found = original(self, lines, index, *args, **kwargs)
        seen.setdefault(index, []).extend(found)
        return found

    monkeypatch.setattr(verse_mod._Writer, "candidates", spy)
    # Every candidate re-scored (not only the short list), so flawed ones are among them.
    monkeypatch.setattr(lm, "info", {**lm.info, "decode": {**lm.info["decode"], "rescore": 64}})
    req = verse_mod.LyricRequest(theme="winter road", lines=4, syllables=8, seed=3)
    verse = verse_mod.write_verse(lm, req)
    for i, line in enumerate(verse.lines):
        best = max(seen[i], key=lambda c: c.score)
        assert line == best.text
        for c in seen[i]:
            assert c.problems == problems(c.text)
    flawed = [c for found in seen.values() for c in found if c.problems]
    assert flawed, "no candidate with a grammar problem: the test shows nothing"
    for i, line in enumerate(verse.lines):
        if any(not c.problems for c in seen[i]):
            assert problems(line) == [], line  # a clean candidate beats a flawed one


def test_only_the_short_list_is_re_scored(lm, monkeypatch):
    sizes = []
    original = verse_mod.judge

    def spy(lm_, prefix, lines, *args, **kwargs):
        sizes.append(len(lines))
        return original(lm_, prefix, lines, *args, **kwargs)

    monkeypatch.setattr(verse_mod, "judge", spy)
    monkeypatch.setattr(lm, "info", {**lm.info, "decode": {**lm.info["decode"], "rescore": 2}})
    verse = verse_mod.write_verse(lm, verse_mod.LyricRequest(theme="rain", lines=2, seed=4))
    assert all(verse.lines)
    assert sizes and max(sizes) == 2
