"""The bundled Chinese model and its data files, as shipped."""

from __future__ import annotations

import json

import pytest

from core.lyrics.zh.model import bundled_zh_dir

BUNDLED = bundled_zh_dir()
needs_model = pytest.mark.skipif(not (BUNDLED / "model.safetensors").exists(),
                                 reason="the Chinese model is not bundled in this checkout")


def test_patterns_cover_the_common_tunes():
    from core.lyrics.zh.patterns import PatternBook

    book = PatternBook.load(BUNDLED / "patterns.json")
    assert len(book.names) >= 200
    assert [p.length for p in book.get("浣溪沙").plans] == [7] * 6
    assert "".join(p.rhyme for p in book.get("浣溪沙").plans) == "AAA-AA"
    assert [p.length for p in book.get("如梦令").plans] == [6, 6, 5, 6, 2, 2, 6]
    assert [p.length for p in book.get("蝶恋花").plans] == [7, 4, 5, 7, 7] * 2
    water = book.get("水调歌头").plans
    assert len(water) == 19 and sum(p.length for p in water) == 95
    assert set(book.group_weights) == {"麻", "波", "皆", "开", "微", "豪", "尤", "寒", "文",
                                       "唐", "庚", "齐", "支", "姑"}


def test_index_knows_famous_lines():
    from core.lyrics.zh.originality import ZhOriginalityIndex

    index = ZhOriginalityIndex.load(BUNDLED / "corpus_index.npz")
    assert index.copied_run("明月几时有把酒问青天") >= 10  # 水调歌头, Su Shi
    assert index.is_corpus_line("明月几时有")
    assert index.copied_run("电脑手机网络时代") == 0


@needs_model
def test_bundled_model_writes_a_ci_to_its_pattern():
    import torch

    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.writer import ZhRequest, write_zh
    from core.metrics.lyrics_zh import copied_runs, han_count, rhyme_adherence

    torch.set_num_threads(1)
    zm = load_zh_model()
    info = json.loads((BUNDLED / "config.json").read_text())
    assert info["model_type"] == "gpt2"
    assert not list(BUNDLED.glob("*.bin")) and not list(BUNDLED.glob("*.pt"))
    pattern = zm.patterns.get("浣溪沙")
    out = write_zh(zm, ZhRequest(plans=pattern.plans, title="浣溪沙", theme="秋月", seed=3))
    texts = [x.text for x in out.lines]
    assert [han_count(t) for t in texts] == [7] * 6
    assert rhyme_adherence(texts, "AAA-AA") == 1.0
    assert max(copied_runs(texts, zm.index)) == 0
    again = write_zh(zm, ZhRequest(plans=pattern.plans, title="浣溪沙", theme="秋月", seed=3))
    assert [x.text for x in again.lines] == texts


@needs_model
def test_bench_lyrics_quality_zh_reports_its_targets(capsys):
    from core.cli import main

    code = main(["bench", "lyrics-quality", "--language", "zh", "--requests", "2", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["language"] == "zh" and doc["requests"] == 2
    assert set(doc["targets"]) == {"length_exact", "rhyme_rhymes", "lines_run_at_most_5",
                                   "first_line_ms_median"}
    assert doc["length_exact"] == 1.0 and doc["rhyme_rhymes"] == 1.0
    assert doc["examples"] and all("。" in ex["text"] for ex in doc["examples"])


@needs_model
def test_no_character_three_times_in_a_row():
    """如梦令 / 春雨 / seed 1 at the CLI's sampling settings wrote 多梦断肠肠肠 (the rhyme slot
    and the habit 断肠 outweighed the repeat penalty) before triples were refused."""
    import re

    import torch

    from core.lyrics.zh.model import load_zh_model
    from core.lyrics.zh.writer import ZhRequest, write_zh

    torch.set_num_threads(1)
    zm = load_zh_model()
    out = write_zh(zm, ZhRequest(plans=zm.patterns.get("如梦令").plans, title="如梦令",
                                 theme="春雨", seed=1, temperature=0.9, top_k=50, top_p=0.95,
                                 candidates=8))
    assert not [t.text for t in out.lines if re.search(r"(.)\1\1", t.text)]
