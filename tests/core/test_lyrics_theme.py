"""Themes: the shipped lexicon, expansion into images and opposites, the language notice,
the token bias; and the small WordNet reader that builds the lexicon."""

from __future__ import annotations

import gzip
import json

import pytest

from core.errors import SongloomError
from core.lyrics.lexicon import ARCHAIC, BLOCKED, load_lexicon, read_lexicon
from core.lyrics.syllables import word_syllables
from core.lyrics.theme import expand_theme, language_notice, theme_bias


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_every_lexicon_word_is_a_real_word_with_its_syllables(lexicon):
    from core.lyrics import cmu

    pron = cmu.load()
    assert len(lexicon.counts) > 15000
    for word, syl in lexicon.syllables.items():
        assert pron.phones(word), word  # in the CMU dictionary
        assert syl == word_syllables(word), word  # counted as the benchmark counts
    for junk in ("beit", "feit", "fite", "thyt", "poveful"):
        assert junk not in lexicon.counts
    assert not BLOCKED & set(lexicon.counts)


def test_archaic_words_are_marked(lexicon):
    for word in ("thee", "thou", "thy", "thine", "hath", "doth", "ye", "yonder", "o"):
        assert word in lexicon.archaic or word in ARCHAIC, word
        assert not lexicon.is_word(word) and lexicon.is_word(word, poetic=True) == (word in lexicon.counts)
    for word in ("night", "road", "don't", "heart's", "greatest", "forest", "teeth"):
        assert lexicon.is_word(word), word


def test_names_from_the_books_are_not_lyric_words(lexicon):
    for name in ("oz", "marilla", "dorothy", "london", "england's", "vi"):  # "VI": a chapter
        assert name in lexicon.names and not lexicon.is_word(name), name
    for word in ("june", "sunday", "i", "night"):
        assert lexicon.is_word(word), word
    # Rare and unknown to WordNet: a dialect word of one old book.
    assert "mees" in lexicon.rare and not lexicon.is_word("mees")
    assert lexicon.is_word("groceries") and lexicon.is_word("coldest")


def test_base_forms(lexicon):
    assert lexicon.base("lights") == "light"
    assert lexicon.base("winter's") == "winter"
    assert "leaf" in lexicon.bases("leaves")
    assert lexicon.base("wedding") == "wedding"  # a noun of its own, not "wed"
    assert "roads" in lexicon.family("road")


def test_winter_road_brings_snow_and_keeps_summer_out(lexicon):
    theme = expand_theme("Winter Road", lexicon)
    assert theme.core == ("winter", "road")
    assert {"snow", "frost", "ice", "cold"} & set(theme.words)
    assert {"highway", "mile", "lane", "path", "track"} & set(theme.words)
    assert "summer" in theme.contrasts and "summer" not in theme.words
    assert theme.hits("The snow lies on the highway", lexicon)
    assert not theme.hits("I sing of summer and the sun", lexicon)
    assert theme.contrast_hits("I sing of summer", lexicon) == ["summer"]


def test_empty_theme_is_free_writing(lexicon):
    theme = expand_theme("   ", lexicon)
    assert not theme and theme.notice is None


@pytest.mark.parametrize("text,language", [
    ("Winterstraße", "German"), ("erste Liebe", "German"), ("die Lichter der Stadt", "German"),
    ("冬天的路", "Chinese"), ("初恋", "Chinese"), ("зимняя дорога", "Russian"),
    ("la nuit et la ville", "French"),
])
def test_a_theme_in_another_language_gets_a_notice(lexicon, text, language):
    theme = expand_theme(text, lexicon)
    assert not theme  # no English steering from words the model cannot write
    assert theme.notice and language in theme.notice and "English" in theme.notice
    assert "\n" not in theme.notice


@pytest.mark.parametrize("text", ["city lights", "first love", "rain on the river", "Die Hard"])
def test_english_themes_get_no_notice(lexicon, text):
    assert language_notice(text, lexicon) is None


def test_theme_bias_raises_theme_words_and_lowers_opposites(lexicon):
    from transformers import AutoTokenizer

    from core.lyrics.model_store import bundled_model_dir

    class LM:  # the parts of a loaded model theme_bias reads
        tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_dir()), local_files_only=True)
        eos_id = 0

    lm = LM()
    bias = theme_bias(lm, expand_theme("winter road", lexicon), lexicon, 2.0, 1.5)

    def first(word):
        return lm.tokenizer(f" {word}", add_special_tokens=False)["input_ids"][0]

    assert bias[first("winter")] == pytest.approx(2.0)
    assert 0 < bias[first("snow")] <= 2.0
    assert bias[first("summer")] == pytest.approx(-1.5)
    assert bias[first("table")] == 0


def test_a_damaged_lexicon_is_one_clear_error(tmp_path):
    bad = tmp_path / "english.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(SongloomError, match="damaged"):
        read_lexicon(bad)
    with gzip.open(bad, "wt") as fh:
        json.dump({"format": "something-else"}, fh)
    with pytest.raises(SongloomError, match="not a Songloom lexicon"):
        read_lexicon(bad)
    with pytest.raises(SongloomError, match="missing"):
        read_lexicon(tmp_path / "none.json.gz")


def _wordnet(folder):
    """A two-synset WordNet database in wndb(5) format (offsets are byte positions)."""
    header = "  1 This is a test database.  \n"
    lines = [
        ("winter", "15237782 28 n 02 winter 0 wintertime 0 002 @ {season} n 0000 ~ {midwinter} n 0000 "
                   "| the coldest season of the year"),
        ("season", "15236475 28 n 01 season 0 001 ~ {winter} n 0000 | a period of the year"),
        ("midwinter", "15238074 28 n 01 midwinter 0 001 @ {winter} n 0000 | the middle of winter"),
    ]
    # Offsets are the lines' byte positions, and each line starts with its own offset
    # (8 digits, so the lengths do not depend on the values).
    offsets, body = {}, []
    pos = len(header.encode())
    for name, line in lines:
        offsets[name] = pos
        pos += len(line.encode()) + 1
    for _name, line in lines:
        for key, value in offsets.items():
            line = line.replace("{" + key + "}", f"{value:08d}")
        body.append(line.split(" ", 1)[1])
    data = header + "".join(f"{offsets[n]:08d} {b}\n" for (n, _), b in zip(lines, body, strict=True))
    (folder / "data.noun").write_text(data)
    index = header + "".join(f"{n} n 1 1 @ 1 1 {offsets[n]:08d}  \n" for n, _ in sorted(lines))
    (folder / "index.noun").write_text(index)
    for pos in ("verb", "adj", "adv"):
        (folder / f"index.{pos}").write_text(header)
        (folder / f"data.{pos}").write_text(header)
    (folder / "noun.exc").write_text("winters winter\n")
    return offsets


def test_wordnet_reader(tmp_path):
    from core.lyrics.wordnet import HYPERNYM, HYPONYM, WordNet

    _wordnet(tmp_path)
    wn = WordNet(tmp_path)
    (syn,) = wn.synsets("winter")
    assert syn.words == ("winter", "wintertime")
    assert syn.gloss == "the coldest season of the year"
    assert [s.words[0] for s in wn.related(syn, HYPERNYM)] == ["season"]
    assert [s.words[0] for s in wn.related(syn, HYPONYM)] == ["midwinter"]
    assert wn.base_forms("winters", "n") == ["winter"]
    assert wn.tagged_senses("winter", "n") == 1
    with pytest.raises(SongloomError, match="WordNet"):
        WordNet(tmp_path / "missing")
