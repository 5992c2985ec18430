"""Chinese lyrics: rhyme groups, data pipeline, patterns, the constrained writer, scores."""

from __future__ import annotations

import pytest
from zh_support import RHYME_CHARS, TUNE, TUNE_LENGTHS, synthetic_docs, zh_model_dir  # noqa: F401

from core.errors import SongloomError
from core.lyrics.zh.rhyme import GROUP_NAMES, group_name, is_level, rhyme_group, rhymes


def test_zhonghua_xinyun_groups():
    assert len(GROUP_NAMES) == 14
    cases = {"花": "麻", "家": "麻", "歌": "波", "多": "波", "月": "皆", "雪": "皆",
             "来": "开", "归": "微", "飞": "微", "高": "豪", "愁": "尤", "流": "尤",
             "天": "寒", "年": "寒", "山": "寒", "人": "文", "云": "文", "春": "文",
             "光": "唐", "江": "唐", "风": "庚", "东": "庚", "明": "庚", "衣": "齐",
             "鱼": "齐", "儿": "齐", "时": "支", "子": "支", "思": "支", "孤": "姑", "无": "姑"}
    for ch, name in cases.items():
        assert group_name(rhyme_group(ch)) == name, ch
    assert rhymes("天", "寒") and not rhymes("天", "花")
    assert rhyme_group("a") is None and rhyme_group("，") is None
    assert is_level("天") is True and is_level("月") is False


def test_clauses_and_heldout_split():
    from core.training.lyrics_zh_data import Document, split_clauses

    assert split_clauses(["明月几时有？把酒问青天。"]) == ["明月几时有", "把酒问青天"]
    assert split_clauses(["春□花落"]) is None  # a lacuna drops the document
    docs = [Document("ci", "浣溪沙", [f"第{i}首词"], "t") for i in range(400)]
    held = [d.heldout for d in docs]
    assert held == [d.heldout for d in docs] and 5 <= sum(held) <= 40


def test_tokenizer_one_character_per_token_and_whole_tags():
    from core.training.lyrics_zh_data import build_tokenizer, build_vocab, doc_tokens

    docs = synthetic_docs(6)
    vocab = build_vocab(docs, min_count=1)
    tok = build_tokenizer(vocab)
    tokens = doc_tokens(docs[0])
    ids = tok("".join(tokens), add_special_tokens=False)["input_ids"]
    assert ids == [vocab.index(t) for t in tokens]
    assert tokens[:4] == ["[BOS]", "[词]", *TUNE[:2]]
    assert "[L5]" in tokens and any(t.startswith("[R") for t in tokens)


def test_patterns_derived_from_the_ci():
    from core.training.lyrics_zh_patterns import derive_patterns

    data = derive_patterns([d for d in synthetic_docs() if d.kind == "ci"])
    p = data["patterns"][TUNE]
    assert tuple(p["lines"]) == TUNE_LENGTHS
    assert p["rhyme"] == "AA-A"
    assert len(p["tones"]) == len(TUNE_LENGTHS) and len(p["tones"][2]) == 7


def test_unknown_pattern_lists_close_names(zh_model_dir):  # noqa: F811
    from core.lyrics.zh.model import load_zh_model

    zm = load_zh_model(zh_model_dir)
    with pytest.raises(SongloomError, match="close names: 试调令"):
        zm.patterns.get("试调")
    with pytest.raises(SongloomError, match="unknown tune pattern"):
        zm.patterns.get("完全不同")


def test_melody_phrase_longer_than_any_line(zh_model_dir):  # noqa: F811
    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.patterns import melody_plan

    book = load_zh_model(zh_model_dir).patterns
    plans = melody_plan([5, 7, 5, 7], book)
    assert [p.length for p in plans] == [5, 7, 5, 7]
    assert [p.rhyme for p in plans] == ["A", "A", "-", "A"]
    notes: list[str] = []
    plans = melody_plan([5, 12], book, source="song.mid", notes=notes)
    assert [p.length for p in plans] == [5, 12]
    assert "phrases 2 (12 notes) are longer than any tune pattern's line (7 characters)" in notes[0]
    with pytest.raises(SongloomError, match="phrase 2 has 24 notes, more than the 20"):
        melody_plan([5, 24], book, source="song.mid")


def _write(zh_model_dir, **kw):  # noqa: F811
    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.writer import ZhRequest, write_zh

    zm = load_zh_model(zh_model_dir)
    pattern = zm.patterns.get(TUNE)
    req = ZhRequest(plans=pattern.plans, title=TUNE, candidates=2, **kw)
    return zm, req, write_zh(zm, req)


def test_writer_exact_lengths_and_rhymes(zh_model_dir):  # noqa: F811
    from core.metrics.lyrics_zh import han_count, length_fit, rhyme_adherence

    for seed in range(4):
        zm, req, out = _write(zh_model_dir, seed=seed, theme="秋月 moon")
        texts = [x.text for x in out.lines]
        assert [han_count(t) for t in texts] == list(TUNE_LENGTHS)
        assert all(len(t) == han_count(t) for t in texts)  # nothing but Chinese characters
        assert length_fit(texts, list(TUNE_LENGTHS)) == 1.0
        assert rhyme_adherence(texts, "AA-A") == 1.0
        group = out.set_groups["A"]
        assert all(x.group == group for x in out.lines if x.rhyme == "A")


def test_same_seed_same_lines_other_seed_other_lines(zh_model_dir):  # noqa: F811
    a = [x.text for x in _write(zh_model_dir, seed=7)[2].lines]
    b = [x.text for x in _write(zh_model_dir, seed=7)[2].lines]
    c = [x.text for x in _write(zh_model_dir, seed=8)[2].lines]
    assert a == b and a != c


def test_locked_line_sets_the_rhyme_and_regenerate_keeps_the_rest(zh_model_dir):  # noqa: F811
    from core.lyrics.zh.writer import regenerate_line

    zm, req, out = _write(zh_model_dir, seed=1, locked={1: "明月照花家"})
    assert out.lines[1].text == "明月照花家" and out.lines[1].locked
    assert out.set_groups["A"] == "麻"
    assert all(x.group == "麻" for x in out.lines if x.rhyme == "A")
    texts = [x.text for x in out.lines]
    new = regenerate_line(zm, req, texts, 3, variation=5)
    new_texts = [x.text for x in new.lines]
    assert new_texts[:3] == texts[:3] and new_texts[3] != texts[3]
    assert len(new_texts[3]) == 5 and new.lines[3].group == "麻"


def test_enforced_tones_follow_the_pattern(zh_model_dir):  # noqa: F811
    from core.metrics.lyrics_zh import tone_fit

    zm, req, out = _write(zh_model_dir, seed=2, enforce_tones=True)
    assert tone_fit([x.text for x in out.lines], [p.tones for p in req.plans]) == 1.0


def test_originality_index_finds_runs_over_five():
    from core.lyrics.zh.originality import ZhOriginalityIndex
    from core.metrics.lyrics_zh import copied_runs

    index = ZhOriginalityIndex.build(["明月几时有把酒问青天", "大江东去浪淘尽"], m=1 << 16, k=4)
    assert index.copied_run("明月几时有把酒") == 7
    assert index.copied_run("把酒问青天") == 0  # five characters: allowed
    assert index.copied_run("春风又绿江南岸") == 0
    assert index.extends_copy("大江东去浪", ["淘", "花"]) == [True, False]
    # 明月几时有把酒问: eight characters, crossing into the second line
    assert copied_runs(["山中明月几", "时有把酒问"], index) == [0, 8]


def test_writer_never_extends_a_corpus_run(zh_model_dir):  # noqa: F811
    from core.lyrics.zh.model import load_zh_model
    from core.metrics.lyrics_zh import copied_runs

    zm = load_zh_model(zh_model_dir)
    for seed in range(3):
        texts = [x.text for x in _write(zh_model_dir, seed=seed, temperature=0.3)[2].lines]
        assert max(copied_runs(texts, zm.index)) == 0


def test_bleu_chrf_use_the_chinese_tokenizer():
    from core.metrics.lyrics_zh import bleu_zh, chrf_zh, length_fit, rhyme_adherence

    ref = ["明月几时有", "把酒问青天"]
    assert bleu_zh(ref, ref) == pytest.approx(100.0)
    # without tokenize='zh' a whole line is one "word" and this would score 0
    assert 0 < bleu_zh(["明月几时来", "把酒问青山"], ref) < 100
    assert chrf_zh(["明月几时来", "把酒问青山"], ref) > 40
    assert length_fit(["明月", "把酒问"], [2, 4]) == 0.5
    assert rhyme_adherence(["一天", "二年", "三花"], "AAA") == 0.5
